import { codeBlock, EmbedBuilder, time, TimestampStyles } from 'discord.js';
import { voiceState, type VoiceRecord } from '../history/voice-store.ts';
import type { Catalogue } from '../i18n/index.ts';
import { Colors, MAX_MEMBER_NAME_GRAPHEMES } from './replies.ts';
import { safeText } from './safe-text.ts';

/** Discord allows 25 fields an embed; a page stays well under it and under 6,000 characters. */
export const VOICES_PER_PAGE = 5;

function relative(seconds: number): string {
  return time(seconds, TimestampStyles.RelativeTime);
}

/** One voice as `/voices` lists it: the id to copy, who and what it came from, and its fate. */
function voiceField(t: Catalogue, voice: VoiceRecord, nowSeconds: number) {
  const state = voiceState(voice, nowSeconds);
  const fate =
    state === 'kept'
      ? t.voices.stateKept
      : state === 'pending'
        ? t.voices.statePending(relative(voice.deadlineAt))
        : t.voices.stateExpired(relative(voice.deadlineAt));
  const details = [
    t.voices.clonedBy(safeText(voice.ownerName, MAX_MEMBER_NAME_GRAPHEMES)),
    t.voices.fromSample(voice.sourceFileId),
    voice.promptFileId === undefined ? undefined : t.voices.withPrompt,
    t.voices.created(relative(voice.createdAt)),
    voice.lastUsedAt === undefined
      ? t.voices.neverUsed
      : `${t.voices.lastUsed(relative(voice.lastUsedAt))} · ${t.voices.uses(voice.useCount)}`,
    voice.private ? `🔒 ${t.voices.private}` : undefined,
  ].filter((part) => part !== undefined);
  return { name: fate, value: `${codeBlock(voice.voiceId)}${details.join(' · ')}` };
}

export function voicesPageEmbed(
  t: Catalogue,
  voices: readonly VoiceRecord[],
  page: { readonly index: number; readonly pages: number; readonly total: number },
  nowSeconds: number,
) {
  const embed = new EmbedBuilder()
    .setColor(Colors.info)
    .setTitle(t.voices.title)
    .setFooter({ text: t.voices.footer(page.index + 1, page.pages, page.total) });
  if (voices.length === 0) embed.setDescription(t.voices.empty);
  for (const voice of voices) embed.addFields(voiceField(t, voice, nowSeconds));
  return embed;
}

/** Posted once, a day before MiniMax deletes a voice nobody used: how to keep it. */
export function voiceReminderEmbed(t: Catalogue, voice: VoiceRecord) {
  return new EmbedBuilder()
    .setColor(Colors.notice)
    .setTitle(t.voices.reminderTitle)
    .setDescription(
      t.voices.reminder(
        voice.voiceId,
        safeText(voice.ownerName, MAX_MEMBER_NAME_GRAPHEMES),
        relative(voice.deadlineAt),
      ),
    );
}
