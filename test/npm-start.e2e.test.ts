import { describe, expect, it } from 'vitest';
import { makeWav } from './support/audio.ts';
import type { BotProcess } from './support/bot-process.ts';
import type { DiscordStandIn } from './support/discord-stand-in/index.ts';
import { e2eBots } from './support/e2e-bots.ts';
import { fileIdIn, sendUpload } from './support/upload-flow.ts';

let discord: DiscordStandIn;
const bots = e2eBots();

async function npmStart(): Promise<BotProcess> {
  const r = await bots.start({ env: { LOG_FORMAT: 'json' }, process: { npm: true } });
  discord = r.discord;
  return r.process;
}

/** Waits until none of the given processes runs any more; returns the ones still running. */
async function survivors(pids: readonly number[], timeoutMs = 5000): Promise<number[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    if (alive.length === 0 || performance.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts an upload that DMXAPI answers only after `delayMs`, and waits until it is in flight. */
async function uploadInFlight(fileId: string, delayMs: number) {
  bots.dmxapi.script({ kind: 'success', fileId, delayMs });
  const before = bots.dmxapi.received.length;
  const result = sendUpload(discord, bots.dmxapi, {
    fileName: 'in-flight.wav',
    bytes: makeWav(11),
    timeoutMs: 20_000,
  });
  await bots.dmxapi.waitForRequests(before + 1);
  return { result };
}

describe('npm start, stopped the ways people stop it', () => {
  it('SIGTERM to npm (a process manager) drains the upload in flight, stops the bot and exits 0', async () => {
    const bot = await npmStart();
    const processes = bot.descendants();
    expect(processes.length).toBeGreaterThan(0);
    const inFlight = await uploadInFlight('4242', 1500);

    bot.signal('SIGTERM');
    expect(fileIdIn((await inFlight.result).final)).toBe('4242');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(await survivors(processes)).toEqual([]);
    expect(bot.logs.some((line) => line.msg === 'signal received' && line.signal === 'SIGTERM')).toBe(true);
  });

  it('Ctrl-C (SIGINT to the whole process group) drains the upload in flight and exits 0', async () => {
    const bot = await npmStart();
    const processes = bot.descendants();
    const inFlight = await uploadInFlight('4343', 1500);

    bot.signalGroup('SIGINT');
    expect(fileIdIn((await inFlight.result).final)).toBe('4343');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(await survivors(processes)).toEqual([]);
  });
});
