import type { UploadRecord } from '../history/upload-history.ts';

/** Failures of the Discord layer itself; each has its own reply. */
export class GuildOnlyError extends Error {
  readonly code = 'guild_only';
  constructor() {
    super('command used outside a server');
  }
}

export class UnknownCommandError extends Error {
  readonly code = 'unknown_command';
  readonly commandName: string;
  constructor(commandName: string) {
    super(`no handler for command "${commandName}"`);
    this.commandName = commandName;
  }
}

export class ShuttingDownError extends Error {
  readonly code = 'shutting_down';
  constructor() {
    super('the bot is shutting down and takes no new uploads');
  }
}

/** MAX_QUEUED_UPLOADS uploads already wait for a slot: one more would only wait longer. */
export class UploadQueueFullError extends Error {
  readonly code = 'upload_queue_full';
  readonly waiting: number;
  constructor(waiting: number) {
    super(`the upload queue is full (${waiting} waiting)`);
    this.waiting = waiting;
  }
}

/**
 * An upload that waited so long for a slot that it could no longer finish before its interaction
 * token expires: it never starts, so nothing is spent and the member is told while it still can be.
 */
export class UploadStartedTooLateError extends Error {
  readonly code = 'upload_started_too_late';
  /** How long it had waited since the member sent the command. */
  readonly waitedMs: number;
  constructor(waitedMs: number) {
    super(`the upload waited ${waitedMs} ms and could no longer answer in time`);
    this.waitedMs = waitedMs;
  }
}

/** An upload still waiting for a slot when the shutdown began: it never started, nothing was spent. */
export class NotStartedByShutdownError extends Error {
  readonly code = 'not_started_by_shutdown';
  constructor() {
    super('the bot is restarting; the queued upload did not start');
  }
}

/** An upload still running when the shutdown grace period ended. */
export class UploadCutOffError extends Error {
  readonly code = 'cut_off_by_shutdown';
  constructor() {
    super('upload cut off by shutdown');
  }
}

/** The bot's own access rules, checked for every interaction whatever the server's settings. */
export class AccessDeniedError extends Error {
  readonly code = 'access_denied';
  readonly reason: 'direct_message' | 'guild_not_allowed' | 'missing_role';
  constructor(reason: AccessDeniedError['reason']) {
    super(`access denied: ${reason}`);
    this.reason = reason;
  }
}

export class UploadRateLimitedError extends Error {
  readonly code = 'upload_rate_limited';
  readonly kind: 'cooldown' | 'daily_limit';
  /** When the user may upload again. */
  readonly retryAt: Date;
  readonly limit: number;
  /** Of the uploads that count against the daily limit, how many are still running. */
  readonly running: number;
  constructor(kind: UploadRateLimitedError['kind'], retryAt: Date, limit: number, running = 0) {
    super(`${kind}: next upload allowed at ${retryAt.toISOString()}`);
    this.kind = kind;
    this.retryAt = retryAt;
    this.limit = limit;
    this.running = running;
  }
}

/** The same content for the same purpose is already on DMXAPI for this guild: its file_id is reused. */
export class AlreadyUploadedError extends Error {
  readonly code = 'already_uploaded';
  readonly earlier: UploadRecord;
  constructor(earlier: UploadRecord) {
    super(`already uploaded as ${earlier.fileId}`);
    this.earlier = earlier;
  }
}

/**
 * The same content for the same purpose is already on DMXAPI, uploaded by another member who kept
 * the result private: the reply says only that, never whose it is nor its file_id.
 */
export class UploadedPrivatelyBeforeError extends Error {
  readonly code = 'uploaded_privately_before';
  constructor() {
    super("already uploaded as another member's private upload");
  }
}

/** The message chosen from the menu holds no audio attachment to upload. */
export class NoAudioAttachmentError extends Error {
  readonly code = 'no_audio_attachment';
  readonly attachmentCount: number;
  constructor(attachmentCount: number) {
    super(`the message has no audio attachment (${attachmentCount} attachments)`);
    this.attachmentCount = attachmentCount;
  }
}

/** A /uploads paging button whose saved filter is gone (unused for 30 days, or a new history file). */
export class SearchExpiredError extends Error {
  readonly code = 'search_expired';
  constructor() {
    super('the search behind this /uploads list is no longer kept');
  }
}
