import { afterAll, describe, expect, it } from 'vitest';
import { AudioWorkerPool } from '../src/pipeline/audio-pool.ts';
import { AudioTooComplexError } from '../src/pipeline/errors.ts';
import { STRUCTURE_LIMITS } from '../src/pipeline/structure-limits.ts';
import { fixture } from './support/audio.ts';
import { tempDir } from './support/temp-dir.ts';
import {
  mp3WithId3Frames,
  mp4WithTagItems,
  nestedMp4Boxes,
  wavWithListEntries,
} from './support/hostile-audio.ts';

// The production time limit: a hostile file must be refused for its structure well before it.
const TIMEOUT_MS = 5000;
const pool = new AudioWorkerPool({ size: 1 });

afterAll(() => pool.close());

const files = await tempDir();
let written = 0;

afterAll(() => files.remove());

/** Inspects `bytes` as the bot does: written to a file, which a worker reads. */
async function inspect(bytes: Uint8Array): Promise<unknown> {
  const path = await files.file(`hostile-${written++}`, bytes);
  return pool.run({ kind: 'inspect', path }, { timeoutMs: TIMEOUT_MS }).catch((error: unknown) => error);
}

describe('hostile files are refused for their structure, in a worker', () => {
  it.each([
    ['MP4 boxes nested 100,000 deep', () => nestedMp4Boxes(100_000), 'mp4_box_depth'],
    ['an M4A with 50,000 tag items', () => mp4WithTagItems(50_000), 'mp4_box_count'],
    ['an MP3 with 100,000 tiny ID3 frames', () => mp3WithId3Frames(100_000), 'id3_frame_count'],
    ['a WAV with 100,000 LIST entries', () => wavWithListEntries(100_000), 'riff_chunk_count'],
  ] as const)('%s', async (_name, make, what) => {
    const error = await inspect(make());
    expect(error).toBeInstanceOf(AudioTooComplexError);
    expect(error).toMatchObject({
      reason: 'structure',
      structure: { what, found: STRUCTURE_LIMITS[what] + 1, limit: STRUCTURE_LIMITS[what] },
    });
    // The worker survives a refusal, and the next file is read as usual.
    const next = await inspect(new Uint8Array(fixture('voice-12s.mp3')));
    expect(next).toMatchObject({ format: 'mp3' });
  });

  it('reads files right at the limits', async () => {
    const id3 = await inspect(mp3WithId3Frames(STRUCTURE_LIMITS.id3_frame_count, 2));
    expect(id3).toMatchObject({ format: 'mp3' });
    // The LIST chunk itself and the fmt and data chunks count too.
    const wav = await inspect(wavWithListEntries(STRUCTURE_LIMITS.riff_chunk_count - 3));
    expect(wav).toMatchObject({ format: 'wav', durationSeconds: 1 });
    // ftyp, moov, udta, meta, hdlr and ilst, then two boxes per item: read in full, and it has no audio.
    const m4a = await inspect(mp4WithTagItems((STRUCTURE_LIMITS.mp4_box_count - 6) / 2));
    expect(m4a).toMatchObject({ code: 'audio_unsupported_format' });
  });

  it('keeps the event loop turning while a costly file is read', async () => {
    await inspect(new Uint8Array(fixture('voice-12s.mp3'))); // the worker is up: only reading is timed
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const busyTicks: number[] = [];
    const probe = setInterval(() => busyTicks.push(pool.stats.busy), 1);
    // The costliest file the limits let through: the parser builds objects for 10,000 MP4 boxes.
    const result = await inspect(mp4WithTagItems((STRUCTURE_LIMITS.mp4_box_count - 6) / 2));
    clearInterval(timer);
    clearInterval(probe);
    expect(result).toMatchObject({ code: 'audio_unsupported_format' });
    // Timers fired while the worker was busy: the file was read off the main thread.
    expect(ticks).toBeGreaterThan(0);
    expect(busyTicks.filter((busy) => busy === 1).length).toBeGreaterThan(0);
  });
});
