import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createBot, type Bot, type BotOptions } from '../../src/bot.ts';
import { parseConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { DiscordStandIn } from './discord-stand-in/index.ts';
import type { DmxapiStandIn } from './dmxapi-stand-in.ts';

export const TEST_API_KEY = 'sk-harness-secret-key';
export const TEST_TOKEN = 'harness-discord-token';

export interface RunningBot {
  readonly bot: Bot;
  readonly discord: DiscordStandIn;
  readonly dataDir: string;
  /** Everything the bot logged, as text. */
  logs(): string;
  /** Stops the bot and the Discord stand-in; keeps DATA_DIR unless `removeData`. */
  stop(options?: { removeData?: boolean }): Promise<void>;
}

/**
 * The bot built as `npm start` builds it (in this process), logged in to a fresh Discord stand-in,
 * uploading to `dmxapi`. `env` adds to or overrides the configuration.
 */
export async function startTestBot(
  dmxapi: DmxapiStandIn,
  env: Record<string, string> = {},
  dataDir?: string,
  options: BotOptions = {},
): Promise<RunningBot> {
  const discord = await DiscordStandIn.start({ token: TEST_TOKEN });
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'bot-harness-')));
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
    DATA_DIR: dir,
    LOG_LEVEL: 'debug',
    USER_COOLDOWN_SECONDS: '0',
    ...env,
  });
  const logger = createLogger(config.logLevel, logs, 'json', {
    secrets: [config.discord.token, config.dmxapi.apiKey],
  });
  const bot = createBot(config, logger, {
    dmxapiRetry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 100 },
    ...options,
  });
  await bot.start();
  await discord.waitForIdentify();
  return {
    bot,
    discord,
    dataDir: dir,
    logs: () => logText,
    async stop({ removeData = false } = {}) {
      await bot.stop();
      await discord.close();
      if (removeData) await rm(dir, { recursive: true, force: true });
    },
  };
}
