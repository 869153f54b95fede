import { FLACDecoder } from '@wasm-audio-decoders/flac';
import type { CodecFrame } from 'codec-parser';
import { CorruptAudioError, UnsupportedAudioFormatError } from '../errors.ts';
import { parsedUnits } from './codec-parser-pages.ts';
import { MAX_CHANNELS, type DecodedPiece, type WasmDecoder } from './decoded.ts';
import { flacStart } from './flac-header.ts';
import { readHeadAndTail } from './file-reader.ts';

const FORMAT = 'FLAC';
/** Samples per decoder call. A FLAC frame of constant samples is a few bytes for 65535 of them. */
const BATCH_SAMPLES = 65_536;

export const flacDecoder: WasmDecoder = {
  async probe(path) {
    const { head } = await readHeadAndTail(path);
    const start = flacStart(head);
    // STREAMINFO is always the first metadata block: 4 bytes of block header, then 34 bytes.
    if (start === undefined || head.length < start + 42 || ((head[start + 4] as number) & 0x7f) !== 0) {
      throw new CorruptAudioError(FORMAT, 'unreadable', 'no STREAMINFO');
    }
    const info = start + 8;
    const b = (i: number) => head[info + i] as number;
    const sampleRate = (b(10) << 12) | (b(11) << 4) | (b(12) >> 4);
    const channels = ((b(12) >> 1) & 0x07) + 1;
    const totalSamples =
      (b(13) & 0x0f) * 2 ** 32 + ((b(14) << 24) >>> 0) + (b(15) << 16) + (b(16) << 8) + b(17);
    if (sampleRate < 1 || sampleRate > 655_350)
      throw new CorruptAudioError(FORMAT, 'unreadable', 'bad sample rate');
    if (channels > MAX_CHANNELS) throw new UnsupportedAudioFormatError(`${FORMAT} with ${channels} channels`);
    // 0 total samples means "unknown" (a FLAC written as a stream): no stated length.
    const statedSeconds = totalSamples === 0 ? undefined : totalSamples / sampleRate;
    return { format: FORMAT, codec: 'other', sampleRate, channels, statedSeconds };
  },

  async *decode(path): AsyncGenerator<DecodedPiece> {
    const decoder = new FLACDecoder();
    await decoder.ready;
    const onCodec = (codec: string) => {
      if (codec !== 'flac') throw new CorruptAudioError(FORMAT, 'unreadable', `not FLAC but ${codec}`);
    };
    let batch: Uint8Array[] = [];
    let batchSamples = 0;
    const run = async (): Promise<DecodedPiece | undefined> => {
      if (batch.length === 0) return undefined;
      const { channelData, samplesDecoded, errors } = await decoder.decodeFrames(batch);
      batch = [];
      batchSamples = 0;
      if (errors.length > 0)
        throw new CorruptAudioError(FORMAT, 'unreadable', `${errors.length} damaged frames`);
      return samplesDecoded > 0 ? { kind: 'audio', channelData, frames: samplesDecoded } : undefined;
    };
    try {
      for await (const frame of parsedUnits<CodecFrame>(path, 'audio/flac', onCodec)) {
        batch.push(frame.data);
        batchSamples += frame.samples;
        if (batchSamples >= BATCH_SAMPLES) {
          const piece = await run();
          if (piece) yield piece;
        }
      }
      const piece = await run();
      if (piece) yield piece;
    } finally {
      decoder.free();
    }
  },
};
