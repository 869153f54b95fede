import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptAudioError } from '../src/audio/errors.ts';
import { AudioTooComplexError } from '../src/pipeline/errors.ts';
import { inspectFile, readForInspection } from '../src/pipeline/inspect-file.ts';
import { STRUCTURE_LIMITS } from '../src/pipeline/structure-limits.ts';
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
    expect(read.bytes.length).toBeLessThan(wav.length / 100);
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

  it.each([
    ['spans the end of the first read', 64 * 1024 - 4],
    ['ends exactly at the end of the first read', 64 * 1024 - 8],
  ])('finds a data chunk header that %s', async (_name, dataAt) => {
    // A JUNK chunk between fmt and data puts the data chunk's header at `dataAt`.
    const wav = makeWav(20);
    const junk = Buffer.alloc(dataAt - 36);
    junk.write('JUNK', 0, 'latin1');
    junk.writeUInt32LE(junk.length - 8, 4);
    const padded = Buffer.concat([wav.subarray(0, 36), junk, wav.subarray(36)]);
    padded.writeUInt32LE(padded.length - 8, 4);
    expect(padded.toString('latin1', dataAt, dataAt + 4)).toBe('data');
    const path = await dir.file(`boundary-${dataAt}.wav`, padded);
    expect((await readForInspection(path)).bytes.length).toBeGreaterThanOrEqual(dataAt + 8);
    expect(await inspectFile(path)).toMatchObject({ format: 'wav', durationSeconds: 20 });
  });

  it('refuses a WAV of more top-level chunks than the limit, spread past the first read', async () => {
    const chunks = STRUCTURE_LIMITS.riff_chunk_count + 10;
    const tiny = Buffer.alloc(16);
    tiny.write('JUNK', 0, 'latin1');
    tiny.writeUInt32LE(8, 4);
    const wav = makeWav(1);
    const many = Buffer.concat([
      wav.subarray(0, 36),
      ...Array.from({ length: chunks }, () => tiny),
      wav.subarray(36),
    ]);
    many.writeUInt32LE(many.length - 8, 4);
    expect(chunks * tiny.length).toBeGreaterThan(64 * 1024);
    const error = await inspectFile(await dir.file('many-chunks.wav', many)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioTooComplexError);
    expect(error).toMatchObject({ reason: 'structure', structure: { what: 'riff_chunk_count' } });
  });

  it('reads to the end of a WAV with no data chunk, and refuses it', async () => {
    const noData = Buffer.concat([makeWav(1).subarray(0, 36), bigListChunk(200_000)]);
    noData.writeUInt32LE(noData.length - 8, 4);
    const path = await dir.file('no-data.wav', noData);
    expect((await readForInspection(path)).bytes.length).toBe(noData.length);
    const error = await inspectFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptAudioError);
    expect(error).toMatchObject({ format: 'wav' });
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
