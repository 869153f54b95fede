import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AudioWorkerPool } from '../src/pipeline/audio-pool.ts';
import { AudioTooComplexError } from '../src/pipeline/errors.ts';
import { CorruptAudioError, UnsupportedAudioFormatError } from '../src/audio/errors.ts';
import { fixture, makeWav } from './support/audio.ts';
import { mp4WithTagItems } from './support/hostile-audio.ts';

const pools: AudioWorkerPool[] = [];
function pool(size = 1, idleMs?: number): AudioWorkerPool {
  const made = new AudioWorkerPool({ size, idleMs });
  pools.push(made);
  return made;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((made) => made.close()));
});

/** Bytes in an ArrayBuffer of their own, as a download produces them. */
function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('AudioWorkerPool', () => {
  it('inspects in a worker and hands the same memory back, never copied', async () => {
    const bytes = owned(fixture('voice-12s.mp3'));
    const digest = sha256(bytes);
    const memory = bytes.buffer;
    const { value, bytes: back } = await pool().run({ kind: 'inspect', bytes }, { timeoutMs: 5000 });
    expect(value).toMatchObject({ format: 'mp3', sampleRate: 16000 });
    // Transferred out: the caller's view is empty, and what comes back is the original content.
    expect(memory.detached).toBe(true);
    expect(bytes.length).toBe(0);
    expect(sha256(back)).toBe(digest);
  });

  it('keeps a view into a larger buffer at its offset and length', async () => {
    const wav = makeWav(1);
    const padded = new Uint8Array(wav.length + 300);
    padded.set(wav, 100);
    const view = padded.subarray(100, 100 + wav.length);
    const { value, bytes } = await pool().run({ kind: 'inspect', bytes: view }, { timeoutMs: 5000 });
    expect(value.durationSeconds).toBe(1);
    expect(bytes.byteOffset).toBe(100);
    expect(sha256(bytes)).toBe(sha256(wav));
  });

  it('copies bytes it must not take away (a Buffer from the shared pool)', async () => {
    const small = Buffer.from('not audio at all, and small enough to share the pool');
    const error = await pool()
      .run({ kind: 'inspect', bytes: small }, { timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedAudioFormatError);
    expect(small.toString()).toContain('not audio');
  });

  it('brings refusals back as the same class with their fields', async () => {
    const error = await pool()
      .run({ kind: 'inspect', bytes: owned(makeWav(12).subarray(0, 44)) }, { timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptAudioError);
    expect(error).toMatchObject({ code: 'audio_corrupt', format: 'wav' });
  });

  it('terminates a worker that runs over, refuses the file, and the next file works in a new worker', async () => {
    const workers = pool(1);
    // Warm the worker, so the time limit below is spent on the file, not on starting the thread.
    await workers.run({ kind: 'inspect', bytes: owned(makeWav(1)) }, { timeoutMs: 5000 });
    // A file that takes a worker far longer than 1 ms to read.
    const error = await workers
      .run({ kind: 'inspect', bytes: mp4WithTagItems(4997) }, { timeoutMs: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioTooComplexError);
    expect(error).toMatchObject({ reason: 'timeout', timeoutMs: 1 });
    expect(workers.stats).toMatchObject({ terminatedForTimeout: 1, busy: 0, idle: 0 });

    const next = await workers.run(
      { kind: 'inspect', bytes: owned(fixture('voice-12s.m4a')) },
      { timeoutMs: 5000 },
    );
    expect(next.value.format).toBe('m4a');
    expect(workers.stats).toMatchObject({ terminatedForTimeout: 1, busy: 0, idle: 1 });
  });

  it("does not count a new worker's start-up against the file's time limit", async () => {
    // Four workers loading their modules at once take far longer than 200 ms on two cores; reading a
    // one-second WAV takes about a millisecond once a worker has it.
    const workers = pool(4);
    const results = await Promise.all(
      [1, 2, 3, 4].map((seconds) =>
        workers.run({ kind: 'inspect', bytes: owned(makeWav(seconds)) }, { timeoutMs: 200 }),
      ),
    );
    expect(results.map((result) => result.value.durationSeconds)).toEqual([1, 2, 3, 4]);
    expect(workers.stats.terminatedForTimeout).toBe(0);
  });

  it('queues jobs past its size and runs them all', async () => {
    const workers = pool(2);
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((seconds) =>
        workers.run({ kind: 'inspect', bytes: owned(makeWav(seconds)) }, { timeoutMs: 5000 }),
      ),
    );
    expect(results.map((result) => result.value.durationSeconds)).toEqual([1, 2, 3, 4, 5]);
    expect(workers.stats.idle).toBeLessThanOrEqual(2);
  });

  it('starts no worker until asked, and lets idle workers exit', async () => {
    const workers = pool(2, 50);
    expect(workers.stats).toMatchObject({ busy: 0, idle: 0 });
    await workers.run({ kind: 'inspect', bytes: owned(makeWav(1)) }, { timeoutMs: 5000 });
    expect(workers.stats).toMatchObject({ busy: 0, idle: 1 });
    await expect.poll(() => workers.stats.idle, { interval: 20, timeout: 5000 }).toBe(0);
  });

  it('stops a job when its signal aborts, with the signal reason', async () => {
    const workers = pool(1);
    const controller = new AbortController();
    const running = workers.run(
      { kind: 'inspect', bytes: mp4WithTagItems(4997) },
      { timeoutMs: 5000, signal: controller.signal },
    );
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(workers.stats.busy).toBe(0);
  });
});
