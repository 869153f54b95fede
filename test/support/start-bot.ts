/**
 * The one way an end-to-end test starts the bot: a fresh Discord stand-in, the bot configured against
 * it and the given DMXAPI stand-in, logged in, and a stop() that undoes it all.
 *
 * - By default the bot is built as src/main.ts builds it, in this process (fast; tests can reach
 *   `bot.history` and pass BotOptions).
 * - With `process: true` (or `{ preload }`) it is its own Node process on src/main.ts, as `npm start`
 *   runs it, configured only through the environment (signals, exit codes, stdout logs); with
 *   `process: { npm: true }` it is `npm start` itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createBot, type Bot, type BotOptions } from '../../src/bot.ts';
import { parseConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { BotProcess } from './bot-process.ts';
import { DiscordStandIn, type StandInOptions } from './discord-stand-in/index.ts';
import type { DmxapiStandIn } from './dmxapi-stand-in.ts';

export const TEST_API_KEY = 'sk-harness-secret-key';
export const TEST_TOKEN = 'harness-discord-token';

export interface StartBotOptions {
  /** Adds to or overrides the environment the bot is configured from. */
  env?: Record<string, string>;
  /** DATA_DIR to use, e.g. a stopped bot's, to start again on its data; a fresh temporary one otherwise. */
  dataDir?: string;
  /** How the Discord stand-in behaves (its token is always TEST_TOKEN). */
  discord?: Omit<StandInOptions, 'token'>;
  /** In process only: what createBot() gets besides the configuration. */
  bot?: BotOptions;
  /**
   * In process only: the Discord stand-in of an earlier, stopped bot, for a restart against the same
   * guilds and channels; stop() then leaves it running for its first owner to close.
   */
  sameDiscordAs?: RunningBot;
}

export interface ProcessOptions {
  /** A module the child process loads with `--import` before src/main.ts. */
  preload?: string;
  /** Run `npm start` in a copy of the project (npm, its shell and the bot) instead of node directly. */
  npm?: boolean;
}

interface Running {
  readonly discord: DiscordStandIn;
  readonly dataDir: string;
  /** Everything the bot logged so far, as text. */
  logs(): string;
  /** Stops the bot, then the Discord stand-in; keeps DATA_DIR unless `removeData`. */
  stop(options?: { removeData?: boolean }): Promise<void>;
}

export interface RunningBot extends Running {
  readonly bot: Bot;
}

export interface RunningBotProcess extends Running {
  readonly process: BotProcess;
}

export function startBot(
  dmxapi: DmxapiStandIn,
  options: StartBotOptions & { process: true | ProcessOptions },
): Promise<RunningBotProcess>;
export function startBot(dmxapi: DmxapiStandIn, options?: StartBotOptions): Promise<RunningBot>;
export async function startBot(
  dmxapi: DmxapiStandIn,
  options: StartBotOptions & { process?: true | ProcessOptions } = {},
): Promise<RunningBot | RunningBotProcess> {
  const reused = options.sameDiscordAs?.discord;
  const discord = reused ?? (await DiscordStandIn.start({ ...options.discord, token: TEST_TOKEN }));
  const identifiesBefore = discord.identifyCount;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'e2e-bot-')));
  const env: Record<string, string> = {
    DISCORD_TOKEN: TEST_TOKEN,
    DMXAPI_API_KEY: TEST_API_KEY,
    DISCORD_API_URL: discord.apiUrl,
    DMXAPI_BASE_URL: dmxapi.baseUrl,
    DISCORD_CDN_HOSTS: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    // One test user uploads many times; cooldowns have tests of their own.
    USER_COOLDOWN_SECONDS: '0',
    ...options.env,
  };
  const removeData = async (remove: boolean): Promise<void> => {
    if (remove) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (options.process !== undefined) {
      const { preload, npm = false } = options.process === true ? {} : options.process;
      if (npm && preload !== undefined) throw new Error('startBot: npm start takes no preload');
      const child = npm ? await BotProcess.npmStart(env) : await BotProcess.start(env, preload);
      try {
        // Started as a separate process on a loaded machine: login takes longer than in process.
        await discord.waitForIdentify(20_000);
        await child.waitForLog((line) => line.msg === 'connected to Discord', 20_000);
      } catch (error) {
        await child.dispose();
        throw error;
      }
      return {
        process: child,
        discord,
        dataDir,
        logs: () => child.stdout + child.stderr,
        async stop({ removeData: remove = false } = {}) {
          await child.dispose();
          await discord.close();
          await removeData(remove);
        },
      };
    }

    let logText = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText += chunk.toString();
        done();
      },
    });
    const config = parseConfig(env);
    // As src/main.ts builds it, JSON so tests can read fields.
    const logger = createLogger(config.logLevel, sink, 'json', {
      secrets: [config.discord.token, config.dmxapi.apiKey],
    });
    const bot = createBot(config, logger, {
      dmxapiRetry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 100 },
      ...options.bot,
    });
    await bot.start();
    await discord.waitForIdentify(undefined, identifiesBefore + 1);
    return {
      bot,
      discord,
      dataDir,
      logs: () => logText,
      async stop({ removeData: remove = false } = {}) {
        await bot.stop();
        if (!reused) await discord.close();
        await removeData(remove);
      },
    };
  } catch (error) {
    await discord.close();
    throw error;
  }
}
