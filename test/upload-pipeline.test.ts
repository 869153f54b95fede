import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DmxapiClient } from '../src/dmxapi/client.ts';
import { DeclaredSizeTooLargeError, DurationOutOfRangeError } from '../src/pipeline/errors.ts';
import { DEFAULT_AUDIO_LIMITS } from '../src/domain/limits.ts';
import { AudioWorkerPool } from '../src/pipeline/audio-pool.ts';
import { UploadPipeline, type UploadStage } from '../src/pipeline/upload-pipeline.ts';
import { fixture, makeWav } from './support/audio.ts';
import { clientOptions, DmxapiStandIn, sha256 } from './support/dmxapi-stand-in.ts';

let cdn: Server;
let cdnRequests = 0;
const files = new Map<string, Buffer>();
let dmxapi: DmxapiStandIn;
let client: DmxapiClient;
let pipeline: UploadPipeline;
const audioWorkers = new AudioWorkerPool({ size: 2 });

beforeAll(async () => {
  cdn = createServer((request, response) => {
    cdnRequests++;
    const file = files.get(request.url ?? '');
    if (file) response.end(file);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  dmxapi = await DmxapiStandIn.start();
  client = new DmxapiClient(clientOptions(dmxapi.baseUrl, { apiKey: 'sk-x', timeoutMs: 5000 }));
  pipeline = new UploadPipeline({
    uploader: client,
    limits: DEFAULT_AUDIO_LIMITS,
    allowedHosts: ['127.0.0.1'],
    downloadTimeoutMs: 5000,
    audioWorkers,
    inspectTimeoutMs: 5000,
    maxInputBytes: 100 * 1024 * 1024,
    convertTimeoutMs: 20_000,
    ffmpeg: { usablePath: undefined },
  });
});

afterAll(async () => {
  await audioWorkers.close();
  await client.close();
  await dmxapi.close();
  await new Promise<void>((resolve) => cdn.close(() => resolve()));
});

function serve(path: string, bytes: Buffer): string {
  files.set(path, bytes);
  return `http://127.0.0.1:${(cdn.address() as AddressInfo).port}${path}`;
}

describe('UploadPipeline, with no Discord at all', () => {
  it('downloads, inspects and uploads, reporting each stage in order with timings', async () => {
    const bytes = fixture('voice-12s.m4a');
    const stages: UploadStage['stage'][] = [];
    const outcome = await pipeline.run(
      {
        url: serve('/voice.m4a', bytes),
        fileName: 'voice.m4a',
        declaredBytes: bytes.length,
        purpose: 'voice_clone',
      },
      { onStage: (stage) => stages.push(stage.stage) },
    );
    expect(outcome.file.fileId).toMatch(/^\d+$/);
    expect(outcome.audio.format).toBe('m4a');
    expect(outcome.bytes).toBe(bytes.length);
    expect(dmxapi.received.at(-1)?.sha256).toBe(sha256(bytes));
    expect(outcome.sha256).toBe(sha256(bytes));
    expect([...new Set(stages)]).toEqual(['downloading', 'checking', 'uploading']);
    for (const ms of Object.values(outcome.timings)) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('refuses a declared size over MAX_INPUT_BYTES before any download', async () => {
    const before = cdnRequests;
    const url = serve('/big.wav', makeWav(1));
    await expect(
      pipeline.run({
        url,
        fileName: 'big.wav',
        declaredBytes: 100 * 1024 * 1024 + 1,
        purpose: 'voice_clone',
      }),
    ).rejects.toBeInstanceOf(DeclaredSizeTooLargeError);
    expect(cdnRequests).toBe(before);
  });

  it('uploads nothing when the audio fails its check', async () => {
    const before = dmxapi.received.length;
    const url = serve('/short.wav', makeWav(4));
    await expect(
      pipeline.run({ url, fileName: 'short.wav', declaredBytes: undefined, purpose: 'voice_clone' }),
    ).rejects.toBeInstanceOf(DurationOutOfRangeError);
    expect(dmxapi.received.length).toBe(before);
  });
});
