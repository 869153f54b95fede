/**
 * Walks an MP3's frames the way a decoder does, so its length is the audio it holds: the first
 * frame is where a run of consistent frame headers starts (whatever tags or stray bytes come
 * before), and every frame after it is counted, across stray bytes, to the end of the file.
 */

export interface MpegScan {
  /** "MPEG 1 Layer 3", "MPEG 2 Layer 3" or "MPEG 2.5 Layer 3", as music-metadata names them. */
  readonly codec: string;
  readonly sampleRate: number;
  readonly channels: number;
  /** bit/s: the frames' own when they all share one, else the average over the audio. */
  readonly bitrate: number;
  /** Seconds of audio in the frames found. */
  readonly foundSeconds: number;
  /** The length a Xing/Info or VBRI header states, when there is one. */
  readonly statedSeconds: number | undefined;
  /** Bytes of audio frames, and bytes between the first frame and the end that are not frames or tags. */
  readonly audioBytes: number;
  readonly otherBytes: number;
  /** The last frame runs past the end of the file, or the frames stop at the end: nothing follows them. */
  readonly endsInFrames: boolean;
}

interface FrameHeader {
  readonly version: 1 | 2 | 2.5;
  readonly sampleRate: number;
  readonly bitrate: number;
  readonly channels: number;
  readonly size: number;
  readonly samples: number;
}

const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Readonly<Record<1 | 2 | 2.5, readonly number[]>> = {
  1: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  2.5: [11025, 12000, 8000],
};
/** Frames in a row that make a sync believable; decoders use two or three. */
const FRAMES_TO_SYNC = 3;

/** Reads the Layer III frame header at `at`, or undefined when there is none. */
function frameAt(bytes: Uint8Array, at: number): FrameHeader | undefined {
  const b1 = bytes[at + 1] ?? 0;
  if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0 || at + 4 > bytes.length) return undefined;
  const versionBits = (b1 >> 3) & 0x03;
  if (versionBits === 1 || ((b1 >> 1) & 0x03) !== 1) return undefined; // reserved version, not Layer III
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const b2 = bytes[at + 2] ?? 0;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 0x03;
  if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined; // free format, bad
  const bitrate = ((version === 1 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex] ?? 0) * 1000;
  const sampleRate = SAMPLE_RATES[version][rateIndex] ?? 0;
  const padding = (b2 >> 1) & 0x01;
  const samples = version === 1 ? 1152 : 576;
  const size = Math.floor(((samples / 8) * bitrate) / sampleRate) + padding;
  const channels = (bytes[at + 3] ?? 0) >> 6 === 3 ? 1 : 2;
  return { version, sampleRate, bitrate, channels, size, samples };
}

function sameStream(a: FrameHeader, b: FrameHeader): boolean {
  return a.version === b.version && a.sampleRate === b.sampleRate;
}

/** A frame at `at` followed by enough consistent ones (or by the end of the file) to trust it. */
function syncAt(bytes: Uint8Array, at: number, needed: number): FrameHeader | undefined {
  const first = frameAt(bytes, at);
  if (!first) return undefined;
  let next = at + first.size;
  for (let i = 1; i < needed; i++) {
    if (next >= bytes.length) return first;
    const frame = frameAt(bytes, next);
    if (!frame || !sameStream(first, frame)) return undefined;
    next += frame.size;
  }
  return first;
}

/** The next believable frame from `from` on, or -1. */
function findSync(bytes: Uint8Array, from: number, needed: number): number {
  for (let at = bytes.indexOf(0xff, from); at >= 0; at = bytes.indexOf(0xff, at + 1)) {
    if (syncAt(bytes, at, needed)) return at;
  }
  return -1;
}

/** Where the audio starts: after every ID3v2 tag at the front, by their stated sizes. */
function afterId3v2Tags(bytes: Uint8Array): number {
  let at = 0;
  while (bytes[at] === 0x49 && bytes[at + 1] === 0x44 && bytes[at + 2] === 0x33 && at + 10 <= bytes.length) {
    let size = 0;
    for (let i = 6; i < 10; i++) size = (size << 7) | ((bytes[at + i] ?? 0) & 0x7f);
    const footer = bytes[at + 3] === 4 && ((bytes[at + 5] ?? 0) & 0x10) !== 0 ? 10 : 0;
    at += 10 + size + footer;
  }
  return at;
}

/** Bytes of tags at the end (ID3v1, APEv2) that are neither audio nor damage. */
function trailingTagBytes(bytes: Uint8Array): number {
  let end = bytes.length;
  const text = (from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));
  if (end >= 128 && text(end - 128, 3) === 'TAG') end -= 128;
  if (end >= 32 && text(end - 32, 8) === 'APETAGEX') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const size = view.getUint32(end - 32 + 12, true); // items and footer
    const hasHeader = ((bytes[end - 32 + 23] ?? 0) & 0x80) !== 0;
    end = Math.max(0, end - size - (hasHeader ? 32 : 0));
  }
  return bytes.length - end;
}

/** A Xing/Info or VBRI header in the first frame: the frame count it states. */
function statedFrames(bytes: Uint8Array, at: number, frame: FrameHeader): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sideInfo = frame.version === 1 ? (frame.channels === 1 ? 17 : 32) : frame.channels === 1 ? 9 : 17;
  const xing = at + 4 + sideInfo;
  const tag = String.fromCharCode(...bytes.subarray(xing, xing + 4));
  if ((tag === 'Xing' || tag === 'Info') && xing + 12 <= bytes.length) {
    return (view.getUint32(xing + 4) & 0x01) !== 0 ? view.getUint32(xing + 8) : undefined;
  }
  const vbri = at + 4 + 32;
  if (String.fromCharCode(...bytes.subarray(vbri, vbri + 4)) === 'VBRI' && vbri + 18 <= bytes.length) {
    return view.getUint32(vbri + 14);
  }
  return undefined;
}

/** Scans an MP3 from its first believable frame; undefined when there are no Layer III frames. */
export function scanMpegFrames(bytes: Uint8Array): MpegScan | undefined {
  const start = findSync(bytes, afterId3v2Tags(bytes), FRAMES_TO_SYNC);
  if (start < 0) return undefined;
  const first = frameAt(bytes, start) as FrameHeader;
  const stated = statedFrames(bytes, start, first);
  const end = bytes.length - trailingTagBytes(bytes);

  // A Xing/Info/VBRI frame carries no audio: decoders skip it.
  let at = stated === undefined ? start : start + first.size;
  let frames = 0;
  let audioBytes = 0;
  let otherBytes = 0;
  const bitrates = new Set<number>();
  let endsInFrames = false;
  while (at < end) {
    const frame = frameAt(bytes, at);
    if (frame && sameStream(first, frame)) {
      frames++;
      audioBytes += Math.min(frame.size, end - at);
      if (bitrates.size < 2) bitrates.add(frame.bitrate);
      at += frame.size;
      endsInFrames = at >= end;
      continue;
    }
    // Stray bytes between frames: resync on the next frame that a following one confirms.
    const next = findSync(bytes.subarray(0, end), at + 1, 2);
    const resumed = next < 0 ? end : next;
    otherBytes += resumed - at;
    at = resumed;
    endsInFrames = false;
  }
  const foundSeconds = (frames * first.samples) / first.sampleRate;
  const bitrate =
    bitrates.size === 1
      ? ([...bitrates][0] ?? first.bitrate)
      : foundSeconds > 0
        ? (audioBytes * 8) / foundSeconds
        : first.bitrate;
  return {
    codec: `MPEG ${first.version} Layer 3`,
    sampleRate: first.sampleRate,
    channels: first.channels,
    bitrate,
    foundSeconds,
    statedSeconds: stated === undefined ? undefined : (stated * first.samples) / first.sampleRate,
    audioBytes,
    otherBytes,
    endsInFrames,
  };
}
