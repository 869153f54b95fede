import { flushCompileCache } from 'node:module';
import { createBot, type Bot } from './bot.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger(config.logLevel, undefined, config.logFormat, {
  secrets: [config.discord.token, config.dmxapi.apiKey],
});
let bot: Bot;
try {
  bot = createBot(config, logger);
} catch (error) {
  logger.fatal({ err: error }, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

// One failed promise must not take down uploads that other people are waiting for.
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

// Ctrl-C under `npm start` delivers SIGINT twice: once from the terminal to the whole process
// group, once forwarded by npm. Only the first starts the shutdown; later ones must not kill the
// process while it drains (the drain is bounded by SHUTDOWN_GRACE_MS anyway).
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) {
      logger.info({ signal }, 'signal received while already shutting down; still draining');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'signal received');
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

try {
  await bot.start();
} catch (error) {
  logger.fatal({ err: error }, 'could not start');
  await bot.stop().catch(() => undefined);
  process.exit(1);
}
// With NODE_COMPILE_CACHE set (npm start, the image), write what the start compiled now rather than at
// exit, so the next start skips the TypeScript stripper even if this process is killed.
flushCompileCache();
