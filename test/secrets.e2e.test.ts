import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ApplicationCommandOptionType } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/bot.ts';
import { parseConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { makeWav } from './support/audio.ts';
import { startTestBot, TEST_API_KEY, TEST_TOKEN, type RunningBot } from './support/bot-harness.ts';
import { DiscordStandIn } from './support/discord-stand-in.ts';
import { DmxapiStandIn } from './support/dmxapi-stand-in.ts';

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

function logLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

describe('interaction tokens never reach a log line', () => {
  it('redacts the webhook token discord.js puts into a failed edit', async () => {
    const r = await startTestBot(dmxapi);
    running.push(r);
    const url = r.discord.serveAttachment('take.wav', makeWav(11));
    // DMXAPI is slow; meanwhile the bot's reply is deleted, so every later edit of it fails (10008).
    dmxapi.script({ kind: 'success', delayMs: 300 });
    const interaction = r.discord.dispatchChatInputCommand({
      name: 'upload',
      options: [{ type: ApplicationCommandOptionType.String, name: 'purpose', value: 'voice_clone' }],
      attachments: [{ filename: 'take.wav', size: 0, url, optionName: 'audio' }],
    });
    await interaction.callback();
    const webhook = `${r.discord.apiUrl}/v10/webhooks/${r.discord.applicationId}/${interaction.token}`;
    const deleted = await fetch(`${webhook}/messages/@original`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    await dmxapi.waitForRequests(1);
    await r.bot.stop();

    const lines = logLines(r.logs());
    // The failed edits were logged, with the route they went to, so the redaction had something to do.
    expect(lines.some((line) => line.includes('Unknown Message'))).toBe(true);
    expect(r.logs()).toContain(`/webhooks/${r.discord.applicationId}/[redacted]/messages/`);
    for (const line of lines) expect(line).not.toContain(interaction.token);
  });

  it('redacts the interaction token of a deferral that came too late, in the error and its stack', async () => {
    const discord = await DiscordStandIn.start({ token: TEST_TOKEN, callbackDeadlineMs: 0 });
    const dataDir = await mkdtemp(join(tmpdir(), 'secrets-e2e-'));
    let logText = '';
    const logs = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText += chunk.toString();
        done();
      },
    });
    const config = parseConfig({
      DISCORD_TOKEN: TEST_TOKEN,
      DMXAPI_API_KEY: TEST_API_KEY,
      DISCORD_API_URL: discord.apiUrl,
      DMXAPI_BASE_URL: dmxapi.baseUrl,
      DISCORD_CDN_HOSTS: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'trace',
    });
    const bot = createBot(config, createLogger(config.logLevel, logs));
    try {
      await bot.start();
      await discord.waitForIdentify();
      const interaction = discord.dispatchChatInputCommand({ name: 'uploads' });
      await discord.waitForRequest((request) => request.path.includes('/callback'));
      await bot.stop();
      const lines = logLines(logText);
      expect(lines.some((line) => line.includes('Unknown interaction'))).toBe(true);
      expect(logText).toContain(`/interactions/${interaction.id}/[redacted]/callback`);
      for (const line of lines) expect(line).not.toContain(interaction.token);
    } finally {
      await bot.stop();
      await discord.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
