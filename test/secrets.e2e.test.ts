import { ApplicationCommandOptionType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { makeWav } from './support/audio.ts';
import type { StandInOptions } from './support/discord-stand-in/index.ts';
import { TEST_API_KEY } from './support/start-bot.ts';
import { type DmxapiScript } from './support/dmxapi-stand-in.ts';
import { sendUpload } from './support/upload-flow.ts';
import { e2eBots } from './support/e2e-bots.ts';

const bots = e2eBots();

/** The bot against a Discord stand-in made with `discordOptions`, logging everything. */
function startAgainst(discordOptions: Omit<StandInOptions, 'token'>, env: Record<string, string> = {}) {
  return bots.start({ discord: discordOptions, env: { LOG_LEVEL: 'trace', ...env } });
}

function logLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

describe('interaction tokens never reach a log line', () => {
  it('redacts the webhook token discord.js puts into a failed edit', async () => {
    const r = await bots.start();
    const url = r.discord.serveAttachment('take.wav', makeWav(11));
    // DMXAPI is slow; meanwhile the bot's reply is deleted, so every later edit of it fails (10008).
    bots.dmxapi.script({ kind: 'success', delayMs: 300 });
    const interaction = r.discord.dispatchChatInputCommand({
      name: 'upload',
      options: [{ type: ApplicationCommandOptionType.String, name: 'purpose', value: 'voice_clone' }],
      attachments: [{ filename: 'take.wav', size: 0, url, optionName: 'audio' }],
    });
    await interaction.callback();
    const webhook = `${r.discord.apiUrl}/v10/webhooks/${r.discord.applicationId}/${interaction.token}`;
    const deleted = await fetch(`${webhook}/messages/@original`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    await bots.dmxapi.waitForRequests(1);
    await r.bot.stop();

    const lines = logLines(r.logs());
    // The failed edits were logged, with the route they went to, so the redaction had something to do.
    expect(lines.some((line) => line.includes('Unknown Message'))).toBe(true);
    expect(r.logs()).toContain(`/webhooks/${r.discord.applicationId}/[redacted]/messages/`);
    for (const line of lines) expect(line).not.toContain(interaction.token);
  });

  it('redacts the interaction token of a deferral that came too late, in the error and its stack', async () => {
    const r = await startAgainst({ callbackDeadlineMs: 0 });
    const interaction = r.discord.dispatchChatInputCommand({ name: 'uploads' });
    await r.discord.waitForRequest((request) => request.path.includes('/callback'));
    await r.bot.stop();
    const lines = logLines(r.logs());
    expect(lines.some((line) => line.includes('Unknown interaction'))).toBe(true);
    expect(r.logs()).toContain(`/interactions/${interaction.id}/[redacted]/callback`);
    for (const line of lines) expect(line).not.toContain(interaction.token);
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
    const r = await bots.start({ env: { DMXAPI_API_KEY: apiKey } });
    const result = await sendUpload(r.discord, bots.dmxapi, {
      fileName: 'take.wav',
      bytes: makeWav(11),
      dmxapi: [script],
    });
    expect(result.dmxapiRequests).toBe(1);
    expect(bots.dmxapi.received.at(-1)?.headers.authorization).toBe(apiKey);
    // The service's own words are still shown, without the key.
    expect(result.text).toMatch(/invalid token|authentication failed/);
    expect(result.text).toContain('[redacted]');
    await r.stop();
    for (const text of [JSON.stringify(result.interaction.requests()), r.logs()]) {
      expect(text).not.toContain(apiKey);
    }
  });

  it('removes anything shaped like a key or a bearer token, whatever the configured key is', async () => {
    const r = await bots.start();
    const foreign = [
      'sk-0123456789abcdefOtherTeamKey',
      'Bearer abc.def.ghi-jkl_mno',
      'Zx81Qw72Er63Ty54Ui45Op36',
    ];
    const result = await sendUpload(r.discord, bots.dmxapi, {
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

describe('a public bot with no server allowlist', () => {
  async function healthz(port: number | undefined): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`http://127.0.0.1:${String(port)}/healthz`);
    return { status: response.status, body: await response.json() };
  }

  it('warns at start, naming the risk and ALLOWED_GUILD_IDS, and shows it in /healthz', async () => {
    const r = await startAgainst({ botPublic: true }, { HEALTH_PORT: '0', HEALTH_HOST: '127.0.0.1' });
    const warnings = logLines(r.logs())
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((line) => line.level === 40 && line.msg.includes('ALLOWED_GUILD_IDS'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/public.*any server that adds the bot can spend the DMXAPI key/i);
    const health = await healthz(r.bot.healthPort);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      warnings: [expect.stringMatching(/ALLOWED_GUILD_IDS.*public/)],
    });
  });

  it.each([
    ['the application is private', { botPublic: false }, {}],
    ['ALLOWED_GUILD_IDS is set', { botPublic: true }, { ALLOWED_GUILD_IDS: '111111111111111111' }],
  ])('says nothing when %s', async (_case, discordOptions, env) => {
    const r = await startAgainst(discordOptions, { HEALTH_PORT: '0', HEALTH_HOST: '127.0.0.1', ...env });
    expect(r.logs()).not.toContain('can spend the DMXAPI key');
    const { body } = await healthz(r.bot.healthPort);
    expect(body).toMatchObject({ status: 'ok' });
    expect(body).not.toHaveProperty('warnings');
  });
});
