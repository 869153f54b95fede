import { ChannelType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { fixture } from './support/audio.ts';
import { e2eBots } from './support/e2e-bots.ts';

const bots = e2eBots();

describe("discord.js's caches", () => {
  it('keep no message and no other member, yet the message menu still replies to the sample', async () => {
    const r = await bots.start();
    const sample = r.discord.postChannelMessage({
      content: 'my voice',
      attachments: [{ filename: 'me.mp3', bytes: fixture('voice-12s.mp3'), contentType: 'audio/mpeg' }],
    });
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    await menu.waitForEdit((body) => (body.components?.length ?? 0) > 0);
    bots.dmxapi.script({ kind: 'success', fileId: '6060' });
    r.discord.dispatchButton(menu, 'upload-message:purpose:voice_clone');
    const posted = await r.discord.waitForRequest(
      (q) => q.method === 'POST' && q.path.endsWith(`/channels/${sample.channel_id}/messages`),
    );
    expect(JSON.stringify(posted.body)).toContain('6060');

    const { client } = r.bot;
    const channel = client.channels.cache.get(sample.channel_id);
    expect(channel?.type).toBe(ChannelType.GuildText);
    if (channel?.type !== ChannelType.GuildText) return;
    expect(channel.messages.cache.size).toBe(0);
    // The member who asked is not kept; the bot's own member is, for its permissions.
    expect([...channel.guild.members.cache.keys()]).toEqual([client.user?.id]);
    expect([...client.users.cache.keys()]).toEqual([client.user?.id]);
  });
});
