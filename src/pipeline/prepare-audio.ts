import { convertWithFfmpeg } from '../audio/convert/convert-ffmpeg.ts';
import type { ConvertedAudio } from '../audio/convert/convert-wasm.ts';
import { ConversionFailedError, ConverterUnavailableError } from '../audio/convert/errors.ts';
import { readHeadAndTail } from '../audio/convert/file-reader.ts';
import { sourceKind, type SourceKind } from '../audio/convert/source-kind.ts';
import type { AudioLimits } from '../domain/limits.ts';
import type { Purpose } from '../domain/purposes.ts';
import type { UploadAudio } from '../dmxapi/request-body.ts';
import type { AudioWorkerPool } from './audio-pool.ts';
import type { DownloadedFile } from './download.ts';
import { DeclaredSizeTooLargeError } from './errors.ts';
import { EmptyAudioError, UnsupportedAudioFormatError } from '../audio/errors.ts';
import type { AudioInfo } from './inspect.ts';

/** What will be sent, what it is, and what it was converted from (if it was). */
export interface PreparedAudio {
  /** A file sent as it is stays on disk until it is sent; a converted WAV is in memory. */
  readonly content: UploadAudio;
  readonly audio: AudioInfo;
  readonly conversion: Conversion | undefined;
}

export interface Conversion {
  /** What the user posted, as they are told: "Ogg Opus", "FLAC", "MP4 video (AAC)". */
  readonly from: string;
  readonly sampleRate: number;
}

export interface PrepareOptions {
  readonly limits: AudioLimits;
  readonly audioWorkers: AudioWorkerPool;
  readonly inspectTimeoutMs: number;
  /** Time limit of one conversion, in a worker or in ffmpeg (CONVERT_TIMEOUT_MS). */
  readonly convertTimeoutMs: number;
  /** ffmpeg's path while a working one is known (FfmpegAvailability), else undefined. */
  readonly ffmpeg: { readonly usablePath: string | undefined };
}

export interface PrepareHooks {
  readonly onConverting?: ((from: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Decides what is sent for a downloaded file. MP3, M4A and WAV that inspection accepts and that fit
 * MAX_AUDIO_BYTES go as they are, byte for byte. Everything else that is audio is converted to a mono
 * 16-bit WAV: in a worker by a WASM decoder (Ogg Opus, Vorbis, FLAC, WebM Opus, a WAV too big to
 * send), else by ffmpeg when there is one.
 */
export async function prepareAudio(
  file: DownloadedFile,
  purpose: Purpose,
  options: PrepareOptions,
  hooks: PrepareHooks = {},
): Promise<PreparedAudio> {
  if (file.size === 0) throw new EmptyAudioError();
  const { head, tail } = await readHeadAndTail(file.path);
  const kind = sourceKind(head, tail);
  const ffmpegPath = options.ffmpeg.usablePath;
  let refusal: UnsupportedAudioFormatError | undefined;
  if (maySendAsIs(kind) && file.size <= options.limits.maxBytes) {
    try {
      return await inspect(file, options, hooks.signal);
    } catch (error) {
      // Inspection names what it refuses (a JPEG, a silent video); only audio it cannot take as it
      // is (an MP4 video, a non-PCM WAV, something unrecognised) is worth converting.
      if (!(error instanceof UnsupportedAudioFormatError)) throw error;
      if (ffmpegPath === undefined) {
        if (kind.route === 'passthrough' && isVideoContainer(kind.format)) {
          throw new ConverterUnavailableError(error.detected ?? kind.format);
        }
        throw error;
      }
      refusal = error;
    }
  }

  const limits = {
    maxSeconds: options.limits.duration[purpose].maxSeconds,
    maxBytes: options.limits.maxBytes,
  };
  if (kind.route === 'wasm' && refusal === undefined) {
    hooks.onConverting?.(kind.format);
    const value = await options.audioWorkers.run(
      { kind: 'convert', path: file.path, source: kind.source, limits },
      { timeoutMs: options.convertTimeoutMs, signal: hooks.signal },
    );
    if (value.needsFfmpeg === undefined) return converted(value);
    return viaFfmpeg(file, value.needsFfmpeg, limits, options, hooks, undefined);
  }
  if (kind.route === 'passthrough' && ffmpegPath === undefined && !isVideoContainer(kind.format)) {
    // An MP3 or M4A too big to send: only ffmpeg could make it smaller.
    throw new DeclaredSizeTooLargeError(file.size, options.limits.maxBytes);
  }
  const format = kind.route === 'unknown' ? 'file' : kind.format;
  return viaFfmpeg(file, format, limits, options, hooks, refusal);
}

/** MP4, MOV, 3GP: containers phones record video in; audio-only ones pass through as M4A. */
function isVideoContainer(format: string): boolean {
  return format === 'MP4' || format === 'MOV' || format === '3GP';
}

function maySendAsIs(kind: SourceKind): boolean {
  return (
    kind.route === 'passthrough' ||
    kind.route === 'unknown' ||
    (kind.route === 'wasm' && kind.source === 'wav')
  );
}

async function inspect(
  file: DownloadedFile,
  options: PrepareOptions,
  signal: AbortSignal | undefined,
): Promise<PreparedAudio> {
  // The worker reads what it needs from the file (a WAV's header, not its samples), and the upload
  // streams the checked file a chunk at a time: the main thread never holds a file sent as it is.
  const audio = await options.audioWorkers.run(
    { kind: 'inspect', path: file.path },
    { timeoutMs: options.inspectTimeoutMs, signal },
  );
  return { content: { path: file.path, size: file.size }, audio, conversion: undefined };
}

async function viaFfmpeg(
  file: DownloadedFile,
  format: string,
  limits: { maxSeconds: number; maxBytes: number },
  options: PrepareOptions,
  hooks: PrepareHooks,
  refusal: UnsupportedAudioFormatError | undefined,
): Promise<PreparedAudio> {
  const ffmpegPath = options.ffmpeg.usablePath;
  if (ffmpegPath === undefined) {
    // (A refusal to fall back on exists only when there is an ffmpeg to try: see prepareAudio.)
    if (format === 'file') throw new UnsupportedAudioFormatError(undefined);
    throw new ConverterUnavailableError(format);
  }
  hooks.onConverting?.(format);
  try {
    return converted(
      await convertWithFfmpeg({ ffmpegPath, timeoutMs: options.convertTimeoutMs }, file.path, format, limits),
    );
  } catch (error) {
    if (error instanceof ConversionFailedError && error.reason === 'unreadable') {
      // For a file inspection already refused, its reason ("a JPEG image") says more than ffmpeg's.
      if (refusal !== undefined) throw refusal;
      if (format === 'file') throw new UnsupportedAudioFormatError(undefined);
    }
    throw error;
  }
}

function converted(audio: ConvertedAudio): PreparedAudio {
  return {
    content: audio.wav,
    audio: {
      format: 'wav',
      codec: 'PCM',
      durationSeconds: audio.durationSeconds,
      sampleRate: audio.sampleRate,
      channels: 1,
      bitrate: audio.sampleRate * 16,
    },
    conversion: { from: audio.from, sampleRate: audio.sampleRate },
  };
}
