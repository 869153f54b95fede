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
import { DiscordStandIn } from './support/discord-stand-in/index.ts';
import { DmxapiStandIn, type DmxapiScript } from './support/dmxapi-stand-in.ts';
import { sendUpload } from './support/upload-flow.ts';

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

describe('a key echoed by DMXAPI appears nowhere', () => {
  // A relay that repeats the request's headers in its error text, in both of DMXAPI's error layers.
  const echoes: [string, DmxapiScript][] = [
    [
      'the gateway error',
      {
        kind: 'reply',
        status: 401,
        body: (headers) => ({
          error: {
            message: `invalid token: Authorization: ${String(headers.authorization)}; as Bearer ${String(headers.authorization)} (request id: 20250212163612345)`,
            type: 'new_api_error',
            code: 'invalid_token',
          },
        }),
      },
    ],
    [
      'the MiniMax status message',
      {
        kind: 'reply',
        status: 200,
        body: (headers) => ({
          base_resp: {
            status_code: 1004,
            status_msg: `authentication failed for key ${String(headers.authorization)}`,
          },
        }),
      },
    ],
  ];

  it.each(echoes)('keeps the key out of the reply and the logs: %s', async (_layer, script) => {
    // Not shaped like a key, so only knowing the configured key can remove it.
    const apiKey = 'TeamSharedKeyForDmx';
    const r = await startTestBot(dmxapi, { DMXAPI_API_KEY: apiKey });
    running.push(r);
    const result = await sendUpload(r.discord, dmxapi, {
      fileName: 'take.wav',
      bytes: makeWav(11),
      dmxapi: [script],
    });
    expect(result.dmxapiRequests).toBe(1);
    expect(dmxapi.received.at(-1)?.headers.authorization).toBe(apiKey);
    // The service's own words are still shown, without the key.
    expect(result.text).toMatch(/invalid token|authentication failed/);
    expect(result.text).toContain('[redacted]');
    await r.stop();
    for (const text of [JSON.stringify(result.interaction.requests()), r.logs()]) {
      expect(text).not.toContain(apiKey);
    }
  });

  it('removes anything shaped like a key or a bearer token, whatever the configured key is', async () => {
    const r = await startTestBot(dmxapi);
    running.push(r);
    const foreign = [
      'sk-0123456789abcdefOtherTeamKey',
      'Bearer abc.def.ghi-jkl_mno',
      'Zx81Qw72Er63Ty54Ui45Op36',
    ];
    const result = await sendUpload(r.discord, dmxapi, {
      fileName: 'take.wav',
      bytes: makeWav(11),
      dmxapi: [
        {
          kind: 'reply',
          status: 403,
          body: { error: { message: `quota used up for ${foreign.join(', ')}` } },
        },
      ],
    });
    expect(result.text).toContain('quota used up for');
    await r.stop();
    for (const text of [JSON.stringify(result.interaction.requests()), r.logs()]) {
      for (const secret of [TEST_API_KEY, 'sk-0123456789', 'abc.def.ghi', 'Zx81Qw72Er63']) {
        expect(text).not.toContain(secret);
      }
    }
  });
});
