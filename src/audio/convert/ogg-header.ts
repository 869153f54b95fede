import { ascii } from './file-reader.ts';

/** What the first and last pages of an Ogg file say, read without decoding anything. */
export interface OggHeader {
  readonly codec: 'opus' | 'vorbis' | 'flac' | 'speex' | 'unknown';
  readonly channels: number;
  /** Opus: always 48 kHz inside; Vorbis: the coded rate. 0 when unknown. */
  readonly sampleRate: number;
  /** Opus pre-skip, in 48 kHz samples. */
  readonly preSkip: number;
  /** Granule position of the file's last page that has one, or undefined. */
  readonly lastGranule: number | undefined;
  readonly firstSerial: number;
  readonly lastSerial: number | undefined;
}

const PAGE_HEADER = 27;

export function isOgg(head: Uint8Array): boolean {
  return ascii(head, 0, 4) === 'OggS';
}

/** Reads the identification header on the first page and the granule of the last page. */
export function readOggHeader(head: Uint8Array, tail: Uint8Array): OggHeader | undefined {
  if (!isOgg(head) || head.length < PAGE_HEADER) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const segments = head[26] as number;
  const packet = PAGE_HEADER + segments;
  if (head.length < packet + 19) return undefined;
  const firstSerial = view.getUint32(14, true);
  const last = lastGranule(tail);
  const common = { lastGranule: last?.granule, firstSerial, lastSerial: last?.serial };
  if (ascii(head, packet, packet + 8) === 'OpusHead') {
    return {
      codec: 'opus',
      channels: head[packet + 9] as number,
      sampleRate: 48_000,
      preSkip: view.getUint16(packet + 10, true),
      ...common,
    };
  }
  if (head[packet] === 1 && ascii(head, packet + 1, packet + 7) === 'vorbis') {
    return {
      codec: 'vorbis',
      channels: head[packet + 11] as number,
      sampleRate: view.getUint32(packet + 12, true),
      preSkip: 0,
      ...common,
    };
  }
  const codec =
    ascii(head, packet, packet + 5) === '\x7fFLAC'
      ? 'flac'
      : ascii(head, packet, packet + 8) === 'Speex   '
        ? 'speex'
        : 'unknown';
  return { codec, channels: 0, sampleRate: 0, preSkip: 0, ...common };
}

/** The last page in `tail` whose granule is set (-1 marks a page on which no packet ends). */
function lastGranule(tail: Uint8Array): { granule: number; serial: number } | undefined {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let at = tail.length - PAGE_HEADER; at >= 0; at--) {
    if (tail[at] !== 0x4f || ascii(tail, at, at + 4) !== 'OggS' || tail[at + 4] !== 0) continue;
    const low = view.getUint32(at + 6, true);
    const high = view.getUint32(at + 10, true);
    if (low === 0xffffffff && high === 0xffffffff) continue;
    // Beyond 2^53 samples is no real file; such a value is damage, reported as no stated length.
    if (high > 0x1fffff) return undefined;
    return { granule: high * 2 ** 32 + low, serial: view.getUint32(at + 14, true) };
  }
  return undefined;
}
