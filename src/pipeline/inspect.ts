import { parseBuffer, type IAudioMetadata } from 'music-metadata';
import {
  CorruptAudioError,
  DurationOutOfRangeError,
  EmptyAudioError,
  NotAudioError,
  UnsupportedAudioFormatError,
} from './errors.ts';
import { recogniseNotAudio } from './not-audio.ts';
import { checkStructure } from './structure-limits.ts';
import { isWav, readWavLayout } from './wav-layout.ts';
import { isDurationAllowed, type AudioLimits } from '../domain/limits.ts';
import type { Purpose } from '../domain/purposes.ts';

export type AudioFormat = 'mp3' | 'm4a' | 'wav';

export interface AudioInfo {
  readonly format: AudioFormat;
  /** The codec as music-metadata names it, e.g. "MPEG 2 Layer 3", "MPEG-4/AAC", "PCM". */
  readonly codec: string;
  readonly durationSeconds: number;
  readonly sampleRate: number | undefined;
  readonly channels: number | undefined;
  readonly bitrate: number | undefined;
}

const ACCEPTED_MP4_CODECS = /^(MPEG-4\/AAC|ALAC)/;

/**
 * Tells what the bytes really are, whatever the file is called, and how long they play.
 * Throws an AudioRejectedError for anything DMXAPI would not take as mp3, m4a or wav.
 */
export async function inspectAudio(bytes: Uint8Array): Promise<AudioInfo> {
  if (bytes.length === 0) throw new EmptyAudioError();
  const notAudio = recogniseNotAudio(bytes);
  if (notAudio) throw new NotAudioError(notAudio);
  checkStructure(bytes);
  if (isWav(bytes)) return inspectWav(bytes);

  let metadata: IAudioMetadata;
  try {
    // No file name or MIME type on purpose: the format is judged by content alone.
    metadata = await parseBuffer(bytes, undefined, { duration: true, skipCovers: true });
  } catch (error) {
    if (error instanceof Error && error.name === 'CouldNotDetermineFileTypeError') {
      throw new UnsupportedAudioFormatError(undefined);
    }
    throw new CorruptAudioError(sniffContainer(bytes) ?? 'audio', 'unreadable', describe(error));
  }

  const format = classify(bytes, metadata);
  const { duration, codec = 'unknown', sampleRate, numberOfChannels, bitrate } = metadata.format;

  if (duration === undefined || !Number.isFinite(duration) || duration <= 0) {
    throw new CorruptAudioError(format, 'no_duration');
  }
  if (looksTruncated(format, bytes.length, metadata)) {
    throw new CorruptAudioError(format, 'truncated');
  }

  return {
    format,
    codec,
    durationSeconds: duration,
    sampleRate,
    channels: numberOfChannels,
    bitrate: bitrate === undefined ? undefined : Math.round(bitrate),
  };
}

/** WAVs are read from their own chunks: the parser neither knows extensible sub-formats nor streamed sizes. */
function inspectWav(bytes: Uint8Array): AudioInfo {
  const { codec, durationSeconds, sampleRate, channels, bitsPerSample } = readWavLayout(bytes);
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

export function checkDuration(audio: AudioInfo, purpose: Purpose, limits: AudioLimits): void {
  const limit = limits.duration[purpose];
  if (!isDurationAllowed(audio.durationSeconds, limit)) {
    throw new DurationOutOfRangeError(audio.durationSeconds, purpose, limit);
  }
}

function classify(bytes: Uint8Array, metadata: IAudioMetadata): AudioFormat {
  const { container = '', codec = '' } = metadata.format;
  if (container === 'MPEG') {
    if (codec.includes('Layer 3')) return 'mp3';
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

/**
 * A cut-off file still parses: a WAV header or an MP3 Info frame states the full length even when
 * half the bytes are missing. Uploading one would clone from a clip other than the one the user heard.
 */
function looksTruncated(format: AudioFormat, size: number, metadata: IAudioMetadata): boolean {
  if (format === 'mp3') {
    const { duration, bitrate } = metadata.format;
    if (duration === undefined || bitrate === undefined) return false;
    // Tags and cover art only add bytes, so fewer bytes than the audio needs means frames are missing.
    const audioBytesNeeded = (duration * bitrate) / 8;
    return size < audioBytesNeeded * 0.9;
  }
  // MP4 boxes carry their own sizes and music-metadata refuses a cut-off one while parsing.
  return false;
}

function isMp4(bytes: Uint8Array): boolean {
  return ascii(bytes, 4, 8) === 'ftyp';
}

function sniffContainer(bytes: Uint8Array): string | undefined {
  if (isMp4(bytes)) return 'm4a';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WAVE') return 'wav';
  if (ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  return undefined;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
