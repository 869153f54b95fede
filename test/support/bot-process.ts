import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export type LogLine = Record<string, unknown> & { level: number; msg: string };

/**
 * The bot as `npm start` runs it: its own Node process on src/main.ts, configured only through the
 * environment. Runs in an empty working directory, so a developer's `.env` never leaks in.
 */
export class BotProcess {
  readonly logs: LogLine[] = [];
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcessByStdio<null, Readable, Readable>;
  readonly #workDir: string;
  readonly #waiters = new Set<() => void>();

  private constructor(child: ChildProcessByStdio<null, Readable, Readable>, workDir: string) {
    this.#child = child;
    this.#workDir = workDir;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
      partial += chunk.toString();
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) this.logs.push(JSON.parse(line) as LogLine);
      this.#notify();
    });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.once('exit', () => this.#notify());
  }

  static async start(env: Record<string, string>, preload?: string): Promise<BotProcess> {
    const workDir = await mkdtemp(join(tmpdir(), 'bot-process-'));
    const args = [
      '--experimental-strip-types',
      '--experimental-sqlite',
      ...(preload ? ['--import', preload] : []),
      MAIN,
    ];
    const child = spawn(process.execPath, args, {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: join(workDir, 'data'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new BotProcess(child, workDir);
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  async waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.logs.find(predicate);
      if (found) return found;
      if (this.#child.exitCode !== null)
        throw new Error(`bot exited (${this.#child.exitCode}) first:\n${this.stdout}${this.stderr}`);
      const left = deadline - performance.now();
      if (left <= 0)
        throw new Error(`no matching log line within ${timeoutMs} ms:\n${this.stdout.slice(-3000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Kills the process if it still runs and removes its working directory. */
  async dispose(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.exited;
    await rm(this.#workDir, { recursive: true, force: true });
  }

  #notify(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) waiter();
  }
}
