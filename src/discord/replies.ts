import { codeBlock, EmbedBuilder, hyperlink, time, TimestampStyles, type APIEmbedField } from 'discord.js';
import type { PostedResult } from './post-result.ts';
import type { UploadRecord } from '../history/upload-history.ts';
import type { Catalogue } from '../i18n/index.ts';
import { formatNumber } from '../i18n/format.ts';
import type { Purpose } from '../domain/purposes.ts';
import type { UploadOutcome, UploadStage } from '../pipeline/upload-pipeline.ts';
import type { ErrorReply } from './error-replies.ts';
import { plainText, safeText } from './safe-text.ts';

/**
 * How every reply looks is decided here and nowhere else: the colours (the only colour literals in
 * src/), and the embed builders for progress, results, errors, prompts and lists.
 */
export const Colors = {
  /** Work under way, and neutral lists and prompts: Discord's blurple. */
  progress: 0x5865f2,
  info: 0x5865f2,
  success: 0x2ecc71,
  error: 0xe74c3c,
  /** Not a failure, but not what was asked either (a duplicate found). */
  notice: 0xf1c40f,
  /** Something that is over (an expired prompt). */
  muted: 0x95a5a6,
} as const;

/** Every message the bot sends pings nobody, whatever a file name or a service message contains. */
export const NO_MENTIONS = Object.freeze({ parse: [] as const, repliedUser: false });

/** How much of a file name a reply shows; Discord allows longer ones, but no reply needs more. */
const MAX_FILE_NAME_GRAPHEMES = 200;

/** A file name as literal text: Markdown, links and mentions shown, not rendered; cut by grapheme. */
export function displayFileName(fileName: string): string {
  return safeText(fileName, MAX_FILE_NAME_GRAPHEMES);
}

/** Discord's display names are at most 32 characters; a little room for older, longer ones. */
export const MAX_MEMBER_NAME_GRAPHEMES = 64;

export function purposeLabel(t: Catalogue, purpose: Purpose): string {
  return `${t.purposes[purpose]} (\`${purpose}\`)`;
}

export type ProgressState =
  | UploadStage
  | { readonly stage: 'queued'; readonly position: number }
  | { readonly stage: 'waiting_for_same_file' };

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
    case 'converting':
      return t.convert.converting(state.from);
    case 'uploading':
      return t.progress.uploading(state.bytes);
    case 'waiting_for_same_file':
      return t.progress.waitingForSameFile;
  }
}

export function successEmbed(
  t: Catalogue,
  fileName: string,
  purpose: Purpose,
  outcome: UploadOutcome,
  uploaderTag: string,
  /** What was posted, when the message says more than the file does (a Discord voice message). */
  posted: { readonly voiceMessage: boolean } = { voiceMessage: false },
) {
  const { file, audio, conversion } = outcome;
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
      inline: conversion !== undefined,
    },
  ];
  if (conversion) {
    fields.push({
      name: t.convert.convertedLabel,
      value: t.convert.convertedValue({
        // Named by us, except a WebM's codec, which the file names.
        from: safeText(conversion.from, 60),
        voiceMessage: posted.voiceMessage,
        sampleRate: conversion.sampleRate,
        bytes: outcome.bytes,
      }),
      inline: true,
    });
  }
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
      .setFooter({ text: t.success.uploadedBy(plainText(uploaderTag, MAX_MEMBER_NAME_GRAPHEMES)) })
  );
}

export function errorEmbed(t: Catalogue, reply: ErrorReply) {
  return new EmbedBuilder()
    .setColor(reply.notice ? Colors.notice : Colors.error)
    .setTitle(reply.text.title)
    .setDescription(reply.text.description)
    .addFields({ name: t.errorFields.whatToDo, value: reply.text.hint }, ...reply.fields);
}

/**
 * The message menu's question: which attachment (when several) and what it is for; `note` is a line
 * under it (the purpose a voice message's length fits).
 */
export function uploadPromptEmbed(t: Catalogue, fileName: string, audioAttachments: number, note?: string) {
  const question = t.messagePrompt.description(displayFileName(fileName), audioAttachments);
  return new EmbedBuilder()
    .setColor(Colors.info)
    .setTitle(t.messagePrompt.title)
    .setDescription(note ? `${question}\n\n${note}` : question);
}

/** The message menu's prompt, closed without a choice: its time ran out, or the bot restarted. */
export function promptClosedEmbed(t: Catalogue, why: 'timeout' | 'stopping') {
  return new EmbedBuilder()
    .setColor(Colors.muted)
    .setTitle(why === 'timeout' ? t.messagePrompt.expired : t.messagePrompt.restarted);
}

/** Where the message menu posted the result: as a reply to the sample (with its link), or here. */
export function resultPostedEmbed(t: Catalogue, posted: PostedResult) {
  const embed = new EmbedBuilder().setColor(Colors.success);
  switch (posted.where) {
    case 'reply':
      return embed.setTitle(t.messagePrompt.postedReply).setDescription(posted.url);
    case 'channel':
      return embed.setTitle(t.messagePrompt.postedSampleGone).setDescription(posted.url);
    case 'follow_up':
      return embed.setTitle(t.messagePrompt.postedHere);
  }
}

/** One page of `/uploads`. */
export function historyEmbed(
  t: Catalogue,
  page: { readonly number: number; readonly pages: number; readonly total: number },
  records: readonly UploadRecord[],
) {
  const embed = new EmbedBuilder()
    .setColor(Colors.info)
    .setTitle(t.history.title)
    .setFooter({ text: t.history.footer(page.number, page.pages, page.total) });
  if (records.length === 0) embed.setDescription(t.history.empty);
  for (const record of records) {
    const details = [
      // Only its uploader and server managers get here; the mark says the rest of the team does not.
      record.private ? t.history.private : undefined,
      `\`${record.purpose}\``,
      t.duration.measured(record.durationSeconds),
      t.history.by(safeText(record.uploaderName, MAX_MEMBER_NAME_GRAPHEMES)),
      time(new Date(record.createdAt * 1000), TimestampStyles.RelativeTime),
      record.messageUrl ? hyperlink(t.history.jump, record.messageUrl) : undefined,
    ].filter(Boolean);
    embed.addFields({
      // At most 4 × 60 units escaped: inside Discord's 256 for a field name.
      name: safeText(record.fileName, 60),
      value: `${codeBlock(record.fileId)}${details.join(' · ')}`,
    });
  }
  return embed;
}
