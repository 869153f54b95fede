import type { IAudioMetadata } from 'music-metadata';
import { DurationOutOfRangeError, NotAudioError } from './errors.ts';
import { CorruptAudioError, EmptyAudioError, UnsupportedAudioFormatError } from '../audio/errors.ts';
import { measureMp4SoundTrack } from './mp4-samples.ts';
import { scanMpegFrames, type MpegScan } from './mpeg-frames.ts';
import { recogniseNotAudio } from './not-audio.ts';
import { ascii, checkStructure } from './structure-limits.ts';
import { isWav, readWavLayout } from './wav-layout.ts';
import { isDurationAllowed, type AudioLimits } from '../domain/limits.ts';
import type { Purpose } from '../domain/purposes.ts';

export type AudioFormat = 'mp3' | 'm4a' | 'wav';

export interface AudioInfo {
  readonly format: AudioFormat;
  /** The codec as music-metadata names it, e.g. "MPEG 2 Layer 3", "MPEG-4/AAC", "PCM". */
  readonly codec: string;
  /** Seconds of audio actually in the file (not what a header or the size suggests). */
  readonly durationSeconds: number;
  readonly sampleRate: number | undefined;
  readonly channels: number | undefined;
  readonly bitrate: number | undefined;
}

const ACCEPTED_MP4_CODECS = /^(MPEG-4\/AAC|ALAC)/;
/**
 * How far a stated length and the audio present may disagree before the file is damaged: LAME's
 * Info frame and an MP4's media header match their content to a frame, so 10% is no rounding.
 */
const STATED_LENGTH_TOLERANCE = 0.1;
/** Below this share of the bytes after the first frame being frames, an MP3 is mostly something else. */
const MIN_MP3_AUDIO_SHARE = 0.5;

/**
 * Tells what the bytes really are, whatever the file is called, and how long they play.
 * Throws an AudioRejectedError for anything DMXAPI would not take as mp3, m4a or wav.
 * Runs in an audio worker (see audio-pool.ts), never on the main thread. For a WAV, `bytes` may be
 * the file's start through its data chunk's header (see inspect-file.ts), and `fileSize` the whole.
 */
export async function inspectAudio(bytes: Uint8Array, fileSize = bytes.length): Promise<AudioInfo> {
  if (bytes.length === 0) throw new EmptyAudioError();
  const notAudio = recogniseNotAudio(bytes);
  if (notAudio) throw new NotAudioError(notAudio);
  checkStructure(bytes);
  if (isWav(bytes)) return inspectWav(bytes, fileSize);
  if (fileSize !== bytes.length) throw new RangeError('only a WAV is inspected from its start');
  // MP3 is read from its frames, as a decoder reads it: tags and stray bytes in front do not hide it.
  const startsAsMpeg =
    ascii(bytes, 0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0);
  const mpeg = startsAsMpeg ? scanMpegFrames(bytes) : undefined;
  if (mpeg) return judgeMp3(mpeg);

  let metadata: IAudioMetadata;
  try {
    // Loaded only here: WAV and MP3 are read by our own code, and music-metadata holds about 19 MB
    // once loaded, in every worker that loads it and on the main thread (which imports this module).
    const { parseBuffer } = await import('music-metadata');
    // No file name or MIME type on purpose: the format is judged by content alone.
    metadata = await parseBuffer(bytes, undefined, { duration: true, skipCovers: true });
  } catch (error) {
    if (error instanceof Error && error.name === 'CouldNotDetermineFileTypeError') {
      // Nothing known at the start: an MP3 behind stray bytes is still an MP3.
      const behindStrayBytes = startsAsMpeg ? undefined : scanMpegFrames(bytes);
      if (behindStrayBytes) return judgeMp3(behindStrayBytes);
      throw new UnsupportedAudioFormatError(undefined);
    }
    throw new CorruptAudioError(sniffContainer(bytes) ?? 'audio', 'unreadable', describe(error));
  }

  const format = classify(bytes, metadata);
  const { duration, codec = 'unknown', sampleRate, numberOfChannels, bitrate } = metadata.format;
  if (duration === undefined || !Number.isFinite(duration) || duration <= 0) {
    throw new CorruptAudioError(format, 'no_duration');
  }
  return {
    format,
    codec,
    durationSeconds: format === 'm4a' ? judgeMp4Length(bytes, duration) : duration,
    sampleRate,
    channels: numberOfChannels,
    bitrate: bitrate === undefined ? undefined : Math.round(bitrate),
  };
}

export function checkDuration(audio: AudioInfo, purpose: Purpose, limits: AudioLimits): void {
  const limit = limits.duration[purpose];
  if (!isDurationAllowed(audio.durationSeconds, limit)) {
    throw new DurationOutOfRangeError(audio.durationSeconds, purpose, limit);
  }
}

/** WAVs are read from their own chunks: the parser neither knows extensible sub-formats nor streamed sizes. */
function inspectWav(bytes: Uint8Array, fileSize: number): AudioInfo {
  const { codec, durationSeconds, sampleRate, channels, bitsPerSample } = readWavLayout(bytes, fileSize);
  if (durationSeconds <= 0) throw new CorruptAudioError('wav', 'no_duration');
  return {
    format: 'wav',
    codec,
    durationSeconds,
    sampleRate,
    channels,
    bitrate: sampleRate * channels * bitsPerSample,
  };
}

/**
 * An MP3's length is its frames'. A Xing/Info/VBRI header's length must match them; without one, the
 * size is the only claim, and frames must make up most of the bytes.
 */
function judgeMp3(scan: MpegScan): AudioInfo {
  const { foundSeconds, statedSeconds } = scan;
  if (foundSeconds <= 0) throw new CorruptAudioError('mp3', 'unreadable', 'no complete audio frame');
  if (statedSeconds !== undefined && disagree(statedSeconds, foundSeconds)) {
    const reason = foundSeconds < statedSeconds && scan.endsInFrames ? 'truncated' : 'length_mismatch';
    throw new CorruptAudioError('mp3', reason, undefined, { claimedSeconds: statedSeconds, foundSeconds });
  }
  const payload = scan.audioBytes + scan.otherBytes;
  if (statedSeconds === undefined && scan.audioBytes < payload * MIN_MP3_AUDIO_SHARE) {
    throw new CorruptAudioError('mp3', 'length_mismatch', `${scan.otherBytes} bytes are not audio frames`, {
      claimedSeconds: (payload * 8) / scan.bitrate,
      foundSeconds,
    });
  }
  return {
    format: 'mp3',
    codec: scan.codec,
    durationSeconds: foundSeconds,
    sampleRate: scan.sampleRate,
    channels: scan.channels,
    bitrate: Math.round(scan.bitrate),
  };
}

/** The sound track's present samples, when its sample table can be checked against the file. */
function judgeMp4Length(bytes: Uint8Array, parsedSeconds: number): number {
  let track;
  try {
    track = measureMp4SoundTrack(bytes);
  } catch (error) {
    // A table that runs past its box: music-metadata read what it needed, this check cannot run.
    if (error instanceof RangeError) return parsedSeconds;
    throw error;
  }
  if (!track) return parsedSeconds;
  const { statedSeconds, foundSeconds } = track;
  if (disagree(statedSeconds, foundSeconds)) {
    const reason = foundSeconds < statedSeconds ? 'truncated' : 'length_mismatch';
    throw new CorruptAudioError('m4a', reason, undefined, { claimedSeconds: statedSeconds, foundSeconds });
  }
  return Math.min(parsedSeconds, foundSeconds > 0 ? foundSeconds : parsedSeconds);
}

function disagree(stated: number, found: number): boolean {
  return Math.abs(stated - found) > stated * STATED_LENGTH_TOLERANCE;
}

function classify(bytes: Uint8Array, metadata: IAudioMetadata): AudioFormat {
  const { container = '', codec = '' } = metadata.format;
  if (container === 'MPEG') {
    // Layer III frames were looked for first; MPEG audio that reaches here is another layer or ADTS.
    throw new UnsupportedAudioFormatError(codec ? `MPEG audio (${codec})` : 'MPEG audio');
  }
  if (isMp4(bytes)) {
    if (metadata.format.hasVideo === true && metadata.format.hasAudio !== true) {
      throw new NotAudioError('video_without_audio');
    }
    if (metadata.format.hasVideo === true) throw new UnsupportedAudioFormatError('MP4 video');
    if (ACCEPTED_MP4_CODECS.test(codec)) return 'm4a';
    throw new UnsupportedAudioFormatError(`MP4 audio (${codec || 'unknown codec'})`);
  }
  if (container) throw new UnsupportedAudioFormatError(codec ? `${container} (${codec})` : container);
  // A header we know (an ID3 tag, a RIFF/WAVE header) with no readable audio after it is damaged, not foreign.
  const sniffed = sniffContainer(bytes);
  if (sniffed) throw new CorruptAudioError(sniffed, 'unreadable');
  throw new UnsupportedAudioFormatError(undefined);
}

function isMp4(bytes: Uint8Array): boolean {
  return ascii(bytes, 4, 8) === 'ftyp';
}

function sniffContainer(bytes: Uint8Array): string | undefined {
  if (isMp4(bytes)) return 'm4a';
  if (isWav(bytes)) return 'wav';
  if (ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
