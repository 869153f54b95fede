/**
 * Run by the running-bot section in a fresh process with the start command's flags and environment:
 * what audio workers hold once started, measured alone. Starts the pool's default number of workers
 * by giving each a small WAV to inspect at once, and prints the RSS before, at the peak while they
 * started, and after (garbage collected, the workers idle and alive), as one JSON line.
 *
 *   node --expose-gc bench/worker-cost.ts
 */
import { writeFileSync } from 'node:fs';
import { parseConfig } from '../src/config.ts';
import { AudioWorkerPool } from '../src/pipeline/audio-pool.ts';
import { makeWav } from '../test/support/audio.ts';
import { tempDir } from '../test/support/temp-dir.ts';
import { procStatus, settledRss } from './stats.ts';

export interface WorkerCost {
  readonly workers: number;
  readonly before: number;
  readonly peak: number;
  readonly after: number;
}

const { inspection } = parseConfig({ DISCORD_TOKEN: 'bench', DMXAPI_API_KEY: 'sk-bench' });
const pool = new AudioWorkerPool({ size: inspection.workers });
const files = await tempDir();
const wav = await files.file('small.wav', makeWav(12));
const before = await settledRss(200);
writeFileSync('/proc/self/clear_refs', '5');
await Promise.all(
  Array.from({ length: inspection.workers }, () =>
    pool.run({ kind: 'inspect', path: wav }, { timeoutMs: 30_000 }),
  ),
);
const peak = await procStatus(process.pid, 'VmHWM');
const after = await settledRss(200);
process.stdout.write(
  `${JSON.stringify({ workers: inspection.workers, before, peak, after } satisfies WorkerCost)}\n`,
);
await pool.close();
await files.remove();
