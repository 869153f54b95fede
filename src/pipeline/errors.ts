import type { DurationLimit } from '../domain/limits.ts';
import type { Purpose } from '../domain/purposes.ts';
import type { NotAudioKind } from './not-audio.ts';
import { AudioRejectedError } from '../audio/errors.ts';

export class DeclaredSizeTooLargeError extends AudioRejectedError {
  readonly code = 'declared_size_too_large';
  readonly declaredBytes: number;
  readonly maxBytes: number;
  constructor(declaredBytes: number, maxBytes: number) {
    super(`attachment declares ${declaredBytes} bytes, limit is ${maxBytes}`);
    this.declaredBytes = declaredBytes;
    this.maxBytes = maxBytes;
  }
}

export class AttachmentUrlRejectedError extends AudioRejectedError {
  readonly code = 'attachment_url_rejected';
  readonly host: string;
  readonly reason: 'host_not_allowed' | 'insecure_protocol' | 'invalid_url';
  constructor(host: string, reason: AttachmentUrlRejectedError['reason']) {
    super(`attachment URL refused (${reason}): ${host}`);
    this.host = host;
    this.reason = reason;
  }
}

export class DownloadHttpError extends AudioRejectedError {
  readonly code = 'download_http_status';
  readonly status: number;
  constructor(status: number) {
    super(`attachment download answered HTTP ${status}`);
    this.status = status;
  }
}

export class DownloadTimeoutError extends AudioRejectedError {
  readonly code = 'download_timeout';
  readonly timeoutMs: number;
  readonly receivedBytes: number;
  constructor(timeoutMs: number, receivedBytes: number) {
    super(`attachment download took longer than ${timeoutMs} ms (${receivedBytes} bytes received)`);
    this.timeoutMs = timeoutMs;
    this.receivedBytes = receivedBytes;
  }
}

export class DownloadTooLargeError extends AudioRejectedError {
  readonly code = 'download_too_large';
  /** Bytes received when the download was stopped: more than `maxBytes`, not the file's full size. */
  readonly receivedBytes: number;
  readonly maxBytes: number;
  constructor(receivedBytes: number, maxBytes: number) {
    super(`attachment body passed ${maxBytes} bytes (stopped at ${receivedBytes})`);
    this.receivedBytes = receivedBytes;
    this.maxBytes = maxBytes;
  }
}

export class DownloadFailedError extends AudioRejectedError {
  readonly code = 'download_failed';
  constructor(cause: unknown) {
    super(`attachment download failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export class DurationOutOfRangeError extends AudioRejectedError {
  readonly code = 'audio_duration_out_of_range';
  readonly durationSeconds: number;
  readonly purpose: Purpose;
  readonly limit: DurationLimit;
  constructor(durationSeconds: number, purpose: Purpose, limit: DurationLimit) {
    super(`${durationSeconds} s is outside the ${purpose} limit`);
    this.durationSeconds = durationSeconds;
    this.purpose = purpose;
    this.limit = limit;
  }
}

/**
 * The file could not be read within the bounds inspection runs under: it took longer than the time
 * limit, exhausted the worker's memory, or its structure (box nesting, tag frames, chunks) passed a
 * limit no real recording comes near. Either way it is malformed or built to be expensive.
 */
export class AudioTooComplexError extends AudioRejectedError {
  readonly code = 'audio_too_complex';
  readonly reason: 'timeout' | 'memory' | 'structure';
  /** For `structure`: what was counted, e.g. "MP4 box nesting depth", with the value found and the limit. */
  readonly structure:
    { readonly what: StructureLimitName; readonly found: number; readonly limit: number } | undefined;
  /** For `timeout`: the limit that ran out. */
  readonly timeoutMs: number | undefined;
  constructor(
    reason: AudioTooComplexError['reason'],
    details: { structure?: AudioTooComplexError['structure']; timeoutMs?: number } = {},
  ) {
    super(
      `file is malformed or too complex to read (${reason}${
        details.structure
          ? `: ${details.structure.what} ${details.structure.found} > ${details.structure.limit}`
          : details.timeoutMs
            ? `: over ${details.timeoutMs} ms`
            : ''
      })`,
    );
    this.reason = reason;
    this.structure = details.structure;
    this.timeoutMs = details.timeoutMs;
  }
}

/** Structural limits checked before a parser walks a file (see src/pipeline/structure-limits.ts). */
export type StructureLimitName =
  'mp4_box_depth' | 'mp4_box_count' | 'id3_frame_count' | 'ape_item_count' | 'riff_chunk_count';

/** The file is something else people attach by mistake: a photo, a document, a silent video. */
export class NotAudioError extends AudioRejectedError {
  readonly code = 'not_audio';
  readonly what: NotAudioKind;
  constructor(what: NotAudioKind) {
    super(`not audio: ${what}`);
    this.what = what;
  }
}

export type PreviewFailure =
  | 'invalid_url'
  | 'host_not_allowed'
  | 'insecure_protocol'
  | 'http_status'
  | 'too_large'
  | 'timeout'
  | 'network'
  | 'not_mp3';

/** The voice was made, but its preview could not be fetched: the reply still shows the voice_id. */
export class PreviewDownloadFailedError extends Error {
  readonly code = 'preview_download_failed';
  readonly voiceId: string;
  readonly reason: PreviewFailure;
  /** The HTTP status, for `http_status`. */
  readonly status: number | undefined;
  constructor(voiceId: string, reason: PreviewFailure, cause?: unknown, status?: number) {
    super(`the preview of ${voiceId} could not be downloaded (${reason})`, { cause });
    this.voiceId = voiceId;
    this.reason = reason;
    this.status = status;
  }
}
