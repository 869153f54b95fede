/**
 * A problem with the user's attachment, found before anything is sent to DMXAPI: here what is wrong
 * with the audio itself, found by inspection or conversion (src/pipeline/errors.ts has the rest).
 * Each subclass carries the measured values a reply needs; wording lives in the i18n catalogues.
 */
export abstract class AudioRejectedError extends Error {
  abstract readonly code: string;
}

export class EmptyAudioError extends AudioRejectedError {
  readonly code = 'audio_empty';
  constructor() {
    super('the attachment is empty (0 bytes)');
  }
}

export class UnsupportedAudioFormatError extends AudioRejectedError {
  readonly code = 'audio_unsupported_format';
  /** What the content really is, e.g. "Ogg (Vorbis I)", "MP4 with a video track"; undefined when unrecognised. */
  readonly detected: string | undefined;
  constructor(detected: string | undefined) {
    super(`unsupported audio format: ${detected ?? 'not recognised as audio'}`);
    this.detected = detected;
  }
}

export class CorruptAudioError extends AudioRejectedError {
  readonly code = 'audio_corrupt';
  readonly format: string;
  /**
   * truncated: ends before the audio its header states; length_mismatch: what it claims (in its header,
   * or by its size) and the audio it holds disagree badly; unreadable; no_duration.
   */
  readonly reason: 'truncated' | 'length_mismatch' | 'unreadable' | 'no_duration';
  /** For truncated and length_mismatch: the length the header or the size promises, in seconds. */
  readonly claimedSeconds: number | undefined;
  /** For truncated and length_mismatch: the length of the audio actually present. */
  readonly foundSeconds: number | undefined;
  constructor(
    format: string,
    reason: CorruptAudioError['reason'],
    detail?: string,
    lengths?: { readonly claimedSeconds: number; readonly foundSeconds: number },
  ) {
    super(`${format} file is ${reason}${detail ? `: ${detail}` : ''}`);
    this.format = format;
    this.reason = reason;
    this.claimedSeconds = lengths?.claimedSeconds;
    this.foundSeconds = lengths?.foundSeconds;
  }
}
