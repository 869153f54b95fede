/**
 * Files built to be expensive to parse, generated in memory (used by tests and by `npm run bench`).
 * Each is small on disk and structurally valid as far as a naive parser can tell.
 */
import { makeWav } from './audio.ts';

/** An .m4a of MP4 boxes nested `depth` deep (`udta` in `udta` … inside `moov`), 8 bytes per level. */
export function nestedMp4Boxes(depth: number): Buffer {
  const ftyp = box('ftyp', Buffer.from('M4A \0\0\0\0M4A mp42isom', 'latin1'));
  const nested = Buffer.alloc(8 * depth);
  for (let level = 0; level < depth; level++) {
    const offset = 8 * level;
    nested.writeUInt32BE(8 * (depth - level), offset);
    nested.write(level === 0 ? 'moov' : 'udta', offset + 4, 'latin1');
  }
  return Buffer.concat([ftyp, nested]);
}

/** An .m4a whose only content is `count` tag items (a title box holding a data box, two boxes each). */
export function mp4WithTagItems(count: number): Buffer {
  const ftyp = box('ftyp', Buffer.from('M4A \0\0\0\0M4A mp42isom', 'latin1'));
  const item = box('\xa9nam', box('data', Buffer.from('\0\0\0\x01\0\0\0\0a', 'latin1')));
  const ilst = box('ilst', Buffer.concat(Array.from({ length: count }, () => item)));
  const meta = box('meta', Buffer.concat([Buffer.alloc(4), box('hdlr', Buffer.alloc(25)), ilst]));
  return Buffer.concat([ftyp, box('moov', box('udta', meta))]);
}

/** An MP3: one ID3v2.3 tag of `count` tiny text frames, then `seconds` of real-looking MPEG frames. */
export function mp3WithId3Frames(count: number, seconds = 1): Buffer {
  const frame = Buffer.alloc(11);
  frame.write('TXXX', 0, 'latin1');
  frame.writeUInt32BE(1, 4); // one byte of payload: an empty ISO-8859-1 description
  const frames = Buffer.alloc(frame.length * count);
  for (let i = 0; i < count; i++) frame.copy(frames, i * frame.length);
  return Buffer.concat([id3v2Header(frames.length), frames, silentMp3Frames(seconds)]);
}

/** A PCM WAV with a LIST/INFO chunk of `count` tiny entries before its audio. */
export function wavWithListEntries(count: number, seconds = 1): Buffer {
  const wav = makeWav(seconds);
  const entry = Buffer.from('INAM\x02\x00\x00\x00a\x00', 'latin1');
  const list = Buffer.alloc(12 + entry.length * count);
  list.write('LIST', 0, 'latin1');
  list.writeUInt32LE(4 + entry.length * count, 4);
  list.write('INFO', 8, 'latin1');
  for (let i = 0; i < count; i++) entry.copy(list, 12 + i * entry.length);
  // RIFF header + fmt chunk, the LIST, then the data chunk.
  const head = wav.subarray(0, 36);
  const data = wav.subarray(36);
  const out = Buffer.concat([head, list, data]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

/** `seconds` of MPEG-1 Layer III frames at 32 kbit/s, 32 kHz, mono (empty frames: silence to a decoder). */
export function silentMp3Frames(seconds: number): Buffer {
  // 1152 samples per frame at 32 kHz: 27.78 frames a second; 144 * 32000 / 32000 = 144 bytes each.
  const frameCount = Math.round((seconds * 32_000) / 1152);
  const frame = Buffer.alloc(144);
  frame.writeUInt32BE(0xfffb18c4, 0); // sync, MPEG-1, Layer III, no CRC, 32 kbit/s, 32 kHz, mono
  return Buffer.concat(Array.from({ length: frameCount }, () => frame));
}

export function id3v2Header(size: number, { version = 3, flags = 0 } = {}): Buffer {
  const header = Buffer.from([0x49, 0x44, 0x33, version, 0, flags, 0, 0, 0, 0]);
  for (let i = 0; i < 4; i++) header[6 + i] = (size >> (7 * (3 - i))) & 0x7f;
  return header;
}

export function box(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}
