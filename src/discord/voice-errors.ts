import type { Purpose } from '../domain/purposes.ts';

/** Refusals of /clone and /say by the bot's own rules; each has its own reply. */

/** A voice is a person's voice: only the sample's uploader, or a server manager, may clone it. */
export class CloneNotAllowedError extends Error {
  readonly code = 'clone_not_allowed';
  /** Undefined for a file_id the bot did not upload: nobody can say whose voice it is. */
  readonly uploaderName: string | undefined;
  readonly which: 'sample' | 'prompt';
  constructor(uploaderName: string | undefined, which: CloneNotAllowedError['which']) {
    super(`only ${uploaderName ?? 'a server manager'} or a server manager may clone from this ${which}`);
    this.uploaderName = uploaderName;
    this.which = which;
  }
}

/** The file_id picked as a sample or prompt was uploaded for the other purpose. */
export class WrongSamplePurposeError extends Error {
  readonly code = 'wrong_sample_purpose';
  readonly fileId: string;
  readonly expected: Purpose;
  readonly actual: Purpose;
  constructor(fileId: string, expected: Purpose, actual: Purpose) {
    super(`file ${fileId} was uploaded as ${actual}, not ${expected}`);
    this.fileId = fileId;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A prompt clip was given without its text, or the text without the clip. */
export class PromptIncompleteError extends Error {
  readonly code = 'prompt_incomplete';
  readonly missing: 'prompt' | 'prompt_text';
  constructor(missing: PromptIncompleteError['missing']) {
    super(`the prompt needs both the clip and its text; ${missing} is missing`);
    this.missing = missing;
  }
}

/** The member's speech characters in the last 24 hours leave no room for this text. */
export class SpeechQuotaExceededError extends Error {
  readonly code = 'speech_quota_exceeded';
  readonly used: number;
  readonly limit: number;
  readonly requested: number;
  /** When enough frees up; undefined when the text alone is over the daily limit. */
  readonly retryAt: Date | undefined;
  constructor(used: number, limit: number, requested: number, retryAt: Date | undefined) {
    super(`speech quota: ${used} + ${requested} > ${limit}`);
    this.used = used;
    this.limit = limit;
    this.requested = requested;
    this.retryAt = retryAt;
  }
}

/** A private voice is only for the member who cloned it. */
export class VoicePrivateError extends Error {
  readonly code = 'voice_private';
  readonly voiceId: string;
  readonly ownerName: string;
  constructor(voiceId: string, ownerName: string) {
    super(`voice ${voiceId} is private to ${ownerName}`);
    this.voiceId = voiceId;
    this.ownerName = ownerName;
  }
}

/** A button or modal names a voice the records no longer hold. */
export class VoiceNotFoundError extends Error {
  readonly code = 'voice_not_found';
  constructor() {
    super('the voice behind this button is not in the records');
  }
}
