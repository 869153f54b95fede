import { InteractionResponseType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { VoiceStore, type NewVoice } from '../src/history/voice-store.ts';
import type { RunningBot } from './support/start-bot.ts';
import type { EditBody } from './support/discord-stand-in/index.ts';
import { ManualClock } from './support/test-clocks.ts';
import { e2eBots } from './support/e2e-bots.ts';
import { embedText } from './support/upload-flow.ts';

const bots = e2eBots();

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const ALICE = '300000000000000001';
const BOB = '300000000000000002';

async function start(clock: ManualClock, restartOf?: RunningBot): Promise<RunningBot> {
  const bot = await bots.start({
    dataDir: restartOf?.dataDir,
    bot: { clock },
    sameDiscordAs: restartOf,
  });
  return bot;
}

/** What /clone records, written straight into the bot's own database. */
function addVoice(r: RunningBot, clock: ManualClock, voice: Partial<NewVoice> & { voiceId: string }) {
  const guildId = r.discord.guildIds[0] ?? '';
  const channelId = r.discord.postChannelMessage({ content: 'sample' }).channel_id;
  return new VoiceStore(r.bot.history.database).record({
    guildId,
    channelId,
    ownerId: ALICE,
    ownerName: 'Alice [x](https://evil.example)',
    private: false,
    sourceFileId: '9007199254740993001',
    promptFileId: undefined,
    createdAt: Math.floor(clock.now() / 1000),
    ...voice,
  });
}

async function listVoices(r: RunningBot, userId = ALICE): Promise<string> {
  const list = r.discord.dispatchChatInputCommand({ name: 'voices', userId });
  const edit = await list.waitForEdit((body) => (body.embeds?.length ?? 0) > 0);
  return embedText(edit.body as EditBody);
}

describe('/voices', () => {
  it('lists newest first with each voice state, and pages with buttons', async () => {
    const clock = new ManualClock();
    const r = await start(clock);
    addVoice(r, clock, { voiceId: 'TeamOldest01' });
    await clock.advance(8 * DAY_MS);
    addVoice(r, clock, { voiceId: 'TeamKept0001' });
    new VoiceStore(r.bot.history.database).recordUse('TeamKept0001', Math.floor(clock.now() / 1000));
    for (let i = 0; i < 4; i++) {
      await clock.advance(HOUR_MS);
      addVoice(r, clock, { voiceId: `TeamNewer0${i}` });
    }

    const list = r.discord.dispatchChatInputCommand({ name: 'voices', userId: ALICE });
    const first = embedText(
      (await list.waitForEdit((body) => (body.embeds?.length ?? 0) > 0)).body as EditBody,
    );
    expect(first).toContain('Page 1 of 2 · 6 voices');
    expect(first.indexOf('TeamNewer03')).toBeLessThan(first.indexOf('TeamNewer00'));
    expect(first).toContain('deleted by MiniMax <t:');
    expect(first).toContain('kept (used for speech)');
    expect(first).not.toContain('TeamOldest01');
    // A member's name is text, never a link.
    expect(first).not.toContain('[x](https://evil.example)');

    const next = r.discord.dispatchButton(list, 'voices:1', { userId: ALICE });
    const update = await next.callback();
    expect(update.body).toMatchObject({ type: InteractionResponseType.UpdateMessage });
    const second = embedText((update.body as { data?: EditBody }).data);
    expect(second).toContain('Page 2 of 2');
    expect(second).toContain('```\nTeamOldest01\n```');
    expect(second).toContain('expired');
  });

  it('shows a private clone to its owner only', async () => {
    const clock = new ManualClock();
    const r = await start(clock);
    addVoice(r, clock, { voiceId: 'AlicePrivate1', private: true });
    addVoice(r, clock, { voiceId: 'BobPublic0001', ownerId: BOB, ownerName: 'Bob' });

    const alice = await listVoices(r, ALICE);
    expect(alice).toContain('AlicePrivate1');
    expect(alice).toContain('private');
    const bob = await listVoices(r, BOB);
    expect(bob).not.toContain('AlicePrivate1');
    expect(bob).toContain('BobPublic0001');
    expect(bob).toContain('1 voice');
  });
});

describe('the 7-day reminder', () => {
  it('is posted once in the cloning channel a day before the deadline, even across restarts', async () => {
    const clock = new ManualClock();
    const first = await start(clock);
    const createdAt = Math.floor(clock.now() / 1000);
    addVoice(first, clock, { voiceId: 'TeamUnused01' });
    addVoice(first, clock, { voiceId: 'TeamUsed0001' });
    addVoice(first, clock, { voiceId: 'TeamLater001', createdAt: createdAt + 12 * 60 * 60 });
    new VoiceStore(first.bot.history.database).recordUse('TeamUsed0001', createdAt);

    await clock.advance(5 * DAY_MS);
    expect(first.discord.channelMessages()).toHaveLength(0);
    await first.bot.stop();

    // Down over the moment the first reminder fell due: the next start sends it.
    await clock.advance(DAY_MS + HOUR_MS);
    const second = await start(clock, first);
    const [reminder] = await waitForChannelMessages(second, 1);
    const text = embedText(reminder);
    expect(text).toContain('TeamUnused01');
    expect(text).toContain('/say voice:TeamUnused01');
    expect(text).not.toContain('TeamUsed0001');
    expect(reminder?.mentions ?? []).toHaveLength(0);
    await second.bot.stop();

    // The next start reminds of the voice now due, and not again of the first.
    await clock.advance(DAY_MS / 2);
    const third = await start(clock, first);
    const messages = await waitForChannelMessages(third, 2);
    expect(messages.map((m) => embedText(m as EditBody).includes('TeamLater001'))).toEqual([false, true]);
    await clock.advance(2 * HOUR_MS);
    expect(third.discord.channelMessages()).toHaveLength(2);
  });

  it('goes to the owner by direct message for a private clone', async () => {
    const clock = new ManualClock();
    const r = await start(clock);
    addVoice(r, clock, { voiceId: 'AliceSecret1', private: true });
    await clock.advance(6 * DAY_MS + HOUR_MS);
    const [dm] = await waitForChannelMessages(r, 1);
    expect(embedText(dm as EditBody)).toContain('AliceSecret1');
    expect(dm?.channel_id).not.toBe(r.discord.postChannelMessage({ content: 'x' }).channel_id);
  });
});

/** Waits until the bot has posted `count` channel messages in all (reminders are posted, not replies). */
async function waitForChannelMessages(r: RunningBot, count: number) {
  await r.discord.waitForRequest(
    (request) =>
      request.method === 'POST' &&
      /\/channels\/\d+\/messages$/.test(request.path) &&
      r.discord.channelMessages().length >= count,
  );
  return r.discord.channelMessages();
}
