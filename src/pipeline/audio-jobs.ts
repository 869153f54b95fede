/**
 * The jobs the audio worker pool runs, and how they and their errors cross the thread boundary.
 *
 * To add a job kind (e.g. `convert`):
 *   1. add an entry to `AudioJobs` below: the message the main thread sends (a path, not the file's
 *      bytes: the worker reads what it needs) and the value the worker answers with;
 *   2. add its handler to `handlers` in audio-worker.ts (type checking fails until you do);
 *   3. register any new AudioRejectedError subclass the handler throws in `REVIVABLE_REJECTIONS`, so
 *      the main thread gets the same class back (a class missing there arrives as AudioWorkerError).
 */
import type { ConvertLimits } from '../audio/convert/convert-wasm.ts';
import type { InProcessOutcome } from '../audio/convert/convert-in-process.ts';
import {
  AudioTooLongError,
  ConvertedTooLargeError,
  DecodedLengthMismatchError,
  NoAudioDecodedError,
  NoAudioTrackError,
  SilentAudioError,
} from '../audio/convert/errors.ts';
import type { WasmSource } from '../audio/convert/source-kind.ts';
import type { AudioInfo } from './inspect.ts';
import { AudioTooComplexError, NotAudioError } from './errors.ts';
import {
  AudioRejectedError,
  CorruptAudioError,
  EmptyAudioError,
  UnsupportedAudioFormatError,
} from '../audio/errors.ts';

export interface AudioJobs {
  /** What the file at `path` is and how long it plays (see inspect-file.ts). */
  inspect: { readonly params: { readonly path: string }; readonly result: AudioInfo };
  /**
   * Decode the file at `path` with the WASM decoder for `source` into the WAV that is sent, or say it
   * needs ffmpeg (see convert-in-process.ts).
   */
  convert: {
    readonly params: { readonly path: string; readonly source: WasmSource; readonly limits: ConvertLimits };
    readonly result: InProcessOutcome;
  };
}

export type AudioJobKind = keyof AudioJobs;

/**
 * One job. A job names its file by path and the worker reads it, so the main thread never holds a
 * file to have it checked or converted.
 */
export type AudioJob<K extends AudioJobKind = AudioJobKind> = { readonly kind: K } & AudioJobs[K]['params'];

export type AudioJobResult<K extends AudioJobKind = AudioJobKind> = AudioJobs[K]['result'];

/** A failure inside a worker that is not a refusal of the file: a bug, or a worker that died. */
export class AudioWorkerError extends Error {
  readonly code = 'audio_worker_failed';
}

// ---- wire format (main thread ⇄ worker); both sides import these types ----

export interface JobMessage {
  readonly id: number;
  readonly kind: AudioJobKind;
  readonly params: Record<string, unknown>;
}

/** Sent by the worker as it takes a job, before touching the file: the job's time limit starts here. */
export interface StartedMessage {
  readonly id: number;
  readonly started: true;
}

export type ReplyMessage =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

export interface SerializedError {
  /** An AudioRejectedError's code, or undefined for anything else. */
  readonly code: string | undefined;
  readonly message: string;
  readonly stack: string | undefined;
  /** The error's own fields (the measured values its reply shows). */
  readonly fields: Record<string, unknown>;
}

// A structured clone keeps neither an error's class nor its fields, so refusals travel as data and are
// rebuilt here as the same class, which the error-to-reply map then recognises.
const REVIVABLE_REJECTIONS: Readonly<Record<string, abstract new (...args: never[]) => AudioRejectedError>> =
  {
    audio_empty: EmptyAudioError,
    audio_unsupported_format: UnsupportedAudioFormatError,
    audio_corrupt: CorruptAudioError,
    audio_too_complex: AudioTooComplexError,
    not_audio: NotAudioError,
    convert_no_audio_track: NoAudioTrackError,
    convert_no_audio: NoAudioDecodedError,
    convert_silent: SilentAudioError,
    convert_length_mismatch: DecodedLengthMismatchError,
    convert_too_long: AudioTooLongError,
    convert_too_large: ConvertedTooLargeError,
  };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return {
      code: error instanceof AudioRejectedError ? error.code : undefined,
      message: error.message,
      stack: error.stack,
      fields: error instanceof AudioRejectedError ? Object.fromEntries(Object.entries(error)) : {},
    };
  }
  return { code: undefined, message: String(error), stack: undefined, fields: {} };
}

export function reviveError(serialized: SerializedError): Error {
  const Class = serialized.code === undefined ? undefined : REVIVABLE_REJECTIONS[serialized.code];
  if (Class === undefined) {
    const error = new AudioWorkerError(`audio worker failed: ${serialized.message}`);
    if (serialized.stack) error.stack = serialized.stack;
    return error;
  }
  const error = Object.create(Class.prototype as object) as AudioRejectedError;
  Object.defineProperty(error, 'message', { value: serialized.message, writable: true, configurable: true });
  Object.defineProperty(error, 'stack', { value: serialized.stack, writable: true, configurable: true });
  return Object.assign(error, serialized.fields);
}
