import { randomUUID } from 'node:crypto';
import { time, TimestampStyles, type APIEmbedField } from 'discord.js';
import * as convertErrors from '../audio/convert/errors.ts';
import * as dmxapiErrors from '../dmxapi/errors.ts';
import * as inputErrors from '../dmxapi/input-errors.ts';
import type { Catalogue, ErrorText } from '../i18n/index.ts';
import * as audioErrors from '../audio/errors.ts';
import * as pipelineErrors from '../pipeline/errors.ts';
import { dmxapiReply, serviceErrorText } from './dmxapi-error-reply.ts';
import * as discordErrors from './errors.ts';
import { displayFileName, MAX_MEMBER_NAME_GRAPHEMES } from './replies.ts';
import { safeText } from './safe-text.ts';
import * as voiceErrors from './voice-errors.ts';

/** The instances of every concrete (non-abstract) class a module exports. */
type InstancesOf<Module> = {
  [Name in keyof Module]: Module[Name] extends new (...args: never[]) => infer Instance ? Instance : never;
}[keyof Module];

/**
 * Every error the bot knows how to explain. Derived from the error modules' exports, so a newly
 * exported error class joins it by itself, and `describeError` stops type checking until its code
 * has a reply. A new module of errors adds one `import * as` here and one member below.
 */
export type KnownError =
  | InstancesOf<typeof dmxapiErrors>
  | InstancesOf<typeof inputErrors>
  | InstancesOf<typeof audioErrors>
  | InstancesOf<typeof pipelineErrors>
  | InstancesOf<typeof convertErrors>
  | InstancesOf<typeof discordErrors>
  | InstancesOf<typeof voiceErrors>;

const KNOWN_CLASSES: ReadonlySet<unknown> = new Set(
  [dmxapiErrors, inputErrors, audioErrors, pipelineErrors, convertErrors, discordErrors, voiceErrors].flatMap(
    (module): unknown[] => Object.values(module),
  ),
);

/** Exactly one of the exported classes (a subclass nobody exported is not known: it gets the internal reply). */
function isKnownError(error: unknown): error is KnownError {
  return error instanceof Error && KNOWN_CLASSES.has(error.constructor);
}

/** For the `default` of an exhaustive `switch`: type checking fails if a case is missing. */
export function assertNever(value: never): never {
  throw new TypeError(`unhandled case: ${JSON.stringify(value)}`);
}

export interface ErrorReply {
  readonly text: ErrorText;
  readonly fields: readonly APIEmbedField[];
  /** Set for an unexpected error: the id under which it was logged, shown to the user. */
  readonly reference: string | undefined;
  /** Not a failure (a duplicate found, say): shown in the notice colour rather than the error one. */
  readonly notice?: boolean;
}

/**
 * The single place where an error becomes what a user reads. Anything that is not a known error
 * (a bug) gets a generic reply with a reference to the log line; no internal detail is shown.
 */
export function describeError(t: Catalogue, error: unknown, fileName: string): ErrorReply {
  if (!isKnownError(error)) {
    const reference = randomUUID().slice(0, 8);
    return { text: t.errors.internal({ reference }), fields: [], reference };
  }
  const name = displayFileName(fileName);
  switch (error.code) {
    case 'declared_size_too_large':
      return plain(
        t.errors.declaredSizeTooLarge({
          fileName: name,
          bytes: error.declaredBytes,
          maxBytes: error.maxBytes,
        }),
      );
    case 'download_too_large':
      return plain(
        t.errors.downloadTooLarge({
          fileName: name,
          receivedBytes: error.receivedBytes,
          maxBytes: error.maxBytes,
        }),
      );
    case 'attachment_url_rejected':
      switch (error.reason) {
        case 'invalid_url':
          return plain(t.errors.invalidUrl());
        case 'insecure_protocol':
          return plain(t.errors.insecureUrl({ host: error.host }));
        case 'host_not_allowed':
          return plain(t.errors.hostNotAllowed({ host: error.host }));
        default:
          return assertNever(error.reason);
      }
    case 'download_http_status':
      return plain(t.errors.downloadStatus({ fileName: name, status: error.status }));
    case 'download_timeout':
      return plain(
        t.errors.downloadTimeout({
          fileName: name,
          timeoutMs: error.timeoutMs,
          receivedBytes: error.receivedBytes,
        }),
      );
    case 'download_failed':
      return plain(t.errors.downloadFailed({ fileName: name }));
    case 'audio_empty':
      return plain(t.errors.empty({ fileName: name }));
    case 'audio_unsupported_format':
      return plain(
        t.errors.unsupportedFormat({
          fileName: name,
          // Container and codec names come from the file itself.
          detected: error.detected === undefined ? undefined : safeText(error.detected, 100),
        }),
      );
    case 'audio_corrupt': {
      const lengths =
        error.claimedSeconds === undefined || error.foundSeconds === undefined
          ? undefined
          : { claimedSeconds: error.claimedSeconds, foundSeconds: error.foundSeconds };
      const byReason = {
        truncated: t.errors.truncated,
        length_mismatch: t.errors.lengthMismatch,
        unreadable: t.errors.unreadable,
        no_duration: t.errors.noDuration,
      };
      return plain(byReason[error.reason]({ fileName: name, format: safeText(error.format, 40), lengths }));
    }
    case 'not_audio':
      return plain(t.errors.notAudio({ fileName: name, what: error.what }));
    case 'audio_too_complex':
      return plain(
        t.errors.tooComplex({
          fileName: name,
          reason: error.reason,
          timeoutMs: error.timeoutMs,
          structure: error.structure,
        }),
      );
    case 'audio_duration_out_of_range':
      return plain(
        t.errors.durationOutOfRange({
          fileName: name,
          purpose: error.purpose,
          measured: t.duration.measured(error.durationSeconds, error.limit),
          rule: t.duration.rule(error.limit),
          tooShort: error.durationSeconds < error.limit.minSeconds,
        }),
      );
    case 'convert_unavailable':
      return plain(t.errors.convertUnavailable({ fileName: name, format: safeText(error.format, 40) }));
    case 'convert_no_audio_track':
      return plain(t.errors.noAudioTrack({ fileName: name, format: safeText(error.format, 40) }));
    case 'convert_no_audio':
      return plain(t.errors.noAudioDecoded({ fileName: name, format: safeText(error.format, 40) }));
    case 'convert_silent':
      return plain(
        t.errors.silent({
          fileName: name,
          format: safeText(error.format, 40),
          peakDbfs: error.peakDbfs,
          thresholdDbfs: error.thresholdDbfs,
        }),
      );
    case 'convert_length_mismatch':
      return plain(
        t.errors.decodedLengthMismatch({
          fileName: name,
          format: safeText(error.format, 40),
          statedSeconds: error.statedSeconds,
          decodedSeconds: error.decodedSeconds,
          atLeast: error.atLeast,
        }),
      );
    case 'convert_too_long':
      return plain(
        t.errors.tooLong({
          fileName: name,
          format: safeText(error.format, 40),
          seconds: error.seconds,
          atLeast: error.atLeast,
          maxSeconds: error.maxSeconds,
        }),
      );
    case 'convert_too_large':
      return plain(
        t.errors.convertedTooLarge({
          fileName: name,
          seconds: error.seconds,
          lowestRate: error.lowestRate,
          bytes: error.bytes,
          maxBytes: error.maxBytes,
        }),
      );
    case 'convert_failed':
      return plain(
        t.errors.conversionFailed({
          fileName: name,
          format: safeText(error.format, 40),
          reason: error.reason,
          timeoutMs: error.timeoutMs,
        }),
      );
    case 'dmxapi_http':
      return dmxapiReply(
        t,
        error,
        t.errors.dmxapiHttp({ status: error.status, operation: error.operation }),
        {
          serviceSaid: error.serviceMessage,
          requestId: error.requestId,
        },
      );
    case 'dmxapi_service':
      return dmxapiReply(t, error, serviceErrorText(t, error), {
        serviceSaid: error.statusMessage,
        requestId: error.requestId,
      });
    case 'dmxapi_malformed_response':
      return dmxapiReply(
        t,
        error,
        t.errors.dmxapiMalformed({ status: error.status, operation: error.operation }),
        {
          requestId: error.requestId,
        },
      );
    case 'dmxapi_timeout':
      return dmxapiReply(
        t,
        error,
        t.errors.dmxapiTimeout({ timeoutMs: error.timeoutMs, operation: error.operation }),
        {},
      );
    case 'dmxapi_audio_too_large':
      return dmxapiReply(t, error, t.errors.dmxapiAudioTooLarge({ maxBytes: error.maxBytes }), {});
    case 'dmxapi_connection': {
      const { operation } = error;
      const text = {
        refused: () => t.errors.dmxapiRefused({ operation }),
        reset: () => t.errors.dmxapiReset({ operation, written: error.requestWritten }),
        dns: () => t.errors.dmxapiDns(),
        other: () => t.errors.dmxapiNetwork({ operation }),
      }[error.reason]();
      return dmxapiReply(t, error, text, {});
    }
    case 'voice_id_invalid':
      return plain(
        t.errors.voiceIdInvalid({
          voiceId: displayFileName(error.voiceId),
          rule: error.rule,
          suggestion: error.suggestion,
        }),
      );
    case 'voice_id_taken':
      return plain(
        t.errors.voiceIdTaken({
          voiceId: error.voiceId,
          suggestion: error.suggestion,
          byMinimax: error.byMinimax,
        }),
      );
    case 'invalid_request_value':
      return plain(t.errors.invalidRequestValue({ field: error.field }));
    case 'speech_text_empty':
      return plain(t.errors.speechTextEmpty());
    case 'speech_text_too_long':
      return plain(
        t.errors.speechTextTooLong({ characters: error.characters, maxCharacters: error.maxCharacters }),
      );
    case 'speech_would_not_fit':
      return plain(
        t.errors.speechWouldNotFit({
          estimatedSeconds: error.estimatedSeconds,
          maxSeconds: error.maxSeconds,
        }),
      );
    case 'clone_not_allowed':
      return plain(
        t.errors.cloneNotAllowed({
          uploaderName: error.uploaderName === undefined ? undefined : displayFileName(error.uploaderName),
          which: error.which,
        }),
      );
    case 'wrong_sample_purpose':
      return plain(
        t.errors.wrongSamplePurpose({ fileId: error.fileId, expected: error.expected, actual: error.actual }),
      );
    case 'prompt_incomplete':
      return plain(t.errors.promptIncomplete({ missing: error.missing }));
    case 'speech_quota_exceeded':
      return plain(
        t.errors.speechQuotaExceeded({
          used: error.used,
          limit: error.limit,
          requested: error.requested,
          retryAt: error.retryAt && time(error.retryAt, TimestampStyles.RelativeTime),
        }),
      );
    case 'voice_private':
      return plain(
        t.errors.voicePrivate({ voiceId: error.voiceId, ownerName: displayFileName(error.ownerName) }),
      );
    case 'voice_not_found':
      return plain(t.errors.voiceNotFound());
    case 'preview_download_failed':
      return {
        ...plain(
          t.errors.previewFailed({ voiceId: error.voiceId, reason: error.reason, status: error.status }),
        ),
        notice: true,
      };
    case 'guild_only':
      return plain(t.errors.guildOnly());
    case 'search_expired':
      return plain(t.errors.searchExpired());
    case 'unknown_command':
      return plain(t.errors.unknownCommand({ name: safeText(error.commandName, 32) }));
    case 'shutting_down':
      return plain(t.errors.shuttingDown());
    case 'cut_off_by_shutdown':
      return plain(t.errors.cutOffByShutdown());
    case 'upload_started_too_late':
      return plain(t.errors.startedTooLate({ waited: t.duration.measured(error.waitedMs / 1000) }));
    case 'not_started_by_shutdown':
      return plain(t.errors.notStartedByShutdown());
    case 'upload_queue_full':
      return plain(t.errors.queueFull({ waiting: error.waiting }));
    case 'no_audio_attachment':
      return plain(t.errors.noAudioAttachment({ count: error.attachmentCount }));
    case 'access_denied': {
      const byReason = {
        direct_message: t.errors.accessDirectMessage,
        guild_not_allowed: t.errors.accessGuild,
        missing_role: t.errors.accessRole,
      };
      return plain(byReason[error.reason]());
    }
    case 'upload_rate_limited': {
      const retryAt = time(error.retryAt, TimestampStyles.RelativeTime);
      return plain(
        error.kind === 'cooldown'
          ? t.errors.cooldown({ retryAt })
          : t.errors.dailyLimit({ limit: error.limit, running: error.running, retryAt }),
      );
    }
    case 'already_uploaded': {
      const { earlier } = error;
      const created = new Date(earlier.createdAt * 1000);
      return {
        text: t.errors.alreadyUploaded({
          fileName: name,
          purpose: earlier.purpose,
          uploader: safeText(earlier.uploaderName, MAX_MEMBER_NAME_GRAPHEMES),
          when: `${time(created, TimestampStyles.FullDateShortTime)} (${time(created, TimestampStyles.RelativeTime)})`,
          fileId: earlier.fileId,
        }),
        fields: earlier.messageUrl ? [{ name: t.history.earlierMessage, value: earlier.messageUrl }] : [],
        reference: undefined,
        notice: true,
      };
    }
    case 'uploaded_privately_before':
      return { ...plain(t.errors.uploadedPrivatelyBefore()), notice: true };
    default:
      return assertNever(error);
  }
}

function plain(text: ErrorText): ErrorReply {
  return { text, fields: [], reference: undefined };
}
