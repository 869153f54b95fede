import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotOptions } from '../src/bot.ts';
import { makeWav } from './support/audio.ts';
import { DmxapiStandIn } from './support/dmxapi-stand-in.ts';
import { startBot, type RunningBot, type StartBotOptions } from './support/start-bot.ts';
import { ERROR_COLOR, fileIdIn, sendUpload, SUCCESS_COLOR, type UploadCase } from './support/upload-flow.ts';

interface HeldAnswer {
  readonly until: Promise<void>;
  release(): void;
}

let dmxapi: DmxapiStandIn;
const running: RunningBot[] = [];
const held: HeldAnswer[] = [];

beforeAll(async () => {
  dmxapi = await DmxapiStandIn.start();
});
afterEach(async () => {
  for (const answer of held.splice(0)) answer.release();
  dmxapi.clearScripts();
  await Promise.all(running.splice(0).map((r) => r.stop({ removeData: true })));
});
afterAll(async () => {
  await dmxapi.close();
});

async function start(
  env: Record<string, string> = {},
  bot: BotOptions = {},
  discord: StartBotOptions['discord'] = {},
): Promise<RunningBot> {
  // About Discord's clock, not reading files: a loaded machine must not make a WAV "too complex".
  const r = await startBot(dmxapi, { env: { INSPECT_TIMEOUT_MS: '60000', ...env }, bot, discord });
  running.push(r);
  return r;
}

function upload(r: RunningBot, c: UploadCase) {
  return sendUpload(r.discord, dmxapi, c);
}

/** A DMXAPI answer the test lets go of when it chooses (or afterEach does). */
function heldAnswer(): HeldAnswer {
  let release!: () => void;
  const until = new Promise<void>((resolve) => (release = resolve));
  const answer = { until, release };
  held.push(answer);
  return answer;
}

/** Resolves once `count` interactions have had an edit whose body contains `text`. */
async function whenEdited(r: RunningBot, text: string, count: number): Promise<void> {
  const edited = () =>
    new Set(
      r.discord.requests
        .filter((q) => q.method === 'PATCH' && JSON.stringify(q.body).includes(text))
        .map((q) => q.path),
    ).size;
  await r.discord.waitForRequest(() => edited() >= count, 15_000);
}

describe('the upload queue', () => {
  it('refuses an upload at once when MAX_QUEUED_UPLOADS are waiting, saying how many', async () => {
    const r = await start({ MAX_CONCURRENT_UPLOADS: '1', MAX_QUEUED_UPLOADS: '2' });
    const answer = heldAnswer();
    dmxapi.script({ kind: 'success', until: answer.until });
    const before = dmxapi.received.length;
    const first = upload(r, { fileName: 'first.wav', bytes: makeWav(10.1) });
    await dmxapi.waitForRequests(before + 1);
    const queued = [10.2, 10.3].map((seconds, i) =>
      upload(r, { fileName: `queued-${i}.wav`, bytes: makeWav(seconds) }),
    );
    await whenEdited(r, 'in the queue', 2);

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
    expect(dmxapi.received.length - before).toBe(3);
    expect(results.map((result) => fileIdIn(result.final))).not.toContain(undefined);
  });
});
