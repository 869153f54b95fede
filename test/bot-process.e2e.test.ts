import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fixture, makeWav } from './support/audio.ts';
import { BotProcess } from './support/bot-process.ts';
import type { DiscordStandIn } from './support/discord-stand-in/index.ts';
import { sha256 } from './support/dmxapi-stand-in.ts';
import { e2eBots } from './support/e2e-bots.ts';
import { TEST_API_KEY, TEST_TOKEN } from './support/start-bot.ts';
import { ERROR_COLOR, fileIdIn, sendUpload, SUCCESS_COLOR, type UploadCase } from './support/upload-flow.ts';

const STRAY_REJECTION = fileURLToPath(new URL('./support/stray-rejection.ts', import.meta.url));

let discord: DiscordStandIn;
const bots = e2eBots();

/** The bot started as `npm start` starts it, on a fresh Discord stand-in, logged in. */
async function startProcess(env: Record<string, string> = {}, preload?: string): Promise<BotProcess> {
  const r = await bots.start({ env, process: { preload } });
  discord = r.discord;
  return r.process;
}

function upload(c: UploadCase) {
  return sendUpload(discord, bots.dmxapi, { timeoutMs: 20_000, ...c });
}

function expectNoSecrets(bot: BotProcess): void {
  for (const request of discord.requests) {
    expect(JSON.stringify(request.body ?? null)).not.toContain(TEST_API_KEY);
    expect(JSON.stringify(request.headers)).not.toContain(TEST_API_KEY);
  }
  expect(bot.stdout + bot.stderr).not.toContain(TEST_API_KEY);
  expect(bot.stdout + bot.stderr).not.toContain(TEST_TOKEN);
}

describe('the bot process, started as npm start starts it', () => {
  it('acknowledges 12 simultaneous uploads within 3 s, queues past the cap, and gives each its own file_id', async () => {
    const bot = await startProcess();
    const cases = Array.from({ length: 12 }, (_, i) => ({
      fileName: `take-${i}.wav`,
      bytes: makeWav(10 + i / 10),
    }));
    bots.dmxapi.script(
      ...cases.map((_, i) => ({ kind: 'success' as const, fileId: String(9_100_000_000 + i), delayMs: 100 })),
    );
    const before = bots.dmxapi.received.length;
    const results = await Promise.all(cases.map((c) => upload(c)));

    const acks = await Promise.all(
      results.map(async (r) => (await r.interaction.callback()).at - r.interaction.dispatchedAt),
    );
    const sorted = [...acks].sort((a, b) => a - b);
    console.log(
      `ack latency for 12 at once: median ${sorted[6]?.toFixed(1) ?? '?'} ms, max ${sorted[11]?.toFixed(1) ?? '?'} ms`,
    );
    expect(Math.max(...acks)).toBeLessThan(3000);

    const ids = results.map((r) => fileIdIn(r.final));
    expect(new Set(ids).size).toBe(12);
    // Each reply holds the id DMXAPI gave for that very file.
    const received = bots.dmxapi.received.slice(before);
    for (const [i, result] of results.entries()) {
      const id = fileIdIn(result.final);
      const index = received.findIndex((r) => r.sha256 === sha256(cases[i]?.bytes ?? new Uint8Array()));
      expect(id).toBe(String(9_100_000_000 + index));
    }
    const queued = results.filter((r) =>
      r.interaction.requests().some((q) => JSON.stringify(q.body).includes('in the queue')),
    );
    expect(queued.length).toBeGreaterThanOrEqual(1);
    expectNoSecrets(bot);
  });

  it('finishes an upload across a dropped gateway, reconnects, and serves the next interaction', async () => {
    await startProcess();
    bots.dmxapi.script({ kind: 'success', fileId: '555', delayMs: 1500 });
    const before = bots.dmxapi.received.length;
    const inFlight = upload({ fileName: 'slow.mp3', bytes: fixture('voice-12s.mp3') });
    await bots.dmxapi.waitForRequests(before + 1);
    discord.dropGateway();
    const how = await discord.waitForReconnect(10_000);
    expect(['resume', 'identify']).toContain(how);

    expect(fileIdIn((await inFlight).final)).toBe('555');
    const next = await upload({ fileName: 'next.wav', bytes: makeWav(12) });
    expect(next.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
  });

  it('logs an unhandled rejection and keeps serving, and pings nobody', async () => {
    const bot = await startProcess({}, STRAY_REJECTION);
    const line = await bot.waitForLog((l) => l.msg === 'unhandled promise rejection');
    expect(line.level).toBe(50);
    const result = await upload({ fileName: '@everyone **x** <@123>.mp3', bytes: fixture('voice-12s.mp3') });
    expect(result.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    expect(result.text).toContain('@\u200beveryone \\*\\*x\\*\\* \\<@\u200b123>.mp3');
    for (const request of discord.requests.filter((r) => r.method === 'PATCH')) {
      expect((request.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({
        parse: [],
        replied_user: false,
      });
    }
    expectNoSecrets(bot);
  });

  it('on SIGTERM refuses new uploads, lets the one in flight finish, closes the gateway and exits 0', async () => {
    const bot = await startProcess();
    bots.dmxapi.script({ kind: 'success', fileId: '777', delayMs: 1500 });
    const before = bots.dmxapi.received.length;
    const inFlight = upload({ fileName: 'finishing.wav', bytes: makeWav(11) });
    await bots.dmxapi.waitForRequests(before + 1);

    bot.signal('SIGTERM');
    await bot.waitForLog((l) => l.msg === 'shutting down: finishing uploads in flight');
    const late = await upload({ fileName: 'late.wav', bytes: makeWav(11) });
    expect(late.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    expect(late.text).toContain('restarting');

    expect(fileIdIn((await inFlight).final)).toBe('777');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(bots.dmxapi.received.length).toBe(before + 1);
  });

  it('on SIGINT past SHUTDOWN_GRACE_MS tells each unfinished upload it was cut off, then exits 0', async () => {
    const bot = await startProcess({ SHUTDOWN_GRACE_MS: '300' });
    bots.dmxapi.script({ kind: 'hang' });
    const before = bots.dmxapi.received.length;
    const inFlight = upload({ fileName: 'stuck.wav', bytes: makeWav(11) });
    await bots.dmxapi.waitForRequests(before + 1);

    bot.signal('SIGINT');
    const result = await inFlight;
    expect(result.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    expect(result.text).toContain('restarted before this upload finished');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
  });

  it("answers the Dockerfile's HEALTHCHECK: healthy while connected, unhealthy once the gateway is gone", async () => {
    const bot = await startProcess({ HEALTH_PORT: '0', HEALTH_HOST: '127.0.0.1' });
    const listening = await bot.waitForLog((l) => l.msg === 'health and metrics server listening');
    const port = String(listening.port);
    // The exact command the image runs, taken from the Dockerfile.
    const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8').replace(/\\\n/g, ' ');
    const command = JSON.parse(/HEALTHCHECK [^[]*CMD (\[.*\])/.exec(dockerfile)?.[1] ?? '[]') as string[];
    expect(command[0]).toBe('node');
    const healthcheck = () =>
      promisify(execFile)(process.execPath, command.slice(1), { env: { HEALTH_PORT: port } }).then(
        () => 0,
        (error: unknown) => (error as { code?: number }).code ?? -1,
      );
    expect(await healthcheck()).toBe(0);

    await discord.close();
    await bot.waitForLog((l) => l.msg === 'gateway reconnecting');
    expect(await healthcheck()).toBe(1);
  });

  it('refuses to start on bad configuration, naming every problem and no secret', async () => {
    // Nothing to log in to: the process must stop before it would look for Discord.
    const bot = await BotProcess.start({ DMXAPI_API_KEY: 'Bearer sk-leak-me', LOG_LEVEL: 'loud' });
    onTestFinished(() => bot.dispose());
    expect((await bot.exited).code).toBe(1);
    expect(bot.stderr).toContain('DISCORD_TOKEN is required but not set');
    expect(bot.stderr).toContain('DMXAPI_API_KEY contains white space');
    expect(bot.stderr).toContain('LOG_LEVEL must be one of');
    expect(bot.stderr).not.toContain('leak-me');
  });
});
