import { readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConverterUnavailableError, DecodedLengthMismatchError } from '../src/audio/convert/errors.ts';
import { FfmpegAvailability } from '../src/audio/convert/ffmpeg-process.ts';
import { DEFAULT_AUDIO_LIMITS } from '../src/domain/limits.ts';
import { DmxapiClient } from '../src/dmxapi/client.ts';
import { AudioWorkerPool } from '../src/pipeline/audio-pool.ts';
import { DownloadTooLargeError } from '../src/pipeline/errors.ts';
import { UploadPipeline, type UploadStage } from '../src/pipeline/upload-pipeline.ts';
import { fixture, makeWav } from './support/audio.ts';
import { expectMonoWav, readWav } from './support/converted.ts';
import { clientOptions, DmxapiStandIn, sha256 } from './support/dmxapi-stand-in.ts';
import { voiceMessage } from './support/ogg-opus.ts';
import { tempDir } from './support/temp-dir.ts';

let cdn: Server;
const files = new Map<string, Buffer>();
let dmxapi: DmxapiStandIn;
let client: DmxapiClient;
const audioWorkers = new AudioWorkerPool({ size: 2 });
const ffmpeg = new FfmpegAvailability(process.env.FFMPEG_PATH ?? 'ffmpeg');
const noFfmpeg = new FfmpegAvailability('/nonexistent/ffmpeg');

function pipeline(options: { ffmpeg?: FfmpegAvailability; maxBytes?: number; maxInputBytes?: number } = {}) {
  return new UploadPipeline({
    uploader: client,
    limits: { ...DEFAULT_AUDIO_LIMITS, maxBytes: options.maxBytes ?? DEFAULT_AUDIO_LIMITS.maxBytes },
    allowedHosts: ['127.0.0.1'],
    downloadTimeoutMs: 10_000,
    audioWorkers,
    inspectTimeoutMs: 10_000,
    maxInputBytes: options.maxInputBytes ?? 100 * 1024 * 1024,
    convertTimeoutMs: 30_000,
    ffmpeg: options.ffmpeg ?? ffmpeg,
  });
}

beforeAll(async () => {
  cdn = createServer((request, response) => {
    const file = files.get(request.url ?? '');
    if (file) response.end(file);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  dmxapi = await DmxapiStandIn.start();
  client = new DmxapiClient(clientOptions(dmxapi.baseUrl, { apiKey: 'sk-x', timeoutMs: 10_000 }));
  expect((await ffmpeg.check()).available).toBe(true);
  expect((await noFfmpeg.check()).available).toBe(false);
});

afterAll(async () => {
  await audioWorkers.close();
  await client.close();
  await dmxapi.close();
  await new Promise<void>((resolve) => cdn.close(() => resolve()));
});

function serve(path: string, bytes: Buffer) {
  files.set(path, bytes);
  return {
    url: `http://127.0.0.1:${(cdn.address() as AddressInfo).port}${path}`,
    fileName: path.slice(1),
    declaredBytes: bytes.length,
  };
}

describe('conversion inside the upload pipeline', () => {
  it('sends a voice message to DMXAPI as a 48 kHz mono WAV, reporting a converting stage', async () => {
    const posted = fixture('voice-message-12s.ogg');
    const stages: UploadStage[] = [];
    const outcome = await pipeline().run(
      { ...serve('/voice-message.ogg', posted), purpose: 'voice_clone' },
      { onStage: (stage) => stages.push(stage) },
    );
    const sent = dmxapi.lastAudio ?? Buffer.alloc(0);
    const length = await expectMonoWav(sent, 48_000);
    expect(length).toBeCloseTo(12.6, 1);
    expect(outcome.conversion).toEqual({ from: 'Ogg Opus', sampleRate: 48_000 });
    expect(outcome.audio).toMatchObject({ format: 'wav', channels: 1, sampleRate: 48_000 });
    expect(outcome.bytes).toBe(sent.length);
    // Dedup keys on what the member posted, not on what was made of it.
    expect(outcome.sha256).toBe(sha256(posted));
    expect([...new Set(stages.map((s) => s.stage))]).toEqual([
      'downloading',
      'checking',
      'converting',
      'uploading',
    ]);
    expect(stages.find((s) => s.stage === 'converting')).toMatchObject({ from: 'Ogg Opus' });
  });

  it.each([
    ['voice-12s.ogg', 'voice_clone', 16_000, 12.6],
    ['voice-12s.webm', 'voice_clone', 48_000, 12.6],
    ['prompt-3s.flac', 'prompt_audio', 44_100, 3.0],
    ['prompt-3s.aac', 'prompt_audio', 16_000, 3.1],
    ['prompt-3s.aiff', 'prompt_audio', 11_025, 3.0],
  ] as const)(
    'DMXAPI receives %s as a mono 16-bit WAV at %i Hz, as long as the source',
    async (name, purpose, rate, seconds) => {
      const posted = fixture(name);
      const outcome = await pipeline().run({ ...serve(`/${name}`, posted), purpose });
      const length = await expectMonoWav(dmxapi.lastAudio ?? Buffer.alloc(0), rate);
      expect(Math.abs(length - seconds)).toBeLessThanOrEqual(0.1);
      expect(outcome.conversion?.sampleRate).toBe(rate);
      expect(outcome.sha256).toBe(sha256(posted));
    },
  );

  it('sends MP3, M4A and WAV that fit exactly as posted', async () => {
    for (const name of ['voice-12s.mp3', 'voice-12s.m4a', 'prompt-3s.wav']) {
      const posted = fixture(name);
      const purpose = name.startsWith('prompt') ? 'prompt_audio' : 'voice_clone';
      const outcome = await pipeline().run({ ...serve(`/${name}`, posted), purpose });
      expect(outcome.conversion).toBeUndefined();
      expect(dmxapi.lastAudio?.equals(posted)).toBe(true);
    }
  });

  it('converts a WAV too big to send as it is (stereo 48 kHz) and sends the smaller WAV', async () => {
    const posted = makeWav(15, { sampleRate: 48_000, channels: 2 }); // 2.88 MB
    const outcome = await pipeline({ maxBytes: 2_000_000 }).run({
      ...serve('/long.wav', posted),
      purpose: 'voice_clone',
    });
    expect(outcome.conversion).toEqual({ from: 'WAV', sampleRate: 48_000 });
    const wav = await readWav(dmxapi.lastAudio ?? Buffer.alloc(0));
    expect(wav).toMatchObject({ sampleRate: 48_000, channels: 1 });
    expect(wav.durationSeconds).toBeCloseTo(15, 1);
    expect(outcome.bytes).toBeLessThanOrEqual(2_000_000);
  });

  it('downloads past MAX_AUDIO_BYTES for conversion, but never past MAX_INPUT_BYTES', async () => {
    const posted = makeWav(15, { sampleRate: 48_000, channels: 2 });
    const before = dmxapi.received.length;
    const error = await pipeline({ maxBytes: 2_000_000, maxInputBytes: 1_000_000 })
      .run({ ...serve('/huge.wav', posted), declaredBytes: 500, purpose: 'voice_clone' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadTooLargeError);
    expect(error).toMatchObject({ maxBytes: 1_000_000 });
    expect(dmxapi.received.length).toBe(before);
  });

  it('converts an MP4 video with ffmpeg, and refuses it naming the format when there is no ffmpeg', async () => {
    const posted = fixture('video-12s.mp4');
    const outcome = await pipeline().run({ ...serve('/clip.mp4', posted), purpose: 'voice_clone' });
    expect(outcome.conversion).toEqual({ from: 'MP4 video (AAC)', sampleRate: 16_000 });
    expect((await readWav(dmxapi.lastAudio ?? Buffer.alloc(0))).durationSeconds).toBeCloseTo(12, 1);

    const before = dmxapi.received.length;
    const error = await pipeline({ ffmpeg: noFfmpeg })
      .run({ ...serve('/clip2.mp4', posted), purpose: 'voice_clone' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConverterUnavailableError);
    expect(error).toMatchObject({ format: 'MP4 video' });
    expect(dmxapi.received.length).toBe(before);
  });

  it('removes its temp files after a success and after a refusal', async () => {
    // A temp folder of this test's own: test files running alongside make theirs in the shared one.
    const own = await tempDir();
    const shared = process.env.TMPDIR;
    process.env.TMPDIR = own.path;
    try {
      await pipeline().run({
        ...serve('/again.ogg', fixture('voice-message-12s.ogg')),
        purpose: 'voice_clone',
      });
      expect(tmpdir()).toBe(own.path);
      const cut = fixture('prompt-3s.flac').subarray(0, 40_000);
      await expect(pipeline().run({ ...serve('/cut.flac', cut), purpose: 'prompt_audio' })).rejects.toThrow(
        DecodedLengthMismatchError,
      );
      expect(await readdir(own.path)).toEqual([]);
    } finally {
      if (shared === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = shared;
      await own.remove();
    }
  });
});

describe('conversion runs off the main thread', () => {
  it('keeps the event loop turning through a five-minute voice message, decoded in a worker', async () => {
    const url = serve('/five-minutes.ogg', voiceMessage(300));
    let ticksWhileWorkerBusy = 0;
    const timer = setInterval(() => {
      if (audioWorkers.stats.busy > 0) ticksWhileWorkerBusy++;
    }, 5);
    try {
      const outcome = await pipeline().run({ ...url, purpose: 'voice_clone' });
      expect(outcome.conversion).toEqual({ from: 'Ogg Opus', sampleRate: 24_000 });
      expect(outcome.bytes).toBeLessThanOrEqual(DEFAULT_AUDIO_LIMITS.maxBytes);
    } finally {
      clearInterval(timer);
    }
    // The main thread kept running timers while a worker decoded: the decoding was not on it.
    expect(ticksWhileWorkerBusy).toBeGreaterThan(10);
  });
});
