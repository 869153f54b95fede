import {
  codeBlock,
  EmbedBuilder,
  escapeMarkdown,
  time,
  TimestampStyles,
  type APIEmbedField,
} from 'discord.js';
import type { Catalogue } from '../i18n/index.ts';
import { formatNumber } from '../i18n/format.ts';
import type { Purpose } from '../domain/purposes.ts';
import type { UploadOutcome, UploadStage } from '../pipeline/upload-pipeline.ts';
import type { ErrorReply } from './error-replies.ts';

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

export function errorEmbed(t: Catalogue, reply: ErrorReply) {
  return new EmbedBuilder()
    .setColor(reply.notice ? Colors.notice : Colors.error)
    .setTitle(reply.text.title)
    .setDescription(reply.text.description)
    .addFields({ name: t.errorFields.whatToDo, value: reply.text.hint }, ...reply.fields);
}
