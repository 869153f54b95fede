import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import type { OggPage } from 'codec-parser';
import { CorruptAudioError, UnsupportedAudioFormatError } from '../errors.ts';
import { parsedUnits } from './codec-parser-pages.ts';
import { MAX_CHANNELS, type DecodedPiece, type WasmDecoder } from './decoded.ts';
import { readHeadAndTail } from './file-reader.ts';
import { readOggHeader } from './ogg-header.ts';

const FORMAT = 'Ogg Vorbis';

export const oggVorbisDecoder: WasmDecoder = {
  async probe(path) {
    const { head, tail } = await readHeadAndTail(path);
    const header = readOggHeader(head, tail);
    if (header?.codec !== 'vorbis' || header.sampleRate < 1 || header.sampleRate > 384_000) {
      throw new CorruptAudioError(FORMAT, 'unreadable', 'no Vorbis identification header');
    }
    if (header.channels < 1 || header.channels > MAX_CHANNELS) {
      throw new UnsupportedAudioFormatError(`${FORMAT} with ${header.channels} channels`);
    }
    const statedSeconds =
      header.lastGranule === undefined ? undefined : header.lastGranule / header.sampleRate;
    return {
      format: FORMAT,
      codec: 'other',
      sampleRate: header.sampleRate,
      channels: header.channels,
      statedSeconds,
    };
  },

  /** One page per decoder call: a page holds at most 255 packets, so the audio in flight is bounded. */
  async *decode(path): AsyncGenerator<DecodedPiece> {
    const decoder = new OggVorbisDecoder();
    await decoder.ready;
    const onCodec = (codec: string) => {
      if (codec !== 'vorbis') throw new CorruptAudioError(FORMAT, 'unreadable', `a ${codec} stream follows`);
    };
    try {
      for await (const page of parsedUnits<OggPage>(path, 'audio/ogg', onCodec)) {
        const { channelData, samplesDecoded, errors } = await decoder.decodeOggPages([page]);
        if (errors.length > 0) {
          throw new CorruptAudioError(FORMAT, 'unreadable', `${errors.length} damaged Vorbis packets`);
        }
        if (samplesDecoded > 0) yield { kind: 'audio', channelData, frames: samplesDecoded };
      }
    } finally {
      decoder.free();
    }
  },
};
