import { open } from 'node:fs/promises';
import { CorruptAudioError, UnsupportedAudioFormatError } from '../errors.ts';
import { MAX_CHANNELS, type DecodedPiece, type SourceInfo, type WasmDecoder } from './decoded.ts';
import { ascii, readChunks } from './file-reader.ts';

const FORMAT = 'WAV';
const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;
/** Frames per piece handed on. */
const PIECE_FRAMES = 16_384;

interface WavLayout {
  readonly encoding: 'int' | 'float';
  readonly bitsPerSample: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly dataOffset: number;
  readonly dataBytes: number;
}

/**
 * A WAV we convert rather than pass through: one too big to send as it is (a long stereo 48 kHz
 * recording). Integer PCM of 8 to 32 bits or float of 32/64, plain or WAVE_FORMAT_EXTENSIBLE.
 */
export const wavDecoder: WasmDecoder = {
  async probe(path): Promise<SourceInfo> {
    const layout = await readLayout(path);
    const frames = Math.floor(layout.dataBytes / ((layout.bitsPerSample / 8) * layout.channels));
    return {
      format: FORMAT,
      codec: 'other',
      sampleRate: layout.sampleRate,
      channels: layout.channels,
      statedSeconds: frames / layout.sampleRate,
    };
  },

  async *decode(path): AsyncGenerator<DecodedPiece> {
    const layout = await readLayout(path);
    const { channels, bitsPerSample } = layout;
    const bytesPerFrame = (bitsPerSample / 8) * channels;
    const chunkBytes = PIECE_FRAMES * bytesPerFrame;
    let left = layout.dataBytes - (layout.dataBytes % bytesPerFrame);
    let carry = new Uint8Array(0);
    const read = sampleReader(layout);
    for await (const chunk of readChunks(path, chunkBytes, layout.dataOffset)) {
      if (left <= 0) break;
      const joined = carry.length > 0 ? concat(carry, chunk) : chunk;
      const usable = Math.min(joined.length - (joined.length % bytesPerFrame), left);
      const frames = usable / bytesPerFrame;
      const view = new DataView(joined.buffer, joined.byteOffset, usable);
      const channelData = Array.from({ length: channels }, () => new Float32Array(frames));
      for (let frame = 0; frame < frames; frame++) {
        for (let channel = 0; channel < channels; channel++) {
          (channelData[channel] as Float32Array)[frame] = read(
            view,
            frame * bytesPerFrame + channel * (bitsPerSample / 8),
          );
        }
      }
      left -= usable;
      carry = joined.slice(usable);
      if (frames > 0) yield { kind: 'audio', channelData, frames };
    }
  },
};

async function readLayout(path: string): Promise<WavLayout> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const head = new Uint8Array(Math.min(size, 64 * 1024));
    await file.read(head, 0, head.length, 0);
    return parseLayout(head, size);
  } finally {
    await file.close();
  }
}

function parseLayout(head: Uint8Array, fileSize: number): WavLayout {
  if (ascii(head, 0, 4) !== 'RIFF' || ascii(head, 8, 12) !== 'WAVE') {
    throw new CorruptAudioError(FORMAT, 'unreadable', 'no RIFF/WAVE header');
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let format: Omit<WavLayout, 'dataOffset' | 'dataBytes'> | undefined;
  for (let at = 12; at + 8 <= head.length;) {
    const id = ascii(head, at, at + 4);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 8 + 16 <= head.length) format = parseFormat(view, at + 8, size);
    if (id === 'data') {
      if (!format) throw new CorruptAudioError(FORMAT, 'unreadable', 'data before fmt');
      const dataOffset = at + 8;
      const present = fileSize - dataOffset;
      // 0xFFFFFFFF (and 0) come from tools writing to a pipe: the audio runs to the end of the file.
      const streamed = size === 0xffffffff || size === 0;
      if (!streamed && size > present) throw new CorruptAudioError(FORMAT, 'truncated');
      return { ...format, dataOffset, dataBytes: streamed ? present : size };
    }
    at += 8 + size + (size % 2);
  }
  throw new CorruptAudioError(FORMAT, 'unreadable', 'no data chunk in the first 64 KiB');
}

function parseFormat(view: DataView, at: number, size: number): Omit<WavLayout, 'dataOffset' | 'dataBytes'> {
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
  if (tag === EXTENSIBLE && size >= 40 && at + 26 <= view.byteLength) tag = view.getUint16(at + 24, true);
  const encoding = tag === PCM ? 'int' : tag === IEEE_FLOAT ? 'float' : undefined;
  const validBits = encoding === 'int' ? [8, 16, 24, 32] : [32, 64];
  if (!encoding || !validBits.includes(bitsPerSample)) {
    throw new UnsupportedAudioFormatError(`WAV with format ${tag}, ${bitsPerSample}-bit`);
  }
  if (channels < 1 || channels > MAX_CHANNELS)
    throw new UnsupportedAudioFormatError(`WAV with ${channels} channels`);
  if (sampleRate < 1000 || sampleRate > 384_000)
    throw new CorruptAudioError(FORMAT, 'unreadable', 'bad sample rate');
  return { encoding, bitsPerSample, channels, sampleRate };
}

function sampleReader({ encoding, bitsPerSample }: WavLayout): (view: DataView, at: number) => number {
  if (encoding === 'float') {
    return bitsPerSample === 32 ? (v, at) => v.getFloat32(at, true) : (v, at) => v.getFloat64(at, true);
  }
  switch (bitsPerSample) {
    case 8:
      return (v, at) => (v.getUint8(at) - 128) / 128;
    case 16:
      return (v, at) => v.getInt16(at, true) / 32768;
    case 24:
      return (v, at) =>
        ((v.getUint8(at + 2) << 24) | (v.getUint8(at + 1) << 16) | (v.getUint8(at) << 8)) / 2147483648;
    default:
      return (v, at) => v.getInt32(at, true) / 2147483648;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
