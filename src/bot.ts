import { Client, Events, GatewayIntentBits, Status } from 'discord.js';
import type { Config } from './config.ts';
import { prepareDataDir } from './data-dir.ts';
import { DmxapiClient, type RetryPolicy } from './dmxapi/client.ts';
import { buildCommands, type Lifecycle } from './discord/commands/index.ts';
import { NotStartedByShutdownError, UploadCutOffError } from './discord/errors.ts';
import { DISCORD_TOKEN_LIFETIME_MS, type AnswerWindow } from './discord/answer-window.ts';
import { UploadQuota } from './discord/access.ts';
import { CLIENT_CACHE } from './discord/client-cache.ts';
import { InteractionRouter } from './discord/interaction-router.ts';
import { openToAnyServerWarning } from './discord/public-exposure.ts';
import { NO_MENTIONS } from './discord/replies.ts';
import { InFlightUploads } from './history/in-flight-uploads.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { postVoiceReminder } from './discord/voice-reminders.ts';
import { SpeechUsage } from './history/speech-usage.ts';
import { UploadHistory } from './history/upload-history.ts';
import { VoiceStore } from './history/voice-store.ts';
import type { Logger } from './logger.ts';
import { startHealthServer, type HealthServer } from './observability/health-server.ts';
import { BotMetrics } from './observability/metrics.ts';
import { FfmpegAvailability } from './audio/convert/ffmpeg-process.ts';
import { AudioWorkerPool } from './pipeline/audio-pool.ts';
import { UploadPipeline } from './pipeline/upload-pipeline.ts';
import { UploadSlots } from './pipeline/upload-slots.ts';
import { ReminderScheduler } from './voices/reminder-scheduler.ts';

export interface BotOptions {
  /** Overrides for tests and benchmarks; production uses the defaults. */
  readonly dmxapiRetry?: RetryPolicy | undefined;
  /** How long the message menu's prompt waits for a choice (default five minutes). */
  readonly promptTimeoutMs?: number | undefined;
  /** Discord's token lifetime and an upload's expected longest run, shortened in tests. */
  readonly answerWindow?: AnswerWindow | undefined;
  /** Pauses between attempts to write a record while another connection holds the history's lock. */
  readonly historyRetryDelaysMs?: readonly number[] | undefined;
  /** The clock voice deadlines, reminders and speech quotas run on (default: the system's). */
  readonly clock?: Clock | undefined;
}

export interface Bot {
  /** The discord.js client: its caches are what the bot keeps in memory. */
  readonly client: Client;
  readonly metrics: BotMetrics;
  readonly history: UploadHistory;
  /** The port /healthz and /metrics listen on, once started with HEALTH_PORT set. */
  readonly healthPort: number | undefined;
  start(): Promise<void>;
  /** Stops taking uploads, lets those in flight finish within the grace period, then disconnects. */
  stop(): Promise<void>;
}

/**
 * Builds the bot. Prepares DATA_DIR and opens the upload history (applying migrations) at once, so
 * an unusable one stops the start with its reason instead of failing the first upload.
 */
export function createBot(config: Config, logger: Logger, options: BotOptions = {}): Bot {
  prepareDataDir(config.dataDir);
  const history = UploadHistory.open(config.dataDir, { lockedRetryDelaysMs: options.historyRetryDelaysMs });
  const quota = new UploadQuota(config.access, history);
  const voices = new VoiceStore(history.database);
  const speechUsage = new SpeechUsage(history.database);
  const clock = options.clock ?? systemClock;
  const client = new Client({
    // Interactions arrive whatever the intents; Guilds keeps guilds and channels cached for them.
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.discord.apiUrl },
    allowedMentions: NO_MENTIONS,
    ...CLIENT_CACHE,
  });
  const dmxapi = new DmxapiClient({
    ...config.dmxapi,
    speechMaxChars: config.speech.maxChars,
    retry: options.dmxapiRetry,
  });
  const audioWorkers = new AudioWorkerPool({ size: config.inspection.workers });
  const ffmpeg = new FfmpegAvailability(config.conversion.ffmpegPath);
  const pipeline = new UploadPipeline({
    uploader: dmxapi,
    limits: config.limits,
    allowedHosts: config.discord.cdnHosts,
    downloadTimeoutMs: config.downloadTimeoutMs,
    audioWorkers,
    inspectTimeoutMs: config.inspection.timeoutMs,
    maxInputBytes: config.conversion.maxInputBytes,
    convertTimeoutMs: config.conversion.timeoutMs,
    ffmpeg,
  });
  const slots = new UploadSlots(config.maxConcurrentUploads, config.maxQueuedUploads);
  const stoppingController = new AbortController();
  const cutOff = new AbortController();
  const lifecycle: { -readonly [K in keyof Lifecycle]: Lifecycle[K] } = {
    acceptingUploads: true,
    stoppingSignal: stoppingController.signal,
    cutOffSignal: cutOff.signal,
  };
  const metrics = new BotMetrics({
    uploadsWaiting: () => slots.waiting,
    uploadsInFlight: () => slots.running,
    gatewayPingMs: () => client.ws.ping,
    audioWorkers: () => audioWorkers.stats,
  });
  const router = new InteractionRouter(
    buildCommands({
      limits: config.limits,
      maxInputBytes: config.conversion.maxInputBytes,
      speechMaxChars: config.speech.maxChars,
    }),
    {
      pipeline,
      slots,
      lifecycle,
      metrics,
      history,
      inFlight: new InFlightUploads(),
      quota,
      voices,
      clock,
      voiceApi: dmxapi,
      speechUsage,
      voiceSettings: {
        audioHosts: config.dmxapi.audioHosts,
        downloadTimeoutMs: config.downloadTimeoutMs,
        speechMaxChars: config.speech.maxChars,
        userDailySpeechChars: config.speech.userDailyChars,
      },
      promptTimeoutMs: options.promptTimeoutMs ?? 5 * 60 * 1000,
      answerWindow: options.answerWindow ?? {
        tokenLifetimeMs: DISCORD_TOKEN_LIFETIME_MS,
        // Download, inspection, conversion (ffmpeg's probe and its run) and one DMXAPI request at
        // their limits, plus a minute for a retry, the history and the reply.
        uploadBudgetMs:
          config.downloadTimeoutMs +
          config.inspection.timeoutMs +
          2 * config.conversion.timeoutMs +
          config.dmxapi.timeoutMs +
          60_000,
      },
    },
    config.access,
    logger,
  );
  let health: HealthServer | undefined;
  /** What an operator should fix though the bot runs; shown in /healthz. */
  const warnings: string[] = [];
  const reminders = new ReminderScheduler({
    store: voices,
    clock,
    send: (voice) => postVoiceReminder(client, voice),
    onError: (error, voice) =>
      logger.warn({ err: error, voiceId: voice?.voiceId }, 'could not post a voice reminder; will try again'),
  });

  client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
  client.once(Events.ClientReady, (ready) => {
    logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size }, 'connected to Discord');
    reminders.start();
  });
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn({ shardId, code: event.code }, 'gateway disconnected'),
  );
  client.on(Events.ShardReconnecting, (shardId) => logger.warn({ shardId }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shardId) => logger.info({ shardId }, 'gateway resumed'));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord.js client error'));

  let stopping: Promise<void> | undefined;

  return {
    client,
    metrics,
    history,
    get healthPort() {
      return health?.port;
    },
    async start() {
      const converter = await ffmpeg.check();
      if (converter.available) {
        logger.info(
          { ffmpeg: config.conversion.ffmpegPath, version: converter.detail },
          'ffmpeg conversion available',
        );
      } else {
        logger.warn(
          { ffmpeg: config.conversion.ffmpegPath, reason: converter.detail },
          'ffmpeg conversion unavailable: MP4/MOV video, AAC and AIFF will be refused (install ffmpeg, or set FFMPEG_PATH)',
        );
      }
      if (config.health) {
        health = await startHealthServer(
          config.health.port,
          config.health.host,
          {
            gatewayReady: () => isGatewayReady(client),
            dataDir: config.dataDir,
            warnings: () => warnings,
            ffmpeg: () => ffmpeg.status,
          },
          metrics,
        );
        logger.info({ port: health.port, host: config.health.host }, 'health and metrics server listening');
      }
      await client.login(config.discord.token);
      try {
        const warning = await openToAnyServerWarning(client.rest, config.access.allowedGuildIds);
        if (warning !== undefined) {
          warnings.push(warning);
          logger.warn({ variable: 'ALLOWED_GUILD_IDS' }, warning);
        }
      } catch (error) {
        logger.warn({ err: error }, 'could not ask Discord whether the application is public');
      }
    },
    stop() {
      stopping ??= (async () => {
        lifecycle.acceptingUploads = false;
        logger.info(
          { running: slots.running, waiting: slots.waiting },
          'shutting down: finishing uploads in flight',
        );
        // Uploads still queued have spent nothing: they are answered now instead of being started
        // and then cut off (paid for, never recorded) by the exit.
        stoppingController.abort(new NotStartedByShutdownError());
        const grace = setTimeout(() => {
          logger.warn(
            { graceMs: config.shutdownGraceMs },
            'grace period over: cutting off unfinished uploads',
          );
          cutOff.abort(new UploadCutOffError());
        }, config.shutdownGraceMs);
        await router.idle();
        clearTimeout(grace);
        await reminders.stop();
        await client.destroy();
        await health?.close();
        await dmxapi.close();
        await audioWorkers.close();
        history.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

/**
 * The manager's own status stays Ready after the first READY; each shard's status is what drops to
 * Connecting, Resuming or Identifying while the gateway is away.
 */
function isGatewayReady(client: Client): boolean {
  return (
    client.ws.status === Status.Ready && client.ws.shards.every((shard) => shard.status === Status.Ready)
  );
}
