import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs Debian's ffmpeg (installed by .ci/run) to make a real file in a test, and returns its bytes.
 * `output` is the file name ffmpeg writes, or `-` for what ffmpeg writes to a pipe (stdout).
 */
export function ffmpeg(args: readonly string[], output: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'ffmpeg-'));
  try {
    const target = output === '-' ? '-' : join(dir, output);
    const run = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args, target], {
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) throw run.error;
    if (run.status !== 0) throw new Error(`ffmpeg failed: ${run.stderr.toString()}`);
    return output === '-' ? run.stdout : readFileSync(target);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
