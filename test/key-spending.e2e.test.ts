import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from './support/audio.ts';
import { startBot, type RunningBot } from './support/start-bot.ts';
import { DmxapiStandIn } from './support/dmxapi-stand-in.ts';
import { fileIdIn, sendUpload, SUCCESS_COLOR, type UploadCase } from './support/upload-flow.ts';

let dmxapi: DmxapiStandIn;
const running: RunningBot[] = [];

beforeAll(async () => {
  dmxapi = await DmxapiStandIn.start();
});
afterEach(async () => {
  dmxapi.clearScripts();
  await Promise.all(running.splice(0).map((r) => r.stop({ removeData: true })));
});
afterAll(async () => {
  await dmxapi.close();
});

async function start(env: Record<string, string> = {}): Promise<RunningBot> {
  const bot = await startBot(dmxapi, { env });
  running.push(bot);
  return bot;
}

function upload(r: RunningBot, c: UploadCase) {
  return sendUpload(r.discord, dmxapi, c);
}

describe('the daily quota', () => {
  it('spends at most the remaining quota on simultaneous uploads', async () => {
    const r = await start({ USER_DAILY_UPLOAD_LIMIT: '3', MAX_CONCURRENT_UPLOADS: '4' });
    await upload(r, { fileName: 'earlier.wav', bytes: makeWav(10.1) });
    const before = dmxapi.received.length;

    // Two places remain; four different files arrive at once, each slow enough to overlap the others.
    dmxapi.script(...Array.from({ length: 4 }, () => ({ kind: 'success' as const, delayMs: 200 })));
    const results = await Promise.all(
      [10.2, 10.3, 10.4, 10.5].map((seconds, i) =>
        upload(r, { fileName: `take-${i}.wav`, bytes: makeWav(seconds) }),
      ),
    );

    expect(dmxapi.received.length - before).toBe(2);
    const uploaded = results.filter((result) => result.final.embeds?.[0]?.color === SUCCESS_COLOR);
    expect(uploaded).toHaveLength(2);
    const refused = results.filter((result) => fileIdIn(result.final) === undefined);
    expect(refused).toHaveLength(2);
    for (const result of refused) {
      expect(result.text).toContain('Daily upload limit reached');
      expect(result.text).toContain('2 of them still running, reach the limit of 3 per member');
      expect(result.text).toMatch(/otherwise <t:\d+:R>\./);
    }
  });

  it('gives a place back when an upload fails before anything was sent', async () => {
    const r = await start({ USER_DAILY_UPLOAD_LIMIT: '1' });
    const refused = await upload(r, { fileName: 'short.wav', bytes: makeWav(3) });
    expect(refused.text).toContain('Audio too short');
    expect(refused.dmxapiRequests).toBe(0);

    const next = await upload(r, { fileName: 'good.wav', bytes: makeWav(10.6) });
    expect(next.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
  });

  it('keeps counting an upload whose answer was lost, since DMXAPI may have stored it', async () => {
    const r = await start({ USER_DAILY_UPLOAD_LIMIT: '1' });
    const lost = await upload(r, {
      fileName: 'lost.wav',
      bytes: makeWav(10.7),
      dmxapi: [{ kind: 'reply', status: 200, body: '<html>gateway page</html>' }],
    });
    expect(lost.dmxapiRequests).toBe(1);
    const next = await upload(r, { fileName: 'next.wav', bytes: makeWav(10.8) });
    expect(next.text).toContain('Daily upload limit reached');
    expect(next.dmxapiRequests).toBe(0);
  });
});
