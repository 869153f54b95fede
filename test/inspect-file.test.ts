import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptAudioError } from '../src/audio/errors.ts';
import { inspectFile, readForInspection } from '../src/pipeline/inspect-file.ts';
import { fixture, makeWav } from './support/audio.ts';
import { tempDir } from './support/temp-dir.ts';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

describe('inspection reads from the downloaded file only what it needs', () => {
  it('reads a 19 MB WAV up to its samples only, and still measures all of them', async () => {
    const wav = makeWav(108, { sampleRate: 44_100, channels: 2 });
    const path = await dir.file('long.wav', wav);
    const read = await readForInspection(path);
    expect(read.fileSize).toBe(wav.length);
    expect(read.bytes.length).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.from(read.bytes).equals(wav.subarray(0, read.bytes.length))).toBe(true);
    expect(await inspectFile(path)).toMatchObject({ format: 'wav', durationSeconds: 108, channels: 2 });
  });

  it('reads on through chunks that come before the samples, however long', async () => {
    // A LIST chunk of 400 KB sits between the fmt chunk and the samples.
    const wav = makeWav(60);
    const listed = Buffer.concat([wav.subarray(0, 36), bigListChunk(400_000), wav.subarray(36)]);
    listed.writeUInt32LE(listed.length - 8, 4);
    const path = await dir.file('listed.wav', listed);
    const read = await readForInspection(path);
    const dataHeaderEnd = listed.indexOf('data', 36 + 400_000) + 8;
    expect(read.bytes.length).toBeGreaterThanOrEqual(dataHeaderEnd);
    expect(read.bytes.length).toBeLessThan(listed.length);
    expect(await inspectFile(path)).toMatchObject({ format: 'wav', durationSeconds: 60 });
  });

  it('measures a streamed WAV (sizes left at 0xFFFFFFFF) by the bytes the file holds', async () => {
    const wav = makeWav(30);
    wav.writeUInt32LE(0xffffffff, 4);
    wav.writeUInt32LE(0xffffffff, 40);
    const path = await dir.file('streamed.wav', wav);
    expect((await readForInspection(path)).bytes.length).toBeLessThan(wav.length);
    expect(await inspectFile(path)).toMatchObject({ format: 'wav', durationSeconds: 30 });
  });

  it('refuses a WAV whose data chunk states more bytes than the file holds', async () => {
    const wav = makeWav(30);
    const path = await dir.file('cut.wav', wav.subarray(0, wav.length / 2));
    const error = await inspectFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptAudioError);
    expect(error).toMatchObject({ format: 'wav', reason: 'truncated' });
  });

  it('reads an MP3 whole: its length is in frames to the end of the file', async () => {
    const mp3 = fixture('voice-12s.mp3');
    const path = await dir.file('voice.mp3', mp3);
    const read = await readForInspection(path);
    expect(read.bytes.length).toBe(mp3.length);
    expect(await inspectFile(path)).toMatchObject({ format: 'mp3', sampleRate: 16000 });
  });
});

/** A LIST/INFO chunk of `bytes` bytes holding one long comment. */
function bigListChunk(bytes: number): Buffer {
  const chunk = Buffer.alloc(bytes, 0x61);
  chunk.write('LIST', 0, 'latin1');
  chunk.writeUInt32LE(bytes - 8, 4);
  chunk.write('INFOICMT', 8, 'latin1');
  chunk.writeUInt32LE(bytes - 20, 16);
  return chunk;
}
