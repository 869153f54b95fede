import { ApplicationCommandOptionType, type APIMessage } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { BotOptions } from '../src/bot.ts';
import { makeWav } from './support/audio.ts';
import type { RunningBot, StartBotOptions } from './support/start-bot.ts';
import {
  ERROR_COLOR,
  fileIdIn,
  sendUpload,
  SUCCESS_COLOR,
  type UploadCase,
  whenEdited,
} from './support/upload-flow.ts';
import { e2eBots } from './support/e2e-bots.ts';

const bots = e2eBots();

async function start(
  env: Record<string, string> = {},
  bot: BotOptions = {},
  discord: StartBotOptions['discord'] = {},
): Promise<RunningBot> {
  // About Discord's clock, not reading files: a loaded machine must not make a WAV "too complex".
  const r = await bots.start({ env: { INSPECT_TIMEOUT_MS: '60000', ...env }, bot, discord });
  return r;
}

function upload(r: RunningBot, c: UploadCase) {
  return sendUpload(r.discord, bots.dmxapi, c);
}

describe('the upload queue', () => {
  it('refuses an upload at once when MAX_QUEUED_UPLOADS are waiting, saying how many', async () => {
    const r = await start({ MAX_CONCURRENT_UPLOADS: '1', MAX_QUEUED_UPLOADS: '2' });
    const answer = bots.heldAnswer();
    bots.dmxapi.script({ kind: 'success', until: answer.until });
    const before = bots.dmxapi.received.length;
    const first = upload(r, { fileName: 'first.wav', bytes: makeWav(10.1) });
    await bots.dmxapi.waitForRequests(before + 1);
    const queued = [10.2, 10.3].map((seconds, i) =>
      upload(r, { fileName: `queued-${i}.wav`, bytes: makeWav(seconds) }),
    );
    await whenEdited(r.discord, 'in the queue', 2);

    const refused = await upload(r, { fileName: 'one-too-many.wav', bytes: makeWav(10.4) });
    expect(refused.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    expect(refused.text).toContain('Upload queue is full');
    expect(refused.text).toContain('2 uploads are waiting');
    // Nothing was downloaded for it, and it never queued.
    expect(JSON.stringify(refused.interaction.requests())).not.toContain('in the queue');
    expect(r.discord.requests.some((q) => q.path.endsWith('/one-too-many.wav'))).toBe(false);

    answer.release();
    const results = await Promise.all([first, ...queued]);
    for (const result of results) expect(result.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    expect(bots.dmxapi.received.length - before).toBe(3);
    expect(results.map((result) => fileIdIn(result.final))).not.toContain(undefined);
  });
});

/** `/upload` as a member sends it, for tests that follow the interaction past its token. */
function dispatchUpload(r: RunningBot, c: { fileName: string; bytes: Uint8Array; private?: boolean }) {
  const url = r.discord.serveAttachment(c.fileName, c.bytes);
  return r.discord.dispatchChatInputCommand({
    name: 'upload',
    options: [
      { type: ApplicationCommandOptionType.String, name: 'purpose', value: 'voice_clone' },
      ...(c.private
        ? [{ type: ApplicationCommandOptionType.Boolean as const, name: 'private', value: true }]
        : []),
    ],
    attachments: [{ filename: c.fileName, size: c.bytes.length, url, optionName: 'audio' }],
  });
}

/** Resolves once the bot has posted a message that contains `text` in an embed. */
async function postedMessage(r: RunningBot, text: string): Promise<APIMessage> {
  const find = () => r.discord.channelMessages().find((m) => JSON.stringify(m.embeds).includes(text));
  await r.discord.waitForRequest(() => find() !== undefined, 15_000);
  return find() as APIMessage;
}

/** Waits until `ms` after `since` (a performance.now() reading). */
async function until(since: number, ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, since + ms - performance.now())));
}

describe("Discord's 15-minute token", () => {
  it('never starts an upload that could no longer answer in time, and says so while it still can', async () => {
    const r = await start(
      { MAX_CONCURRENT_UPLOADS: '1' },
      { answerWindow: { tokenLifetimeMs: 8000, uploadBudgetMs: 5000 } },
    );
    const answer = bots.heldAnswer();
    bots.dmxapi.script({ kind: 'success', until: answer.until });
    const before = bots.dmxapi.received.length;
    const first = upload(r, { fileName: 'long.wav', bytes: makeWav(10.1) });
    await bots.dmxapi.waitForRequests(before + 1);
    // Queued behind it, this one must start within 3 s of its command or not at all.
    const late = upload(r, { fileName: 'late.wav', bytes: makeWav(10.2) });
    let releasedAt = Infinity;
    setTimeout(() => {
      releasedAt = performance.now();
      answer.release();
    }, 4000);

    const refused = await late;
    expect(refused.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    expect(refused.text).toContain('Upload did not start');
    expect(refused.text).toContain('15 minutes');
    // Refused at its deadline, not when its turn came.
    expect(refused.interaction.lastEdit()?.at ?? Infinity).toBeLessThan(releasedAt);

    expect(fileIdIn((await first).final)).toBeDefined();
    expect(bots.dmxapi.received.length - before).toBe(1);
  });

  it('posts the result in the channel, pinging its member, when an upload outlives its token', async () => {
    const r = await start({}, { answerWindow: { tokenLifetimeMs: 3000, uploadBudgetMs: 1000 } });
    const answer = bots.heldAnswer();
    bots.dmxapi.script({ kind: 'success', fileId: '1515', until: answer.until });
    const before = bots.dmxapi.received.length;
    const command = dispatchUpload(r, { fileName: 'slow.wav', bytes: makeWav(10.3) });
    await bots.dmxapi.waitForRequests(before + 1);
    // DMXAPI answers after the token's 15 minutes (here 3 s) are over.
    await until(command.dispatchedAt, 3200);
    r.discord.expireInteractions();
    answer.release();

    const posted = await postedMessage(r, '1515');
    expect(posted.content).toContain('<@300000000000000001>');
    expect(posted.mentions.map((user) => user.id)).toEqual(['300000000000000001']);
    expect(posted.embeds[0]?.description).toContain('```\n1515\n```');
    expect(posted.channel_id).toBe(command.originalMessage()?.channel_id);
    expect(r.logs()).not.toContain('handler crashed');
  });

  it('posts the result in the channel when Discord refuses the token sooner than the bot expected', async () => {
    const r = await start();
    const answer = bots.heldAnswer();
    bots.dmxapi.script({ kind: 'success', fileId: '1616', until: answer.until });
    const before = bots.dmxapi.received.length;
    dispatchUpload(r, { fileName: 'skewed.wav', bytes: makeWav(10.4) });
    await bots.dmxapi.waitForRequests(before + 1);
    r.discord.expireInteractions();
    answer.release();

    const posted = await postedMessage(r, '1616');
    expect(posted.embeds[0]?.description).toContain('```\n1616\n```');
    expect(r.logs()).not.toContain('handler crashed');
  });

  it("sends a private upload's late result to its member alone, by direct message", async () => {
    const r = await start({}, { answerWindow: { tokenLifetimeMs: 3000, uploadBudgetMs: 1000 } });
    const answer = bots.heldAnswer();
    bots.dmxapi.script({ kind: 'success', fileId: '1717', until: answer.until });
    const before = bots.dmxapi.received.length;
    const command = dispatchUpload(r, { fileName: 'secret.wav', bytes: makeWav(10.5), private: true });
    await bots.dmxapi.waitForRequests(before + 1);
    await until(command.dispatchedAt, 3200);
    r.discord.expireInteractions();
    answer.release();

    const posted = await postedMessage(r, '1717');
    expect(posted.channel_id).not.toBe(command.originalMessage()?.channel_id);
    expect(
      r.discord.requests.some((q) => q.method === 'POST' && q.path.endsWith('/users/@me/channels')),
    ).toBe(true);
  });
});

describe('a late acknowledgement', () => {
  it('makes no further call on an interaction Discord no longer knows, and logs one warning with the delay', async () => {
    const r = await start();
    const before = bots.dmxapi.received.length;
    const command = dispatchUpload(r, { fileName: 'late-ack.wav', bytes: makeWav(10.6) });
    // Discord gave up on the interaction before the bot's acknowledgement arrived (its 3 s passed).
    r.discord.expireInteractions();
    const callback = await command.callback();
    expect(callback.path).toContain('/callback');

    const logged = () =>
      r
        .logs()
        .split('\n')
        .filter((line) => line.includes(command.id))
        .map((line) => JSON.parse(line) as { level: number; msg: string; delayMs?: unknown });
    // Logs are not requests: look again every 50 ms, then give a second attempt, had there been
    // one, the time to show.
    for (let waited = 0; !logged().some((line) => line.level >= 40) && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(command.requests()).toHaveLength(1);
    const complaints = logged().filter((line) => line.level >= 40);
    expect(complaints).toHaveLength(1);
    expect(complaints[0]?.level).toBe(40);
    expect(complaints[0]?.msg).toContain('10062');
    expect(complaints[0]?.delayMs).toEqual(expect.any(Number));
    expect(bots.dmxapi.received.length).toBe(before);
  });
});
