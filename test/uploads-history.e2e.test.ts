import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from './support/audio.ts';
import { startBot, type RunningBot } from './support/start-bot.ts';
import { DmxapiStandIn } from './support/dmxapi-stand-in.ts';
import { fileIdIn, sendUpload, type UploadCase } from './support/upload-flow.ts';

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

describe('what the history stores', () => {
  it("orders and counts uploads by the bot's own clock; DMXAPI's created_at is only shown", async () => {
    const r = await start({ USER_DAILY_UPLOAD_LIMIT: '2' });
    const year2100 = 4102444800;
    const before = Math.floor(Date.now() / 1000);
    const first = await upload(r, {
      fileName: 'first.wav',
      bytes: makeWav(11.1),
      dmxapi: [{ kind: 'success', fileId: '5001', createdAt: year2100 }],
    });
    const second = await upload(r, {
      fileName: 'second.wav',
      bytes: makeWav(11.2),
      dmxapi: [{ kind: 'success', fileId: '5002', createdAt: 1000 }],
    });
    const after = Math.ceil(Date.now() / 1000);
    expect([fileIdIn(first.final), fileIdIn(second.final)]).toEqual(['5001', '5002']);
    // What DMXAPI said is shown with the result…
    expect(second.text).toContain('<t:1000:F>');

    // …but the history holds the bot's time: the later upload is listed first,
    const { records } = r.bot.history.search(r.discord.guildIds[0] ?? '', {}, { offset: 0, limit: 10 });
    expect(records.map((record) => record.fileId)).toEqual(['5002', '5001']);
    for (const record of records) {
      expect(Number.isInteger(record.createdAt)).toBe(true);
      expect(record.createdAt).toBeGreaterThanOrEqual(before);
      expect(record.createdAt).toBeLessThanOrEqual(after);
    }
    // …and both count against today's limit, whatever year DMXAPI claimed.
    const third = await upload(r, { fileName: 'third.wav', bytes: makeWav(11.3) });
    expect(third.text).toContain('uploaded 2 samples in the last 24 hours');
    expect(third.dmxapiRequests).toBe(0);
  });
});
