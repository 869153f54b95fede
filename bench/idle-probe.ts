/**
 * Run by bench/idle-parts.ts in a fresh process, with the bot's node flags and environment: loads
 * the bot's parts one after another and prints, as one JSON line, the RSS after each (garbage
 * collected and settled). Being a .ts file, type stripping is already loaded at the first reading.
 *
 *   node --expose-gc bench/idle-probe.ts
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export type ProbeReadings = [part: string, rssBytes: number, heapUsedBytes: number][];

async function settled(): Promise<[rssBytes: number, heapUsedBytes: number]> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await sleep(200);
  }
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;
  return [rss, process.memoryUsage().heapUsed];
}

const parts: [string, () => Promise<unknown>][] = [
  ['Node and type stripping', () => Promise.resolve()],
  ['discord.js', () => import('discord.js')],
  ['undici (ours)', () => import('undici')],
  [
    'pino, JSON lines',
    async () => (await import('../src/logger.ts')).createLogger('info', undefined, 'json'),
  ],
  [
    'prom-client and its default metrics',
    async () => {
      const { BotMetrics } = await import('../src/observability/metrics.ts');
      const idlePool = {
        busy: 0,
        idle: 0,
        queued: 0,
        terminatedForTimeout: 0,
        terminatedForMemory: 0,
        crashed: 0,
      };
      return new BotMetrics({
        uploadsWaiting: () => 0,
        uploadsInFlight: () => 0,
        gatewayPingMs: () => -1,
        audioWorkers: () => idlePool,
      });
    },
  ],
  ['node:sqlite', async () => new (await import('node:sqlite')).DatabaseSync(':memory:')],
  ['the bot’s own modules', () => import('../src/bot.ts')],
];

const readings: ProbeReadings = [];
const kept: unknown[] = [];
for (const [part, load] of parts) {
  kept.push(await load());
  readings.push([part, ...(await settled())]);
}
// Not loaded by the bot unless LOG_FORMAT=pretty (the default only at a terminal; the image says json).
const { createLogger } = await import('../src/logger.ts');
kept.push(createLogger('info', undefined, 'pretty'));
await sleep(1000); // pino-pretty starts in a worker thread
readings.push(['pino-pretty (LOG_FORMAT=pretty only)', ...(await settled())]);
process.stdout.write(`${JSON.stringify(readings)}\n`);
process.exit(0);
