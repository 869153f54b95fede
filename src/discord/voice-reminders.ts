import type { Client } from 'discord.js';
import type { VoiceRecord } from '../history/voice-store.ts';
import { catalogueFor } from '../i18n/index.ts';
import { NO_MENTIONS } from './replies.ts';
import { voiceReminderEmbed } from './voice-replies.ts';

/**
 * Posts a voice's deletion reminder where the team will see it: the channel it was cloned in, or,
 * for a private clone, a direct message to its owner. The owner's name is text, never a mention.
 * Throws when it cannot be posted, so the scheduler gives the claim back and tries again later.
 */
export async function postVoiceReminder(client: Client, voice: VoiceRecord): Promise<void> {
  const guild = client.guilds.cache.get(voice.guildId);
  const t = catalogueFor(guild?.preferredLocale);
  const message = { embeds: [voiceReminderEmbed(t, voice)], allowedMentions: NO_MENTIONS };
  if (voice.private) {
    const owner = await client.users.fetch(voice.ownerId);
    await owner.send(message);
    return;
  }
  const channel = await client.channels.fetch(voice.channelId);
  if (!channel?.isSendable()) throw new Error(`channel ${voice.channelId} cannot take the reminder`);
  await channel.send(message);
}
