/**
 * One benchmark run in its own process, so its peak RSS is its own: uploads `concurrency` copies of
 * the file at once, the way `mode` says, and prints one JSON line of timings and memory.
 *
 *   node bench/worker.ts <ours|naive|floor> <concurrency> <cdn url> <dmxapi base url> <body bytes> <file bytes>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { parseConfig } from '../src/config.ts';
import { DmxapiClient } from '../src/dmxapi/client.ts';
import { DEFAULT_AUDIO_LIMITS } from '../src/domain/limits.ts';
import { AudioWorkerPool } from '../src/pipeline/audio-pool.ts';
import { UploadPipeline } from '../src/pipeline/upload-pipeline.ts';

export type Mode = 'ours' | 'naive' | 'floor';

export interface UploadTiming {
  /** Milliseconds per stage, in order, for one upload. */
  readonly stages: Readonly<Record<string, number>>;
  readonly totalMs: number;
}

export interface WorkerResult {
  readonly mode: Mode;
  readonly concurrency: number;
  readonly idleRssBytes: number;
  readonly peakRssBytes: number;
  readonly wallMs: number;
  readonly uploads: UploadTiming[];
}

const [mode, concurrencyArg, cdnUrl, dmxapiUrl, bodyBytesArg, fileBytesArg] = process.argv.slice(2);
if (mode !== 'ours' && mode !== 'naive' && mode !== 'floor') throw new Error(`unknown mode ${String(mode)}`);
if (!cdnUrl || !dmxapiUrl)
  throw new Error('usage: worker.ts <mode> <concurrency> <cdn url> <dmxapi url> <body bytes>');
const concurrency = Number(concurrencyArg);
const fileBytes = Number(fileBytesArg);
const endpoint = `${dmxapiUrl}/v1/responses`;
const apiKey = 'sk-bench';
const model = 'minimax-clone-upload';

/** The kernel's own high-water mark of this process's resident memory, in bytes. */
function peakRss(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(match?.[1]) * 1024;
}

function resetPeakRss(): void {
  writeFileSync('/proc/self/clear_refs', '5');
}

async function download(): Promise<Buffer> {
  const response = await request(cdnUrl ?? '');
  return Buffer.from(await response.body.arrayBuffer());
}

async function send(body: string | Buffer): Promise<void> {
  const response = await request(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: apiKey },
    body,
  });
  await response.body.text();
  if (response.statusCode !== 200) throw new Error(`sink answered ${response.statusCode}`);
}

/** Times one upload's stages; `mark(name)` closes the stage that just ended. */
async function timed(run: (mark: (stage: string) => void) => Promise<void>): Promise<UploadTiming> {
  const started = performance.now();
  let last = started;
  const stages: Record<string, number> = {};
  await run((stage) => {
    const now = performance.now();
    stages[stage] = now - last;
    last = now;
  });
  return { stages, totalMs: performance.now() - started };
}

// Every other client setting at its documented default, read where the bot reads it.
const defaults = parseConfig({ DISCORD_TOKEN: 'bench', DMXAPI_API_KEY: apiKey });
const client = new DmxapiClient({
  ...defaults.dmxapi,
  speechMaxChars: defaults.speech.maxChars,
  baseUrl: dmxapiUrl,
  model,
  timeoutMs: 120_000,
});
// As many inspection workers as the bot has by default (INSPECT_WORKERS).
const audioWorkers = new AudioWorkerPool({ size: defaults.inspection.workers });
const pipeline = new UploadPipeline({
  uploader: client,
  limits: DEFAULT_AUDIO_LIMITS,
  allowedHosts: ['127.0.0.1'],
  downloadTimeoutMs: 120_000,
  audioWorkers,
  inspectTimeoutMs: 5000,
  maxInputBytes: 100 * 1024 * 1024,
  convertTimeoutMs: 30_000,
  ffmpeg: { usablePath: undefined },
});
// The floor sends bytes that were ready before the clock started: transfer with no encoding at all.
const prebuiltBody = mode === 'floor' ? Buffer.alloc(Number(bodyBytesArg), 0x41) : undefined;

const uploadOnce: Record<Mode, () => Promise<UploadTiming>> = {
  ours: async () => {
    const started = performance.now();
    const { timings } = await pipeline.run({
      url: cdnUrl,
      fileName: 'bench.wav',
      // Discord declares every attachment's size; the bot sizes its download buffer from it.
      declaredBytes: fileBytes,
      purpose: 'voice_clone',
    });
    return {
      stages: { download: timings.downloadMs, inspect: timings.inspectMs, upload: timings.uploadMs },
      totalMs: performance.now() - started,
    };
  },
  // As the service's documented example does it: whole file, base64 string, JSON string, send.
  naive: () =>
    timed(async (mark) => {
      const file = await download();
      mark('download');
      const body = JSON.stringify({
        model,
        input: [{ purpose: 'voice_clone' }],
        dataf: file.toString('base64'),
      });
      mark('encode');
      await send(body);
      mark('upload');
    }),
  floor: () =>
    timed(async (mark) => {
      await download();
      mark('download');
      await send(prebuiltBody ?? Buffer.alloc(0));
      mark('upload');
    }),
};

// Warm up (module loading, JIT, connection pools, and as many audio workers as the batch will use)
// so the idle figure is the steady state: the running-bot section measures a bot starting its workers.
await Promise.all(
  Array.from({ length: Math.min(concurrency, defaults.inspection.workers) }, () => uploadOnce[mode]()),
);
globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 100));
const idleRssBytes = process.memoryUsage().rss;
resetPeakRss();

const started = performance.now();
const uploads = await Promise.all(Array.from({ length: concurrency }, () => uploadOnce[mode]()));
const wallMs = performance.now() - started;
const result: WorkerResult = { mode, concurrency, idleRssBytes, peakRssBytes: peakRss(), wallMs, uploads };
process.stdout.write(`${JSON.stringify(result)}\n`);
await client.close();
await audioWorkers.close();
