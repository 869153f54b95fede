/**
 * One conversion run in its own process, so its peak RSS is its own: converts one file through the
 * bot's real path (prepareAudio with the AudioWorkerPool at its default size), first in a fresh
 * worker, then warm, then `concurrency` at once, and prints one JSON line of timings and memory.
 *
 *   node --expose-gc bench/convert-worker.ts <file> <concurrency> <warm runs>
 */
import { stat } from 'node:fs/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config.ts';
import { audioSize } from '../src/dmxapi/request-body.ts';
import { AudioWorkerPool } from '../src/pipeline/audio-pool.ts';
import { releaseDownload } from '../src/pipeline/download.ts';
import { prepareAudio, type PreparedAudio } from '../src/pipeline/prepare-audio.ts';
import { procStatus, settledRss } from './stats.ts';

export interface ConvertRound {
  /** Wall time of each conversion in the round, in ms. */
  readonly wallMs: number[];
  /** Peak RSS (VmHWM) over the RSS just before the round. */
  readonly peakOverIdle: number;
  /** The main thread's longest event-loop delay during the round, in ms. */
  readonly maxLoopDelayMs: number;
}

export interface ConvertResult {
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly sampleRate: number;
  readonly durationSeconds: number;
  readonly from: string;
  readonly workers: number;
  /** The first conversion: the worker starts, loads its modules and the WASM decoder. */
  readonly cold: ConvertRound;
  /** One at a time, in a worker that already ran one. */
  readonly warm: ConvertRound[];
  /** `concurrency` at once, every worker already started. */
  readonly together: ConvertRound;
}

const [path = '', concurrencyArg = '4', warmArg = '3'] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const defaults = parseConfig({ DISCORD_TOKEN: 'bench', DMXAPI_API_KEY: 'sk-bench' });
const pool = new AudioWorkerPool({ size: defaults.inspection.workers });
const options = {
  limits: defaults.limits,
  audioWorkers: pool,
  inspectTimeoutMs: defaults.inspection.timeoutMs,
  convertTimeoutMs: defaults.conversion.timeoutMs,
  ffmpeg: { usablePath: undefined },
};
const size = (await stat(path)).size;

let last: PreparedAudio | undefined;
async function round(count: number): Promise<ConvertRound> {
  const idle = await settledRss(100);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  await import('node:fs/promises').then((fs) => fs.writeFile('/proc/self/clear_refs', '5'));
  delay.enable();
  const wallMs = await Promise.all(
    Array.from({ length: count }, async () => {
      const started = performance.now();
      const prepared = await prepareAudio({ path, size, sha256: '' }, 'voice_clone', options);
      const elapsed = performance.now() - started;
      if (last?.content instanceof Uint8Array) releaseDownload(last.content);
      last = prepared;
      return elapsed;
    }),
  );
  delay.disable();
  const peak = await procStatus(process.pid, 'VmHWM');
  return { wallMs, peakOverIdle: peak - idle, maxLoopDelayMs: delay.max / 1e6 };
}

const cold = await round(1);
const warm: ConvertRound[] = [];
for (let run = 0; run < Number(warmArg); run++) warm.push(await round(1));
await round(concurrency); // starts the other workers
const together = await round(concurrency);
if (!last) throw new Error('no conversion ran');
const result: ConvertResult = {
  inputBytes: size,
  outputBytes: audioSize(last.content),
  sampleRate: last.audio.sampleRate ?? 0,
  durationSeconds: last.audio.durationSeconds,
  from: last.conversion?.from ?? 'not converted',
  workers: defaults.inspection.workers,
  cold,
  warm,
  together,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
await pool.close();
