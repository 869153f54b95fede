import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src', 'main.ts');

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
  #group = false;

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
      // Log lines are JSON; npm's banner ("> name start") is not.
      for (const line of lines) if (line.startsWith('{')) this.logs.push(JSON.parse(line) as LogLine);
      this.#notify();
    });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.once('exit', () => this.#notify());
  }

  static async start(env: Record<string, string>, preload?: string): Promise<BotProcess> {
    const workDir = await mkdtemp(join(tmpdir(), 'bot-process-'));
    const args = [...(preload ? ['--import', preload] : []), MAIN];
    const child = spawn(process.execPath, args, {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: join(workDir, 'data'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new BotProcess(child, workDir);
  }

  /**
   * The bot as an operator starts it: `npm start` in its own process group (as a terminal or a
   * process manager starts it), in a directory holding package.json and src/ only, so no `.env`
   * reaches it.
   */
  static async npmStart(env: Record<string, string>): Promise<BotProcess> {
    const workDir = await mkdtemp(join(tmpdir(), 'bot-npm-start-'));
    await writeFile(join(workDir, 'package.json'), await readFile(join(ROOT, 'package.json')));
    await symlink(join(ROOT, 'src'), join(workDir, 'src'));
    const child = spawn('npm', ['start'], {
      cwd: workDir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? workDir,
        DATA_DIR: join(workDir, 'data'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const bot = new BotProcess(child, workDir);
    bot.#group = true;
    return bot;
  }

  /** Every process started under this one (npm's shell, the bot), from /proc. */
  descendants(pid = this.pid): number[] {
    let children: number[];
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
        .split(' ')
        .filter((id) => id.trim() !== '')
        .map(Number);
    } catch {
      return [];
    }
    return children.flatMap((child) => [child, ...this.descendants(child)]);
  }

  /** What a terminal does on Ctrl-C: the signal goes to every process in the foreground group. */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.pid, signal);
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
    // Whatever npm left behind in its group (an orphaned bot is what the npm tests look for).
    if (this.#group) {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        // The group is already empty.
      }
    }
    await rm(this.#workDir, { recursive: true, force: true });
  }

  #notify(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) waiter();
  }
}
