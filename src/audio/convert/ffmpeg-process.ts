import { spawn } from 'node:child_process';

/**
 * How ffmpeg is run: never through a shell, under an address-space limit (prlimit, from util-linux),
 * with a time limit, reading only the file named (no stdin, no network: `-protocol_whitelist file`,
 * and only the demuxers listed).
 */
export interface FfmpegRunner {
  readonly ffmpegPath: string;
  readonly timeoutMs: number;
}

/** Debian's ffmpeg maps ~300 MB of libraries before it reads a byte; 512 MiB leaves room to decode audio. */
export const FFMPEG_ADDRESS_SPACE_BYTES = 512 * 1024 * 1024;

/** Demuxers ffmpeg may open (names as in `ffmpeg -formats`): audio and the video containers phones write. */
export const FFMPEG_INPUT_FORMATS =
  'mov,mp4,m4a,3gp,aac,aiff,matroska,webm,ogg,flac,wav,w64,rf64,mp3,amr,amrnb,amrwb,caf,asf,au';

export const SAFE_INPUT_OPTIONS = [
  '-hide_banner',
  '-nostdin',
  '-threads',
  '1',
  '-protocol_whitelist',
  'file',
  '-format_whitelist',
  FFMPEG_INPUT_FORMATS,
] as const;

export interface FfmpegResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** The last 4 KiB of stderr, for the reason of a failure. */
  readonly stderr: string;
}

/**
 * Runs ffmpeg with `args`. `onStdout` gets every chunk of its output and returns false to stop it (the
 * output passed a cap). Resolves when the process has exited, whatever happened.
 */
export function runFfmpeg(
  runner: FfmpegRunner,
  args: readonly string[],
  onStdout?: (chunk: Buffer) => boolean,
): Promise<FfmpegResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'prlimit',
      [`--as=${FFMPEG_ADDRESS_SPACE_BYTES}`, '--', runner.ffmpegPath, ...args],
      // Only what ffmpeg needs from the environment: never the bot's secrets.
      { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } },
    );
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, runner.timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-4096);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (onStdout && !onStdout(chunk)) child.kill('SIGKILL');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, timedOut, stderr });
    });
  });
}

export interface FfmpegStatus {
  readonly available: boolean;
  /** "5.1.9-0+deb12u1" when available; otherwise why not, for the start-up log and /healthz. */
  readonly detail: string;
}

/** Whether ffmpeg (and prlimit, which every run goes through) can be started. */
export async function checkFfmpeg(ffmpegPath: string, timeoutMs = 5000): Promise<FfmpegStatus> {
  try {
    let stdout = '';
    const result = await runFfmpeg({ ffmpegPath, timeoutMs }, ['-hide_banner', '-version'], (chunk) => {
      stdout += chunk.toString('utf8');
      return stdout.length < 64 * 1024;
    });
    if (result.exitCode !== 0) {
      return { available: false, detail: firstLine(result.stderr) || `exit code ${result.exitCode}` };
    }
    return { available: true, detail: firstLine(stdout).replace(/ Copyright.*$/, '') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { available: false, detail: code === 'ENOENT' ? 'prlimit (util-linux) not found' : String(error) };
  }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? ''
  );
}

/**
 * Whether ffmpeg conversion is on, found out once at start: formats only ffmpeg converts are
 * refused (naming the format and what to install) until check() has found a working ffmpeg.
 */
export class FfmpegAvailability {
  readonly ffmpegPath: string;
  #status: FfmpegStatus = { available: false, detail: 'not checked yet' };

  constructor(ffmpegPath: string) {
    this.ffmpegPath = ffmpegPath;
  }

  async check(): Promise<FfmpegStatus> {
    this.#status = await checkFfmpeg(this.ffmpegPath);
    return this.#status;
  }

  get status(): FfmpegStatus {
    return this.#status;
  }

  /** The path to run, or undefined while ffmpeg is not known to work. */
  get usablePath(): string | undefined {
    return this.#status.available ? this.ffmpegPath : undefined;
  }
}
