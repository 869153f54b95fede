/**
 * Counts what a parser would walk before it walks it. music-metadata follows MP4 boxes to any depth
 * and turns every ID3 frame, APE item and RIFF chunk into objects: a few megabytes of tiny entries
 * cost seconds and gigabytes, and resourceLimits bounds only part of that memory. These limits sit
 * far above any real recording (a few dozen boxes eight deep, or a few thousand in a fragmented
 * file; a few dozen tag frames; a dozen chunks), and keep the costliest file they let through to
 * about a second of a worker's time.
 */
import { AudioTooComplexError, type StructureLimitName } from './errors.ts';

export const STRUCTURE_LIMITS: Readonly<Record<StructureLimitName, number>> = Object.freeze({
  mp4_box_depth: 32,
  mp4_box_count: 10_000,
  id3_frame_count: 4096,
  ape_item_count: 4096,
  riff_chunk_count: 4096,
});

/** Throws AudioTooComplexError('structure') when any count passes its limit; otherwise returns. */
export function checkStructure(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ascii(bytes, 4, 8) === 'ftyp') {
    countMp4Boxes(bytes, view);
    return;
  }
  const riff = ascii(bytes, 0, 4);
  if ((riff === 'RIFF' || riff === 'RF64') && ascii(bytes, 8, 12) === 'WAVE') {
    countRiffChunks(bytes, view);
  } else if (ascii(bytes, 0, 3) === 'ID3') {
    let offset = 0;
    let frames = 0;
    // Some writers put several tags back to back; the parser reads them all.
    while (ascii(bytes, offset, offset + 3) === 'ID3') {
      const tag = id3TagExtent(bytes, offset);
      frames += countId3Frames(bytes.subarray(offset, offset + tag), frames);
      offset += tag;
    }
  }
  countApeItems(bytes, view);
}

/**
 * Boxes music-metadata descends into (Atom.readData, MP4Parser.handleAtom), plus the other standard
 * containers, so a depth bomb in any of them is measured.
 */
const MP4_CONTAINERS = new Set([
  'moov',
  'trak',
  'mdia',
  'minf',
  'stbl',
  'udta',
  'meta',
  'ilst',
  '<id>',
  'tref',
  'moof',
  'traf',
  'edts',
  'dinf',
  'mvex',
  'mfra',
]);

function countMp4Boxes(bytes: Uint8Array, view: DataView): void {
  let count = 0;
  // Iterative walk: [end of the box being read, its depth, its type]; no recursion on hostile input.
  const stack: { end: number; depth: number; parent: string }[] = [
    { end: bytes.length, depth: 0, parent: '' },
  ];
  let offset = 0;
  while (stack.length > 0) {
    const level = stack[stack.length - 1] as (typeof stack)[number];
    if (offset + 8 > level.end) {
      offset = level.end;
      stack.pop();
      continue;
    }
    let size = view.getUint32(offset);
    const type = ascii(bytes, offset + 4, offset + 8);
    let header = 8;
    if (size === 1 && offset + 16 <= level.end) {
      size = Number(view.getBigUint64(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = level.end - offset;
    }
    if (size < header) return; // malformed: the parser refuses it on its own, cheaply
    const end = Math.min(offset + size, level.end);
    if (++count > STRUCTURE_LIMITS.mp4_box_count) exceeded('mp4_box_count', count);
    const isContainer = MP4_CONTAINERS.has(type) || level.parent === 'ilst' || level.parent === '<id>';
    if (isContainer) {
      const depth = level.depth + 1;
      if (depth > STRUCTURE_LIMITS.mp4_box_depth) exceeded('mp4_box_depth', depth);
      // `meta` is a full box (4 bytes of version and flags) in ISO files, a plain one in QuickTime.
      const skip =
        type === 'meta' && ascii(bytes, offset + header + 4, offset + header + 8) !== 'hdlr' ? 4 : 0;
      stack.push({ end, depth, parent: type });
      offset += header + skip;
    } else {
      offset = end;
    }
  }
}

function countRiffChunks(bytes: Uint8Array, view: DataView): void {
  let count = 0;
  const visit = (from: number, to: number, nested: boolean): void => {
    let offset = from;
    while (offset + 8 <= to) {
      if (++count > STRUCTURE_LIMITS.riff_chunk_count) exceeded('riff_chunk_count', count);
      const id = ascii(bytes, offset, offset + 4);
      const size = view.getUint32(offset + 4, true);
      const start = offset + 8;
      const end = Math.min(start + size, to);
      // A data chunk of unknown size (0xFFFFFFFF, streamed WAV) runs to the end: nothing follows it.
      if (id === 'data' && !nested) return;
      if (id === 'LIST' && !nested) visit(start + 4, end, true);
      if (id === 'id3 ' || id === 'ID3 ') {
        countId3Frames(bytes.subarray(start, end), 0);
      }
      offset = end + (size % 2);
    }
  };
  visit(12, bytes.length, false);
}

/** Bytes an ID3v2 tag takes at `offset`, header and footer included. */
function id3TagExtent(bytes: Uint8Array, offset: number): number {
  const size = syncsafe(bytes, offset + 6);
  const footer = bytes[offset + 3] === 4 && ((bytes[offset + 5] ?? 0) & 0x10) !== 0 ? 10 : 0;
  return Math.min(10 + size + footer, bytes.length - offset);
}

/** Counts the frames of one ID3v2 tag (chapter frames' embedded frames included); returns the count. */
function countId3Frames(tag: Uint8Array, before: number): number {
  if (tag.length < 10 || ascii(tag, 0, 3) !== 'ID3') return 0;
  const version = tag[3] ?? 0;
  const flags = tag[5] ?? 0;
  let body = tag.subarray(10, Math.min(tag.length, 10 + syncsafe(tag, 6)));
  // v2.2 and v2.3 unsynchronise the whole tag: 0xFF 0x00 stands for 0xFF. Frames are found after undoing it.
  if ((flags & 0x80) !== 0 && version < 4) body = resynchronise(body);
  let offset = 0;
  if ((flags & 0x40) !== 0 && version >= 3) {
    offset = version === 3 ? 4 + readUint32(body, 0) : syncsafe(body, 0);
  }
  const headerSize = version === 2 ? 6 : 10;
  const idSize = version === 2 ? 3 : 4;
  let count = before;
  const walk = (from: number, to: number, embedded: boolean): void => {
    let at = from;
    while (at + headerSize <= to) {
      const id = ascii(body, at, at + idSize);
      if (!/^[A-Z0-9]+$/.test(id)) return; // padding or garbage ends the frames, as parsers read it
      const size =
        version === 2
          ? ((body[at + 3] ?? 0) << 16) | ((body[at + 4] ?? 0) << 8) | (body[at + 5] ?? 0)
          : version === 4
            ? syncsafe(body, at + 4)
            : readUint32(body, at + 4);
      if (++count > STRUCTURE_LIMITS.id3_frame_count) exceeded('id3_frame_count', count);
      const start = at + headerSize;
      const end = Math.min(start + size, to);
      if (!embedded && (id === 'CHAP' || id === 'CTOC'))
        walk(chapterFramesStart(body, start, end, id), end, true);
      at = end;
    }
  };
  walk(offset, body.length, false);
  return count - before;
}

/** Where the frames embedded in a CHAP or CTOC frame begin. */
function chapterFramesStart(body: Uint8Array, start: number, end: number, id: string): number {
  let at = body.indexOf(0, start);
  if (at < 0 || at >= end) return end;
  at += 1; // after the element id's terminator
  if (id === 'CHAP') return at + 16; // start/end time and offset
  const entries = body[at + 1] ?? 0;
  at += 2; // flags, entry count
  for (let i = 0; i < entries && at < end; i++) {
    const terminator = body.indexOf(0, at);
    at = terminator < 0 || terminator >= end ? end : terminator + 1;
  }
  return at;
}

/** APEv2 tags (at the end, before an ID3v1 tag) state their item count in a 32-byte footer. */
function countApeItems(bytes: Uint8Array, view: DataView): void {
  for (const footer of [bytes.length - 32, bytes.length - 128 - 32]) {
    if (footer >= 0 && ascii(bytes, footer, footer + 8) === 'APETAGEX') {
      const items = view.getUint32(footer + 16, true);
      if (items > STRUCTURE_LIMITS.ape_item_count) exceeded('ape_item_count', items);
    }
  }
}

function exceeded(what: StructureLimitName, found: number): never {
  throw new AudioTooComplexError('structure', { structure: { what, found, limit: STRUCTURE_LIMITS[what] } });
}

function resynchronise(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length);
  let length = 0;
  for (let i = 0; i < body.length; i++) {
    out[length++] = body[i] as number;
    if (body[i] === 0xff && body[i + 1] === 0x00) i++;
  }
  return out.subarray(0, length);
}

function syncsafe(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] ?? 0) & 0x7f) << 21) |
    (((bytes[at + 1] ?? 0) & 0x7f) << 14) |
    (((bytes[at + 2] ?? 0) & 0x7f) << 7) |
    ((bytes[at + 3] ?? 0) & 0x7f)
  );
}

function readUint32(bytes: Uint8Array, at: number): number {
  // Multiplication, not <<, for the top byte: a shift would make sizes from 2 GiB up negative.
  return (
    (bytes[at] ?? 0) * 0x1000000 +
    (((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0))
  );
}

export function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(Math.max(0, start), Math.max(0, end)));
}
