import type { SourceInfo, WasmDecoder } from './decoded.ts';
import {
  AudioTooLongError,
  ConvertedTooLargeError,
  DecodedLengthMismatchError,
  NoAudioDecodedError,
  SilentAudioError,
} from './errors.ts';
import { MonoWavBuilder } from './mono-wav.ts';
import { candidateRates, chooseOutputRate, wavBytesFor } from './output-rate.ts';
import type { WasmSource } from './source-kind.ts';

export interface ConvertLimits {
  /** The longest audio the purpose accepts; decoding stops one second past it. */
  readonly maxSeconds: number;
  /** The largest WAV that may be sent (MAX_AUDIO_BYTES). */
  readonly maxBytes: number;
}

export interface ConvertedAudio {
  /** A 16-bit PCM mono WAV, header written by us. */
  readonly wav: Uint8Array<ArrayBuffer>;
  readonly sampleRate: number;
  readonly durationSeconds: number;
  /** What the source was, as the user is told: "Ogg Opus", "FLAC", "MP4". */
  readonly from: string;
  readonly sourceSampleRate: number;
  readonly sourceChannels: number;
}

/** Decoded and stated lengths may differ by this much (an encoder's padding, a last partial frame). */
export const LENGTH_TOLERANCE_SECONDS = 0.1;
/** Decoding stops this far past the purpose's maximum: that cap, not a heap limit, bounds memory. */
export const CAP_MARGIN_SECONDS = 1;
/** Loudest sample below this (-60 dBFS) is silence: nothing a voice can be cloned from. */
export const SILENCE_PEAK = 0.001;

/**
 * Each decoder is loaded when first needed: a worker that only inspects MP3s, and the main thread
 * (which imports this module for its constants), never load WASM decoders or the WebM demuxer.
 */
const DECODERS: Readonly<Record<WasmSource, () => Promise<WasmDecoder>>> = {
  'ogg-opus': async () => (await import('./decode-ogg-opus.ts')).oggOpusDecoder,
  'ogg-vorbis': async () => (await import('./decode-ogg-vorbis.ts')).oggVorbisDecoder,
  flac: async () => (await import('./decode-flac.ts')).flacDecoder,
  webm: async () => (await import('./decode-webm.ts')).webmOpusDecoder,
  wav: async () => (await import('./decode-wav.ts')).wavDecoder,
};

/**
 * Decodes a file with the WASM decoder for its kind into the WAV DMXAPI is sent: mono, 16-bit, at the
 * highest rate not above the source's that fits `maxBytes`. Decoding is capped at the purpose's
 * maximum plus a second, and the decoded length must match the container's (±0.1 s) where it states one.
 */
export async function convertWithWasm(
  path: string,
  source: WasmSource,
  limits: ConvertLimits,
): Promise<ConvertedAudio> {
  const decoder = await DECODERS[source]();
  const info = await decoder.probe(path);
  const capSeconds = limits.maxSeconds + CAP_MARGIN_SECONDS;
  if (info.statedSeconds !== undefined && info.statedSeconds > capSeconds) {
    throw new AudioTooLongError(info.format, info.statedSeconds, false, limits.maxSeconds);
  }

  // Non-Opus sources with no stated length are measured first (cheap next to decoding twice as large).
  const sizingSeconds =
    info.statedSeconds ??
    (info.codec === 'opus'
      ? info.estimatedSeconds
      : await measureSeconds(decoder, path, info, capSeconds, limits)) ??
    capSeconds;
  const candidates = candidateRates(info.codec, info.sampleRate);
  const sizing = Math.min(sizingSeconds + LENGTH_TOLERANCE_SECONDS, capSeconds);
  const rate = chooseOutputRate(candidates, sizing, limits.maxBytes);
  if (rate === undefined) {
    const lowest = candidates[candidates.length - 1] as number;
    throw new ConvertedTooLargeError(
      sizingSeconds,
      lowest,
      wavBytesFor(Math.ceil(sizingSeconds * lowest)),
      limits.maxBytes,
    );
  }

  const decodeRate = info.codec === 'opus' ? rate : info.sampleRate;
  const limitSeconds = Math.min(capSeconds, (info.statedSeconds ?? Infinity) + LENGTH_TOLERANCE_SECONDS);
  const resampler =
    decodeRate === rate
      ? undefined
      : await (await import('./speex-resampler.ts')).createResampler(decodeRate, rate);
  const builder = new MonoWavBuilder({
    sampleRate: rate,
    maxFrames: Math.ceil(limitSeconds * rate) + 1,
    expectedFrames: Math.ceil(sizing * rate),
    resampler,
  });
  try {
    for await (const piece of decoder.decode(path, info, decodeRate)) {
      if (piece.kind === 'trim') builder.dropLast(piece.frames);
      else if (!builder.append(piece.channelData, piece.frames)) break;
    }
  } finally {
    resampler?.destroy();
  }
  if (builder.full) throw stoppedError(info, builder.frames / rate, capSeconds, limits);

  const wav = builder.finish();
  const decodedSeconds = wav.frames / rate;
  if (wav.frames === 0) throw new NoAudioDecodedError(info.format);
  if (
    info.statedSeconds !== undefined &&
    Math.abs(decodedSeconds - info.statedSeconds) > LENGTH_TOLERANCE_SECONDS
  ) {
    throw new DecodedLengthMismatchError(info.format, info.statedSeconds, decodedSeconds, false);
  }
  if (wav.peak < SILENCE_PEAK) {
    throw new SilentAudioError(info.format, wav.peak === 0 ? -Infinity : 20 * Math.log10(wav.peak), -60);
  }
  // Only a source whose length was a guess (WebM's timestamps) can come out bigger than it was sized for.
  if (wav.bytes.length > limits.maxBytes) {
    throw new ConvertedTooLargeError(decodedSeconds, rate, wav.bytes.length, limits.maxBytes);
  }
  return {
    wav: wav.bytes,
    sampleRate: rate,
    durationSeconds: decodedSeconds,
    from: info.format,
    sourceSampleRate: info.sampleRate,
    sourceChannels: info.channels,
  };
}

/** Decoding passed the cap: past the stated length (it hides more), or past the purpose's maximum. */
function stoppedError(info: SourceInfo, decodedSeconds: number, capSeconds: number, limits: ConvertLimits) {
  if (info.statedSeconds !== undefined && info.statedSeconds + LENGTH_TOLERANCE_SECONDS < capSeconds) {
    return new DecodedLengthMismatchError(info.format, info.statedSeconds, decodedSeconds, true);
  }
  return new AudioTooLongError(info.format, decodedSeconds, true, limits.maxSeconds);
}

/** Counts the frames of a source that states no length, stopping at the cap. */
async function measureSeconds(
  decoder: WasmDecoder,
  path: string,
  info: SourceInfo,
  capSeconds: number,
  limits: ConvertLimits,
): Promise<number> {
  const capFrames = capSeconds * info.sampleRate;
  let frames = 0;
  for await (const piece of decoder.decode(path, info, info.sampleRate)) {
    frames += piece.kind === 'audio' ? piece.frames : -piece.frames;
    if (frames > capFrames)
      throw new AudioTooLongError(info.format, frames / info.sampleRate, true, limits.maxSeconds);
  }
  return frames / info.sampleRate;
}
