import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AudioJob } from '../src/pipeline/audio-jobs.ts';
import { AudioWorkerPool } from '../src/pipeline/audio-pool.ts';
import { AudioTooComplexError } from '../src/pipeline/errors.ts';
import { CorruptAudioError } from '../src/audio/errors.ts';
import { fixture, makeWav } from './support/audio.ts';
import { mp4WithTagItems } from './support/hostile-audio.ts';
import { tempDir } from './support/temp-dir.ts';

const pools: AudioWorkerPool[] = [];
function pool(size = 1, idleMs?: number): AudioWorkerPool {
  const made = new AudioWorkerPool({ size, idleMs });
  pools.push(made);
  return made;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((made) => made.close()));
});

let files: Awaited<ReturnType<typeof tempDir>>;
let written = 0;
beforeAll(async () => {
  files = await tempDir();
});
afterAll(() => files.remove());

/** A job that inspects `bytes`, written to a file of their own as a download would be. */
async function inspectJob(bytes: Uint8Array): Promise<AudioJob<'inspect'>> {
  return { kind: 'inspect', path: await files.file(`audio-${written++}`, bytes) };
}

describe('AudioWorkerPool', () => {
  it('inspects a file in a worker, named by its path', async () => {
    const value = await pool().run(await inspectJob(fixture('voice-12s.mp3')), { timeoutMs: 5000 });
    expect(value).toMatchObject({ format: 'mp3', sampleRate: 16000 });
  });

  it('brings refusals back as the same class with their fields', async () => {
    const error = await pool()
      .run(await inspectJob(makeWav(12).subarray(0, 44)), { timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptAudioError);
    expect(error).toMatchObject({ code: 'audio_corrupt', format: 'wav' });
  });

  it('terminates a worker that runs over, refuses the file, and the next file works in a new worker', async () => {
    const workers = pool(1);
    // Warm the worker, so the time limit below is spent on the file, not on starting the thread.
    await workers.run(await inspectJob(makeWav(1)), { timeoutMs: 5000 });
    // A file that takes a worker far longer than 1 ms to read.
    const error = await workers
      .run(await inspectJob(mp4WithTagItems(4997)), { timeoutMs: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioTooComplexError);
    expect(error).toMatchObject({ reason: 'timeout', timeoutMs: 1 });
    expect(workers.stats).toMatchObject({ terminatedForTimeout: 1, busy: 0, idle: 0 });

    const next = await workers.run(await inspectJob(fixture('voice-12s.m4a')), { timeoutMs: 5000 });
    expect(next.format).toBe('m4a');
    expect(workers.stats).toMatchObject({ terminatedForTimeout: 1, busy: 0, idle: 1 });
  });

  it("does not count a new worker's start-up against the file's time limit", async () => {
    // Four workers loading their modules at once take far longer than 200 ms on two cores; reading a
    // one-second WAV takes about a millisecond once a worker has it.
    const workers = pool(4);
    const results = await Promise.all(
      [1, 2, 3, 4].map(async (seconds) =>
        workers.run(await inspectJob(makeWav(seconds)), { timeoutMs: 200 }),
      ),
    );
    expect(results.map((result) => result.durationSeconds)).toEqual([1, 2, 3, 4]);
    expect(workers.stats.terminatedForTimeout).toBe(0);
  });

  it('queues jobs past its size and runs them all', async () => {
    const workers = pool(2);
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(async (seconds) =>
        workers.run(await inspectJob(makeWav(seconds)), { timeoutMs: 5000 }),
      ),
    );
    expect(results.map((result) => result.durationSeconds)).toEqual([1, 2, 3, 4, 5]);
    expect(workers.stats.idle).toBeLessThanOrEqual(2);
  });

  it('starts no worker until asked, and lets idle workers exit', async () => {
    const workers = pool(2, 50);
    expect(workers.stats).toMatchObject({ busy: 0, idle: 0 });
    await workers.run(await inspectJob(makeWav(1)), { timeoutMs: 5000 });
    expect(workers.stats).toMatchObject({ busy: 0, idle: 1 });
    await expect.poll(() => workers.stats.idle, { interval: 20, timeout: 5000 }).toBe(0);
  });

  it('stops a job when its signal aborts, with the signal reason', async () => {
    const workers = pool(1);
    const controller = new AbortController();
    const running = workers.run(await inspectJob(mp4WithTagItems(4997)), {
      timeoutMs: 5000,
      signal: controller.signal,
    });
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(workers.stats.busy).toBe(0);
  });
});
