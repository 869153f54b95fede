/**
 * Reads a RIFF/WAVE file's layout ourselves rather than trusting a parser's summary: the sub-format
 * of WAVE_FORMAT_EXTENSIBLE, and the data that is really there when a streaming writer left the
 * sizes at 0xFFFFFFFF.
 */
import { CorruptAudioError, UnsupportedAudioFormatError } from '../audio/errors.ts';
import { ascii } from './structure-limits.ts';

export interface WavLayout {
  readonly codec: 'PCM' | 'IEEE_FLOAT';
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  /** Seconds of audio actually in the file. */
  readonly durationSeconds: number;
}

const PCM = 0x0001;
const IEEE_FLOAT = 0x0003;
const EXTENSIBLE = 0xfffe;
/** Sizes a writer that cannot seek back leaves in the header: "unknown, read to the end". */
const UNKNOWN_SIZE = 0xffffffff;
/** KSDATAFORMAT_SUBTYPE_*: the format code, then this fixed tail (bytes 2 to 15 of the GUID). */
const SUBTYPE_GUID_TAIL = [
  0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];

/** Names for the refusal of formats a WAV can hold but DMXAPI does not take. */
const FORMAT_NAMES: Readonly<Record<number, string>> = {
  0x0002: 'MS ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0055: 'MP3',
  0x00ff: 'AAC',
};

export function isWav(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WAVE';
}

/**
 * The layout of a RIFF/WAVE file. Refuses formats other than PCM and IEEE float (plain or
 * extensible), and a file whose data chunk states more bytes than it holds (cut off).
 * Chunk counts are bounded by checkStructure() before this runs. `bytes` may stop after the data
 * chunk's header; `fileSize` says how many bytes the file holds.
 */
export function readWavLayout(bytes: Uint8Array, fileSize = bytes.length): WavLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: (Omit<WavLayout, 'durationSeconds'> & { blockAlign: number }) | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, offset + 4);
    const size = view.getUint32(offset + 4, true);
    const start = offset + 8;
    if (id === 'fmt ') fmt = readFmt(bytes, view, start, Math.min(size, bytes.length - start));
    if (id === 'data') {
      if (!fmt) throw new CorruptAudioError('wav', 'unreadable', 'data chunk before fmt chunk');
      const present = fileSize - start;
      // Streamed WAVs: the data runs to the end of the file, whatever the header says.
      const dataBytes = size === UNKNOWN_SIZE ? present : size;
      if (dataBytes > present) throw new CorruptAudioError('wav', 'truncated');
      const frames = Math.floor(dataBytes / fmt.blockAlign);
      const { blockAlign: _blockAlign, ...layout } = fmt;
      return { ...layout, durationSeconds: frames / fmt.sampleRate };
    }
    offset = start + size + (size % 2);
  }
  throw new CorruptAudioError('wav', fmt ? 'truncated' : 'unreadable', 'no data chunk');
}

function readFmt(bytes: Uint8Array, view: DataView, start: number, size: number) {
  if (size < 16) throw new CorruptAudioError('wav', 'unreadable', 'fmt chunk too short');
  let format = view.getUint16(start, true);
  const channels = view.getUint16(start + 2, true);
  const sampleRate = view.getUint32(start + 4, true);
  const blockAlign = view.getUint16(start + 12, true);
  const bitsPerSample = view.getUint16(start + 14, true);
  if (format === EXTENSIBLE) {
    // cbSize 22: valid bits, channel mask, then the sub-format GUID that says what the samples are.
    if (size < 40) throw new CorruptAudioError('wav', 'unreadable', 'extensible fmt chunk too short');
    const guid = bytes.subarray(start + 24, start + 40);
    format = view.getUint16(start + 24, true);
    if (!SUBTYPE_GUID_TAIL.every((byte, i) => guid[i + 2] === byte)) {
      throw new UnsupportedAudioFormatError('WAV with an unknown sub-format');
    }
  }
  if (format !== PCM && format !== IEEE_FLOAT) {
    const name = FORMAT_NAMES[format] ?? `format 0x${format.toString(16).padStart(4, '0')}`;
    throw new UnsupportedAudioFormatError(`WAV with ${name} encoding`);
  }
  if (channels === 0 || sampleRate === 0 || blockAlign === 0 || blockAlign < (channels * bitsPerSample) / 8) {
    throw new CorruptAudioError('wav', 'unreadable', 'impossible fmt values');
  }
  return {
    codec: format === PCM ? ('PCM' as const) : ('IEEE_FLOAT' as const),
    channels,
    sampleRate,
    bitsPerSample,
    blockAlign,
  };
}
