import { randomUUID } from 'node:crypto';
import {
  codeBlock,
  EmbedBuilder,
  escapeMarkdown,
  time,
  TimestampStyles,
  type APIEmbedField,
} from 'discord.js';
import {
  DmxapiConnectionError,
  DmxapiError,
  DmxapiHttpError,
  DmxapiMalformedResponseError,
  DmxapiServiceError,
  DmxapiTimeoutError,
} from '../dmxapi/errors.ts';
import type { Catalogue, ErrorText } from '../i18n/index.ts';
import { formatNumber } from '../i18n/format.ts';
import {
  AttachmentUrlRejectedError,
  AudioRejectedError,
  AudioTooComplexError,
  CorruptAudioError,
  DeclaredSizeTooLargeError,
  DownloadFailedError,
  DownloadHttpError,
  DownloadTimeoutError,
  DownloadTooLargeError,
  DurationOutOfRangeError,
  EmptyAudioError,
  UnsupportedAudioFormatError,
} from '../pipeline/errors.ts';
import type { Purpose } from '../domain/purposes.ts';
import type { UploadOutcome, UploadStage } from '../pipeline/upload-pipeline.ts';
import {
  AccessDeniedError,
  AlreadyUploadedError,
  GuildOnlyError,
  NoAudioAttachmentError,
  ShuttingDownError,
  UnknownCommandError,
  UploadCutOffError,
  UploadRateLimitedError,
} from './errors.ts';

const Colors = { progress: 0x5865f2, success: 0x2ecc71, error: 0xe74c3c, notice: 0xf1c40f } as const;

/** Every message the bot sends pings nobody, whatever a file name or a service message contains. */
export const NO_MENTIONS = Object.freeze({ parse: [] as const, repliedUser: false });

const MAX_FILE_NAME_LENGTH = 200;

/** A file name as literal text: markdown and mention syntax shown, not rendered. */
export function displayFileName(fileName: string): string {
  const short =
    fileName.length > MAX_FILE_NAME_LENGTH ? `${fileName.slice(0, MAX_FILE_NAME_LENGTH - 1)}…` : fileName;
  return escapeMarkdown(short).replaceAll('<', '\\<').replaceAll('@', '@\u200b');
}

export function purposeLabel(t: Catalogue, purpose: Purpose): string {
  return `${t.purposes[purpose]} (\`${purpose}\`)`;
}

export type ProgressState = UploadStage | { readonly stage: 'queued'; readonly position: number };

export function progressEmbed(t: Catalogue, fileName: string, purpose: Purpose, state: ProgressState) {
  return new EmbedBuilder()
    .setColor(Colors.progress)
    .setTitle(t.progress.title)
    .setDescription(
      `**${displayFileName(fileName)}** · ${purposeLabel(t, purpose)}\n${progressLine(t, state)}`,
    );
}

function progressLine(t: Catalogue, state: ProgressState): string {
  switch (state.stage) {
    case 'queued':
      return t.progress.queued(state.position);
    case 'downloading':
      return t.progress.downloading(state.receivedBytes, state.totalBytes);
    case 'checking':
      return t.progress.checking(state.bytes);
    case 'uploading':
      return t.progress.uploading(state.bytes);
  }
}

export function successEmbed(
  t: Catalogue,
  fileName: string,
  purpose: Purpose,
  outcome: UploadOutcome,
  uploaderTag: string,
) {
  const { file, audio } = outcome;
  const storedBytes = file.bytes ?? outcome.bytes;
  const fields: APIEmbedField[] = [
    { name: t.success.purpose, value: purposeLabel(t, purpose), inline: true },
    { name: t.success.size, value: t.success.sizeValue(storedBytes), inline: true },
    { name: t.success.file, value: displayFileName(fileName) },
    {
      name: t.success.audio,
      value: t.success.audioValue({
        format: audio.format,
        duration: t.duration.measured(audio.durationSeconds),
        sampleRate: audio.sampleRate,
        channels: audio.channels,
      }),
    },
  ];
  if (file.createdAt !== undefined) {
    const created = new Date(file.createdAt * 1000);
    fields.push({
      name: t.success.created,
      value: `${time(created, TimestampStyles.FullDateShortTime)} (${time(created, TimestampStyles.RelativeTime)})`,
      inline: true,
    });
  }
  if (file.usage) {
    const show = (value: number | undefined) => (value === undefined ? '—' : formatNumber(value));
    fields.push({
      name: t.success.usage,
      value: t.success.usageValue({
        total: show(file.usage.totalTokens),
        input: show(file.usage.inputTokens),
        output: show(file.usage.outputTokens),
      }),
      inline: true,
    });
  }
  return (
    new EmbedBuilder()
      .setColor(Colors.success)
      .setTitle(t.success.title)
      // A code block is one tap to copy on phones, and shows the id's exact digits.
      .setDescription(`${t.success.description(t.purposes[purpose])}\n${codeBlock(file.fileId)}`)
      .addFields(fields)
      .setFooter({ text: t.success.uploadedBy(uploaderTag) })
  );
}

export interface ErrorReply {
  readonly text: ErrorText;
  readonly fields: readonly APIEmbedField[];
  /** Set for an unexpected error: the id under which it was logged, shown to the user. */
  readonly reference: string | undefined;
  /** Not a failure (a duplicate found, say): shown in the notice colour rather than the error one. */
  readonly notice?: boolean;
}

/** The single place where an error becomes what a user reads. */
export function describeError(t: Catalogue, error: unknown, fileName: string): ErrorReply {
  const name = displayFileName(fileName);
  if (error instanceof AudioRejectedError)
    return { text: describeRejection(t, error, name), fields: [], reference: undefined };
  if (error instanceof DmxapiError) return describeDmxapiError(t, error);
  if (error instanceof GuildOnlyError) return plain(t.errors.guildOnly());
  if (error instanceof UnknownCommandError)
    return plain(t.errors.unknownCommand({ name: error.commandName }));
  if (error instanceof ShuttingDownError) return plain(t.errors.shuttingDown());
  if (error instanceof UploadCutOffError) return plain(t.errors.cutOffByShutdown());
  if (error instanceof NoAudioAttachmentError)
    return plain(t.errors.noAudioAttachment({ count: error.attachmentCount }));
  if (error instanceof AccessDeniedError) {
    const byReason = {
      direct_message: t.errors.accessDirectMessage,
      guild_not_allowed: t.errors.accessGuild,
      missing_role: t.errors.accessRole,
    };
    return plain(byReason[error.reason]());
  }
  if (error instanceof UploadRateLimitedError) {
    const retryAt = time(error.retryAt, TimestampStyles.RelativeTime);
    return plain(
      error.kind === 'cooldown'
        ? t.errors.cooldown({ retryAt })
        : t.errors.dailyLimit({ limit: error.limit, running: error.running, retryAt }),
    );
  }
  if (error instanceof AlreadyUploadedError) {
    const { earlier } = error;
    const created = new Date(earlier.createdAt * 1000);
    return {
      text: t.errors.alreadyUploaded({
        fileName: name,
        purpose: earlier.purpose,
        uploader: displayFileName(earlier.uploaderName),
        when: `${time(created, TimestampStyles.FullDateShortTime)} (${time(created, TimestampStyles.RelativeTime)})`,
        fileId: earlier.fileId,
      }),
      fields: earlier.messageUrl ? [{ name: t.history.earlierMessage, value: earlier.messageUrl }] : [],
      reference: undefined,
      notice: true,
    };
  }
  const reference = randomUUID().slice(0, 8);
  return { text: t.errors.internal({ reference }), fields: [], reference };
}

function plain(text: ErrorText): ErrorReply {
  return { text, fields: [], reference: undefined };
}

function describeRejection(t: Catalogue, error: AudioRejectedError, fileName: string): ErrorText {
  if (error instanceof DeclaredSizeTooLargeError) {
    return t.errors.declaredSizeTooLarge({ fileName, bytes: error.declaredBytes, maxBytes: error.maxBytes });
  }
  if (error instanceof DownloadTooLargeError) {
    return t.errors.downloadTooLarge({
      fileName,
      receivedBytes: error.receivedBytes,
      maxBytes: error.maxBytes,
    });
  }
  if (error instanceof AttachmentUrlRejectedError) {
    if (error.reason === 'invalid_url') return t.errors.invalidUrl();
    if (error.reason === 'insecure_protocol') return t.errors.insecureUrl({ host: error.host });
    return t.errors.hostNotAllowed({ host: error.host });
  }
  if (error instanceof DownloadHttpError) return t.errors.downloadStatus({ fileName, status: error.status });
  if (error instanceof DownloadTimeoutError) {
    return t.errors.downloadTimeout({
      fileName,
      timeoutMs: error.timeoutMs,
      receivedBytes: error.receivedBytes,
    });
  }
  if (error instanceof DownloadFailedError) return t.errors.downloadFailed({ fileName });
  if (error instanceof EmptyAudioError) return t.errors.empty({ fileName });
  if (error instanceof UnsupportedAudioFormatError)
    return t.errors.unsupportedFormat({ fileName, detected: error.detected });
  if (error instanceof CorruptAudioError) {
    if (error.reason === 'truncated') return t.errors.truncated({ fileName, format: error.format });
    if (error.reason === 'no_duration') return t.errors.noDuration({ fileName, format: error.format });
    return t.errors.unreadable({ fileName, format: error.format });
  }
  if (error instanceof AudioTooComplexError) {
    return t.errors.tooComplex({
      fileName,
      reason: error.reason,
      timeoutMs: error.timeoutMs,
      structure: error.structure,
    });
  }
  if (error instanceof DurationOutOfRangeError) {
    return t.errors.durationOutOfRange({
      fileName,
      purpose: error.purpose,
      measured: t.duration.measured(error.durationSeconds, error.limit),
      rule: t.duration.rule(error.limit),
      tooShort: error.durationSeconds < error.limit.minSeconds,
    });
  }
  throw new TypeError(`no reply for ${error.code}`);
}

function describeDmxapiError(t: Catalogue, error: DmxapiError): ErrorReply {
  const fields: APIEmbedField[] = [];
  const serviceSaid = (message: string | undefined) => {
    if (message)
      fields.push({
        name: t.errorFields.serviceSaid,
        value: codeBlock(truncate(message, 900).replaceAll('`', "'")),
      });
  };
  const requestId = (id: string | undefined) => {
    if (id) fields.push({ name: t.errorFields.requestId, value: `\`${truncate(id, 200)}\``, inline: true });
  };

  let text: ErrorText;
  if (error instanceof DmxapiHttpError) {
    text = t.errors.dmxapiHttp({ status: error.status });
    serviceSaid(error.serviceMessage);
    requestId(error.requestId);
  } else if (error instanceof DmxapiServiceError) {
    text = t.errors.dmxapiService({ statusCode: error.statusCode });
    serviceSaid(error.statusMessage);
    requestId(error.requestId);
  } else if (error instanceof DmxapiMalformedResponseError) {
    text = t.errors.dmxapiMalformed({ status: error.status });
    requestId(error.requestId);
  } else if (error instanceof DmxapiTimeoutError) {
    text = t.errors.dmxapiTimeout({ timeoutMs: error.timeoutMs });
  } else if (error instanceof DmxapiConnectionError) {
    text = {
      refused: t.errors.dmxapiRefused,
      reset: t.errors.dmxapiReset,
      dns: t.errors.dmxapiDns,
      other: t.errors.dmxapiNetwork,
    }[error.reason]();
  } else {
    throw new TypeError(`no reply for ${error.code}`);
  }
  if (error.attempts > 1) {
    fields.push({ name: t.errorFields.attempts, value: String(error.attempts), inline: true });
  }
  return { text, fields, reference: undefined };
}

export function errorEmbed(t: Catalogue, reply: ErrorReply) {
  return new EmbedBuilder()
    .setColor(reply.notice ? Colors.notice : Colors.error)
    .setTitle(reply.text.title)
    .setDescription(reply.text.description)
    .addFields({ name: t.errorFields.whatToDo, value: reply.text.hint }, ...reply.fields);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
