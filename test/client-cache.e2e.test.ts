import { ChannelType } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './support/audio.ts';
import { DmxapiStandIn } from './support/dmxapi-stand-in.ts';
import { startBot, type RunningBot } from './support/start-bot.ts';

let dmxapi: DmxapiStandIn;
let r: RunningBot;

beforeAll(async () => {
  dmxapi = await DmxapiStandIn.start();
});
afterEach(async () => {
  await r.stop({ removeData: true });
});
afterAll(async () => {
  await dmxapi.close();
});

describe("discord.js's caches", () => {
  it('keep no message and no other member, yet the message menu still replies to the sample', async () => {
    r = await startBot(dmxapi);
    const sample = r.discord.postChannelMessage({
      content: 'my voice',
      attachments: [{ filename: 'me.mp3', bytes: fixture('voice-12s.mp3'), contentType: 'audio/mpeg' }],
    });
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    await menu.waitForEdit((body) => (body.components?.length ?? 0) > 0);
    dmxapi.script({ kind: 'success', fileId: '6060' });
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
