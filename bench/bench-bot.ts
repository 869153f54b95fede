/**
 * The real bot for the bench's sections: started as `npm start` starts it (or with a variant of its
 * settings), logged in to the Discord stand-in from the tests, settled at READY.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordStandIn } from '../test/support/discord-stand-in/index.ts';
import { procStatus } from './stats.ts';

export interface BotSettings {
  readonly env: Readonly<Record<string, string>>;
  readonly nodeArgs: readonly string[];
}

export interface BenchBot {
  readonly discord: DiscordStandIn;
  readonly pid: number;
  /** RSS at READY, once start-up settled. */
  readonly idleRss: number;
  readonly stop: () => Promise<void>;
}

export async function startBenchBot(settings: BotSettings, sinkUrl: string): Promise<BenchBot> {
  const discord = await DiscordStandIn.start({ token: 'bench-token' });
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-bot-'));
  const bot = spawn(process.execPath, [...settings.nodeArgs, 'src/main.ts'], {
    env: {
      PATH: process.env.PATH,
      ...settings.env,
      DISCORD_TOKEN: 'bench-token',
      DMXAPI_API_KEY: 'sk-bench',
      DISCORD_API_URL: discord.apiUrl,
      DMXAPI_BASE_URL: sinkUrl,
      DISCORD_CDN_HOSTS: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Many uploads by one member: measure the uploads, not the refusals.
      USER_COOLDOWN_SECONDS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => bot.once('exit', resolve));
  const stop = async (): Promise<void> => {
    bot.kill('SIGTERM');
    await exited;
    await discord.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const pid = bot.pid ?? 0;
    await discord.waitForIdentify(30_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return { discord, pid, idleRss: await procStatus(pid, 'VmRSS'), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
