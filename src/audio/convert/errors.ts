import { AudioRejectedError } from '../errors.ts';

/**
 * Refusals found while converting. Each carries the measured values its reply shows; wording lives in
 * the i18n catalogues. `format` is how the source is named to the user ("Ogg Opus", "FLAC", "MP4").
 */

/** A format only ffmpeg converts, and this bot has no usable ffmpeg. */
export class ConverterUnavailableError extends AudioRejectedError {
  readonly code = 'convert_unavailable';
  readonly format: string;
  constructor(format: string) {
    super(`${format} needs ffmpeg to convert, and ffmpeg is not available`);
    this.format = format;
  }
}

/** The container holds no audio track at all (a silent video, say). */
export class NoAudioTrackError extends AudioRejectedError {
  readonly code = 'convert_no_audio_track';
  readonly format: string;
  constructor(format: string) {
    super(`${format} has no audio track`);
    this.format = format;
  }
}

/** The decoder produced no samples: nothing to send. */
export class NoAudioDecodedError extends AudioRejectedError {
  readonly code = 'convert_no_audio';
  readonly format: string;
  constructor(format: string) {
    super(`${format}: the decoder produced no audio`);
    this.format = format;
  }
}

/** Every decoded sample is (near) zero: a voice cannot be cloned from silence. */
export class SilentAudioError extends AudioRejectedError {
  readonly code = 'convert_silent';
  readonly format: string;
  /** Loudest sample, in dBFS (-Infinity for all zeros). */
  readonly peakDbfs: number;
  readonly thresholdDbfs: number;
  constructor(format: string, peakDbfs: number, thresholdDbfs: number) {
    super(`${format}: silent (peak ${peakDbfs.toFixed(1)} dBFS, below ${thresholdDbfs} dBFS)`);
    this.format = format;
    this.peakDbfs = peakDbfs;
    this.thresholdDbfs = thresholdDbfs;
  }
}

/**
 * The audio decoded is not as long as the container says: shorter means frames are missing (a cut-off
 * or damaged file), longer means it hides more than it admits (a chained Ogg). `atLeast`: decoding
 * was stopped, so the file holds at least `decodedSeconds`.
 */
export class DecodedLengthMismatchError extends AudioRejectedError {
  readonly code = 'convert_length_mismatch';
  readonly format: string;
  readonly statedSeconds: number;
  readonly decodedSeconds: number;
  readonly atLeast: boolean;
  constructor(format: string, statedSeconds: number, decodedSeconds: number, atLeast: boolean) {
    super(
      `${format} states ${statedSeconds.toFixed(2)} s but decodes to ${atLeast ? 'more than ' : ''}${decodedSeconds.toFixed(2)} s`,
    );
    this.format = format;
    this.statedSeconds = statedSeconds;
    this.decodedSeconds = decodedSeconds;
    this.atLeast = atLeast;
  }
}

/** Longer than anything the purpose accepts: decoding stopped at the cap (or the header said so). */
export class AudioTooLongError extends AudioRejectedError {
  readonly code = 'convert_too_long';
  readonly format: string;
  /** The length found; with `atLeast`, decoding stopped there and the file is longer still. */
  readonly seconds: number;
  readonly atLeast: boolean;
  readonly maxSeconds: number;
  constructor(format: string, seconds: number, atLeast: boolean, maxSeconds: number) {
    super(`${format} lasts ${atLeast ? 'more than ' : ''}${seconds.toFixed(1)} s, limit ${maxSeconds} s`);
    this.format = format;
    this.seconds = seconds;
    this.atLeast = atLeast;
    this.maxSeconds = maxSeconds;
  }
}

/** Even at the lowest rate we would use, the WAV would not fit the size limit. */
export class ConvertedTooLargeError extends AudioRejectedError {
  readonly code = 'convert_too_large';
  readonly seconds: number;
  readonly lowestRate: number;
  readonly bytes: number;
  readonly maxBytes: number;
  constructor(seconds: number, lowestRate: number, bytes: number, maxBytes: number) {
    super(`${seconds.toFixed(1)} s at ${lowestRate} Hz is ${bytes} bytes as WAV, limit ${maxBytes}`);
    this.seconds = seconds;
    this.lowestRate = lowestRate;
    this.bytes = bytes;
    this.maxBytes = maxBytes;
  }
}

/** ffmpeg gave up on the file, ran past its time or memory limit, or wrote nothing. */
export class ConversionFailedError extends AudioRejectedError {
  readonly code = 'convert_failed';
  readonly format: string;
  readonly reason: 'unreadable' | 'timeout' | 'memory';
  /** ffmpeg's last words, for the log only. */
  readonly detail: string | undefined;
  /** For `timeout`: the limit that ran out. */
  readonly timeoutMs: number | undefined;
  constructor(format: string, reason: ConversionFailedError['reason'], detail?: string, timeoutMs?: number) {
    super(`converting ${format} failed (${reason})${detail ? `: ${detail}` : ''}`);
    this.format = format;
    this.reason = reason;
    this.detail = detail;
    this.timeoutMs = timeoutMs;
  }
}
