import type { CodecFrame, OggPage, OpusHeader } from 'codec-parser';
import { OpusDecoder, type OpusDecoderSampleRate } from 'opus-decoder';
import { CorruptAudioError, UnsupportedAudioFormatError } from '../errors.ts';
import { granuleOf, parsedUnits } from './codec-parser-pages.ts';
import { MAX_CHANNELS, type DecodedPiece, type SourceInfo, type WasmDecoder } from './decoded.ts';
import { readHeadAndTail } from './file-reader.ts';
import { readOggHeader } from './ogg-header.ts';

const FORMAT = 'Ogg Opus';
/** Frames per decoder call: at most 48 × 120 ms of audio in flight, whatever a page holds. */
const BATCH = 48;

export const oggOpusDecoder: WasmDecoder = {
  async probe(path) {
    const { head, tail } = await readHeadAndTail(path);
    const header = readOggHeader(head, tail);
    if (header?.codec !== 'opus') throw new CorruptAudioError(FORMAT, 'unreadable', 'no OpusHead');
    if (header.channels < 1 || header.channels > MAX_CHANNELS) {
      throw new UnsupportedAudioFormatError(`${FORMAT} with ${header.channels} channels`);
    }
    const statedSeconds =
      header.lastGranule === undefined
        ? undefined
        : Math.max(0, header.lastGranule - header.preSkip) / 48_000;
    return { format: FORMAT, codec: 'opus', sampleRate: 48_000, channels: header.channels, statedSeconds };
  },
  decode: decodeOggOpus,
};

interface Link {
  readonly decoder: OpusDecoder<OpusDecoderSampleRate>;
  readonly preSkip: number;
  /** Frames this link has produced, at the output rate. */
  produced: number;
}

/**
 * Decodes every Opus stream in the file in order (a chained Ogg holds several), at one of libopus's
 * own rates, trimming each stream's end to its final granule as players do.
 */
async function* decodeOggOpus(
  path: string,
  _info: SourceInfo,
  sampleRate: number,
): AsyncGenerator<DecodedPiece> {
  const rate = sampleRate as OpusDecoderSampleRate;
  let link: Link | undefined;
  const onCodec = (codec: string) => {
    if (codec !== 'opus') throw new CorruptAudioError(FORMAT, 'unreadable', `a ${codec} stream follows`);
  };
  try {
    for await (const page of parsedUnits<OggPage>(path, 'application/ogg', onCodec)) {
      const frames: CodecFrame[] = page.codecFrames;
      if (frames.length > 0) {
        link ??= await openLink(frames[0] as CodecFrame, rate);
        for (let at = 0; at < frames.length; at += BATCH) {
          const batch = frames.slice(at, at + BATCH).map((frame) => frame.data);
          const { channelData, samplesDecoded, errors } = link.decoder.decodeFrames(batch);
          if (errors.length > 0) {
            throw new CorruptAudioError(FORMAT, 'unreadable', `${errors.length} damaged Opus packets`);
          }
          link.produced += samplesDecoded;
          yield { kind: 'audio', channelData, frames: samplesDecoded };
        }
      }
      if (page.isLastPage && link) {
        // The last granule marks where this stream's audio really ends; the final frame may overrun it.
        const expected = Math.round(((granuleOf(page) - link.preSkip) * rate) / 48_000);
        const excess = link.produced - Math.max(expected, 0);
        if (excess > 0) yield { kind: 'trim', frames: Math.min(excess, link.produced) };
        link.decoder.free();
        link = undefined;
      }
    }
  } finally {
    link?.decoder.free();
  }
}

async function openLink(first: CodecFrame, rate: OpusDecoderSampleRate): Promise<Link> {
  const header = first.header as OpusHeader;
  if (header.channels < 1 || header.channels > MAX_CHANNELS) {
    throw new UnsupportedAudioFormatError(`${FORMAT} with ${header.channels} channels`);
  }
  const decoder = new OpusDecoder({
    sampleRate: rate,
    channels: header.channels,
    streamCount: header.streamCount,
    coupledStreamCount: header.coupledStreamCount,
    channelMappingTable: header.channelMappingTable,
    preSkip: Math.round((header.preSkip * rate) / 48_000),
  });
  await decoder.ready;
  return { decoder, preSkip: header.preSkip, produced: 0 };
}
