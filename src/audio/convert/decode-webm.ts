import { EncodedPacketSink, FilePathSource, Input, MATROSKA, WEBM, type InputAudioTrack } from 'mediabunny';
import { OpusDecoder, type OpusDecoderSampleRate } from 'opus-decoder';
import { CorruptAudioError, UnsupportedAudioFormatError } from '../errors.ts';
import { MAX_CHANNELS, type DecodedPiece, type SourceInfo, type WasmDecoder } from './decoded.ts';
import { NoAudioTrackError } from './errors.ts';

const FORMAT = 'WebM Opus';
const BATCH = 48;

/**
 * The codec of a WebM's audio track ("opus", "vorbis", ...), or for one the demuxer does not know
 * the CodecID the file states (file text: shown only through the reply's escaping); 'none' without audio.
 */
export async function webmAudioCodec(
  path: string,
): Promise<{ readonly codec: string | null; readonly codecId: string } | 'none'> {
  return withInput(path, async (_input, track) => {
    if (!track) return 'none';
    const id = await track.getInternalCodecId();
    return { codec: await track.getCodec(), codecId: typeof id === 'string' ? id : String(id ?? '') };
  });
}

export const webmOpusDecoder: WasmDecoder = {
  probe: (path) =>
    withInput(path, async (input, track) => {
      if (!track) throw new NoAudioTrackError('WebM');
      const codec = await track.getCodec();
      if (codec !== 'opus') throw new UnsupportedAudioFormatError(`WebM (${codec ?? 'unknown'})`);
      const head = opusHead(await track.getDecoderConfig());
      // Browsers' MediaRecorder writes no Duration: then only the cap applies, and the last
      // timestamp sizes the output without being held against the decoded length.
      const stated = await input.getDurationFromMetadata([track]);
      const lastTimestamp = await track.computeDuration();
      return {
        format: FORMAT,
        codec: 'opus',
        sampleRate: 48_000,
        channels: head.channels,
        statedSeconds: stated !== null && stated > 0 ? stated : undefined,
        estimatedSeconds: lastTimestamp,
      } satisfies SourceInfo;
    }),

  async *decode(path, _info, sampleRate): AsyncGenerator<DecodedPiece> {
    const input = open(path);
    let decoder: OpusDecoder<OpusDecoderSampleRate> | undefined;
    try {
      const track = await input.getPrimaryAudioTrack();
      if (!track) throw new NoAudioTrackError('WebM');
      const head = opusHead(await track.getDecoderConfig());
      const rate = sampleRate as OpusDecoderSampleRate;
      decoder = new OpusDecoder({
        sampleRate: rate,
        channels: head.channels,
        streamCount: head.streamCount,
        coupledStreamCount: head.coupledStreamCount,
        channelMappingTable: head.mapping,
        preSkip: Math.round((head.preSkip * rate) / 48_000),
      });
      await decoder.ready;
      let batch: Uint8Array[] = [];
      const run = (): DecodedPiece => {
        const { channelData, samplesDecoded, errors } = (
          decoder as OpusDecoder<OpusDecoderSampleRate>
        ).decodeFrames(batch);
        batch = [];
        if (errors.length > 0)
          throw new CorruptAudioError(FORMAT, 'unreadable', `${errors.length} damaged packets`);
        return { kind: 'audio', channelData, frames: samplesDecoded };
      };
      for await (const packet of new EncodedPacketSink(track).packets()) {
        batch.push(packet.data);
        if (batch.length >= BATCH) yield run();
      }
      if (batch.length > 0) yield run();
    } finally {
      decoder?.free();
      input.dispose();
    }
  },
};

function open(path: string): Input<FilePathSource> {
  // A small read cache: the file is read front to back once.
  return new Input({
    source: new FilePathSource(path, { maxCacheSize: 4 * 1024 * 1024 }),
    formats: [WEBM, MATROSKA],
  });
}

async function withInput<T>(
  path: string,
  use: (input: Input, track: InputAudioTrack | null) => Promise<T>,
): Promise<T> {
  const input = open(path);
  try {
    let track: InputAudioTrack | null;
    try {
      track = await input.getPrimaryAudioTrack();
    } catch (error) {
      throw new CorruptAudioError(
        'WebM',
        'unreadable',
        error instanceof Error ? error.message : String(error),
      );
    }
    return await use(input, track);
  } finally {
    input.dispose();
  }
}

interface OpusHead {
  readonly channels: number;
  readonly preSkip: number;
  readonly streamCount: number;
  readonly coupledStreamCount: number;
  readonly mapping: number[];
}

/** The OpusHead in the track's CodecPrivate (RFC 7845 §5.1). */
function opusHead(config: Awaited<ReturnType<InputAudioTrack['getDecoderConfig']>>): OpusHead {
  // Typed by the DOM's WebCodecs types, which this Node project does not load.
  const description: unknown = config?.description;
  const bytes =
    description instanceof ArrayBuffer
      ? new Uint8Array(description)
      : ArrayBuffer.isView(description)
        ? new Uint8Array(description.buffer, description.byteOffset, description.byteLength)
        : undefined;
  if (!bytes || bytes.length < 19) throw new CorruptAudioError(FORMAT, 'unreadable', 'no OpusHead');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channels = bytes[9] as number;
  if (channels < 1 || channels > MAX_CHANNELS) {
    throw new UnsupportedAudioFormatError(`${FORMAT} with ${channels} channels`);
  }
  const family = bytes[18] as number;
  if (family === 0) {
    return {
      channels,
      preSkip: view.getUint16(10, true),
      streamCount: 1,
      coupledStreamCount: channels - 1,
      mapping: channels === 1 ? [0] : [0, 1],
    };
  }
  if (bytes.length < 21 + channels) throw new CorruptAudioError(FORMAT, 'unreadable', 'short OpusHead');
  return {
    channels,
    preSkip: view.getUint16(10, true),
    streamCount: bytes[19] as number,
    coupledStreamCount: bytes[20] as number,
    mapping: [...bytes.subarray(21, 21 + channels)],
  };
}
