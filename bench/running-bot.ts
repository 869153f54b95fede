/**
 * `npm run bench` section: the real bot, started as `npm start` starts it, logged in to the Discord
 * stand-in from the tests, taking 12 `/upload`s of the file at the same instant. Its memory per
 * upload in flight, and what each memory setting of the start command is worth (the same run
 * without it).
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApplicationCommandOptionType } from 'discord.js';
import type { EditBody } from '../test/support/discord-stand-in/index.ts';
import { ERROR_COLOR, NOTICE_COLOR, SUCCESS_COLOR } from '../test/support/upload-flow.ts';
import { startBenchBot } from './bench-bot.ts';
import { busyShare, machineCpu, perFileWork, processCpuMs } from './cpu.ts';
import type { MemorySamples } from './memory-sampler.ts';
import type { WorkerCost } from './worker-cost.ts';
import { startCommand } from './start-command.ts';
import { mb, mbSpread, median, ms, procStatus, ratioSpread, spread, times } from './stats.ts';

const UPLOADS = 12;
/** Success, error and notice ("already uploaded"): the colours of a final reply, not of progress. */
const FINAL_COLORS = [SUCCESS_COLOR, ERROR_COLOR, NOTICE_COLOR];
const RUNS_AS_STARTED = 3;
const RUNS_PER_VARIANT = 2;

interface BotRun {
  readonly idleRss: number;
  readonly peakOverIdle: number;
  readonly ackLatencies: number[];
  readonly endToEnd: number[];
  readonly batchWallMs: number;
  readonly failed: number;
  /** Mean seconds per stage of the successful uploads, from the bot's own /metrics. */
  readonly stageSeconds: Readonly<Record<string, number>>;
  /** CPU the bot's process used during the batch (every thread), in ms. */
  readonly botCpuMs: number;
  /** The share of the machine's CPU time (all cores) that was busy during the batch. */
  readonly machineBusy: number;
  /** The main thread's memory at the start and at the peak, when sampled. */
  readonly samples: MemorySamples | undefined;
}

interface Variant {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly nodeArgs: readonly string[];
}

export interface RunningBotFigures {
  readonly lines: string[];
  /** Median idle RSS at READY, as started. */
  readonly idleRss: number;
  /** Median peak RSS over idle per upload in flight, in files, as started. */
  readonly perUpload: number;
  readonly maxAckMs: number;
  readonly maxConcurrentUploads: number;
  /** The batch's wall time over the transfer floor's for the same files. */
  readonly batchOverFloor: number;
}

async function runBot(
  variant: Variant,
  setup: { sinkUrl: string; wav: Uint8Array; inFlight: number; sample?: boolean },
): Promise<BotRun> {
  const healthPort = await freePort();
  const samplesFile = join(tmpdir(), `bench-memory-${process.pid}-${healthPort}.json`);
  const settings = setup.sample
    ? {
        env: { ...variant.env, HEALTH_PORT: String(healthPort), BENCH_MEMORY_SAMPLES: samplesFile },
        nodeArgs: [...variant.nodeArgs, '--import', './bench/memory-sampler.ts'],
      }
    : { env: { ...variant.env, HEALTH_PORT: String(healthPort) }, nodeArgs: variant.nodeArgs };
  const { discord, pid, idleRss, stop } = await startBenchBot(settings, setup.sinkUrl);
  let stopped = false;
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    if (setup.sample) process.kill(pid, 'SIGUSR2');
    // Twelve different files (one sample apart): the same bytes twice in flight are uploaded once.
    const urls = Array.from({ length: UPLOADS }, (_, index) => {
      const file = Buffer.from(setup.wav);
      file[file.length - 1] = index;
      return discord.serveAttachment(`bench-${index}.wav`, file);
    });
    const cpuBefore = await processCpuMs(pid);
    const machineBefore = await machineCpu();
    const interactions = urls.map((url) =>
      discord.dispatchChatInputCommand({
        name: 'upload',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'purpose', value: 'voice_clone' },
          { type: ApplicationCommandOptionType.Boolean, name: 'force', value: true },
        ],
        attachments: [{ filename: 'bench.wav', size: setup.wav.length, url, optionName: 'audio' }],
      }),
    );
    const callbacks = await Promise.all(interactions.map((i) => i.callback(10_000)));
    const finals = await Promise.all(
      interactions.map((i) => i.waitForEdit((body) => isFinal(body), 120_000)),
    );
    const botCpuMs = (await processCpuMs(pid)) - cpuBefore;
    const machineBusy = busyShare(machineBefore, await machineCpu());
    const peak = await procStatus(pid, 'VmHWM');
    const stageSeconds = await stageMeans(healthPort);
    await stop();
    stopped = true;
    const dispatched = (index: number): number => interactions[index]?.dispatchedAt ?? 0;
    return {
      idleRss,
      peakOverIdle: peak - idleRss,
      ackLatencies: callbacks.map((c, i) => c.at - dispatched(i)),
      endToEnd: finals.map((f, i) => f.at - dispatched(i)),
      batchWallMs:
        Math.max(...finals.map((f) => f.at)) - Math.min(...interactions.map((i) => i.dispatchedAt)),
      failed: finals.filter((f) => (f.body as EditBody).embeds?.[0]?.color !== SUCCESS_COLOR).length,
      stageSeconds,
      botCpuMs,
      machineBusy,
      samples: setup.sample ? (JSON.parse(await readFile(samplesFile, 'utf8')) as MemorySamples) : undefined,
    };
  } finally {
    if (!stopped) await stop();
    await rm(samplesFile, { force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Mean seconds per upload stage, read from the bot's Prometheus histogram. */
async function stageMeans(healthPort: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
  const read = (suffix: string, stage: string): number =>
    Number(
      new RegExp(`^voicebot_upload_stage_duration_seconds_${suffix}\\{stage="${stage}"\\} (\\S+)$`, 'm').exec(
        text,
      )?.[1],
    );
  return Object.fromEntries(
    ['download', 'inspect', 'upload'].map((stage) => [stage, read('sum', stage) / read('count', stage)]),
  );
}

/** A final reply (success, error, notice), not a progress edit. */
export function isFinal(body: EditBody): boolean {
  return FINAL_COLORS.includes(body.embeds?.[0]?.color ?? 0);
}

/** The start command, and the same with one of its memory settings (or all of them) taken away. */
function variants(): Variant[] {
  const start = startCommand();
  const withoutFlag = (flag: string): readonly string[] => start.nodeArgs.filter((arg) => arg !== flag);
  const withoutEnv = (name: string): Record<string, string> =>
    Object.fromEntries(Object.entries(start.env).filter(([key]) => key !== name));
  const asStarted: Variant = { name: 'as started', env: { ...start.env }, nodeArgs: start.nodeArgs };
  return [
    asStarted,
    ...start.nodeArgs.map((flag) => ({
      name: `without \`${flag}\``,
      env: { ...start.env },
      nodeArgs: withoutFlag(flag),
    })),
    ...Object.keys(start.env).map((name) => ({
      name: `without \`${name}\``,
      env: withoutEnv(name),
      nodeArgs: start.nodeArgs,
    })),
    // Not a memory setting: the default is one worker per upload in flight (they convert too);
    // this row shows what the workers cost against the least there can be.
    {
      name: 'with `INSPECT_WORKERS=1`',
      env: { ...start.env, INSPECT_WORKERS: '1' },
      nodeArgs: start.nodeArgs,
    },
    { name: 'none of them', env: {}, nodeArgs: [] },
  ];
}

export async function benchRunningBot(
  setup: {
    sinkUrl: string;
    wav: Uint8Array;
    maxConcurrentUploads: number;
    /** The transfer floor's batch wall (pipeline section) at each number at once. */
    floorBatchWallMs: ReadonlyMap<number, number>;
  },
  log: (line: string) => void = console.log,
): Promise<RunningBotFigures> {
  const { maxConcurrentUploads: inFlight, wav } = setup;
  const perUpload = (run: BotRun): number => run.peakOverIdle / inFlight / wav.length;
  // One start first, unmeasured, so the compile cache npm start names holds this code, as it does
  // for every start after an operator's first.
  const all = variants();
  const loadAtStart = loadavg()[0] ?? 0;
  await (await startBenchBot(all[0] as Variant, setup.sinkUrl)).stop();
  const rows: string[] = [];
  let asStarted: BotRun[] = [];
  for (const [index, variant] of all.entries()) {
    const runs: BotRun[] = [];
    for (let run = 0; run < (index === 0 ? RUNS_AS_STARTED : RUNS_PER_VARIANT); run++) {
      runs.push(await runBot(variant, { sinkUrl: setup.sinkUrl, wav, inFlight }));
    }
    if (index === 0) asStarted = runs;
    log(
      `bot ${variant.name}: idle ${mbSpread(runs.map((r) => r.idleRss))}, ` +
        `per upload in flight ${ratioSpread(runs.map(perUpload))}, batch ${spread(runs.map((r) => r.batchWallMs))}`,
    );
    rows.push(
      `| ${variant.name} | ${mbSpread(runs.map((r) => r.idleRss))} | ${mbSpread(runs.map((r) => r.peakOverIdle))} | ` +
        `${ratioSpread(runs.map(perUpload))} | ${spread(runs.map((r) => r.batchWallMs))} | ${runs.reduce((n, r) => n + r.failed, 0)} |`,
    );
  }
  log('bot as started, its main thread sampled every 5 ms…');
  const sampled = await runBot(all[0] as Variant, { sinkUrl: setup.sinkUrl, wav, inFlight, sample: true });
  const acks = asStarted.flatMap((r) => r.ackLatencies);
  const start = startCommand();
  const batchWall = median(asStarted.map((r) => r.batchWallMs));
  const floorAll = setup.floorBatchWallMs.get(UPLOADS) ?? NaN;
  const rounds = Math.ceil(UPLOADS / inFlight);
  const floorInRounds = rounds * (setup.floorBatchWallMs.get(inFlight) ?? NaN);
  const stageSum = median(
    asStarted.map((r) => Object.values(r.stageSeconds).reduce((sum, seconds) => sum + seconds, 0) * 1000),
  );
  const work = perFileWork(wav);
  const botCpu = median(asStarted.map((r) => r.botCpuMs));
  const percent = (share: number): string => `${(share * 100).toFixed(0)} %`;
  const stage = (name: string): string =>
    ms(median(asStarted.map((r) => (r.stageSeconds[name] ?? NaN) * 1000)));
  return {
    idleRss: median(asStarted.map((r) => r.idleRss)),
    perUpload: median(asStarted.map(perUpload)),
    maxAckMs: Math.max(...acks),
    maxConcurrentUploads: inFlight,
    batchOverFloor: batchWall / floorAll,
    lines: [
      '## The running bot',
      '',
      `The bot started as \`npm start\` starts it (\`${start.text}\`, \`MAX_CONCURRENT_UPLOADS\` and ` +
        `\`INSPECT_WORKERS\` at their default, ${inFlight}), logged in to the Discord stand-in from the tests, then ` +
        `sent ${UPLOADS} \`/upload\` interactions of ${UPLOADS} different files of ${mb(wav.length)} at the same instant. ` +
        `Idle is the RSS at READY; memory is the peak RSS (\`VmHWM\`) over it, per upload in flight ` +
        `(${inFlight} in flight). The compile cache was warm (one start before the runs). As started: median of ` +
        `${RUNS_AS_STARTED} runs; each other row, ${RUNS_PER_VARIANT} runs, with one setting of the start command taken away ` +
        'or one added. The one-minute load average was ' +
        `${loadAtStart.toFixed(1)} when this section started and ${(loadavg()[0] ?? 0).toFixed(1)} when it ended.`,
      '',
      `- Acknowledgement (interaction sent → deferral received), as started: median ${ms(median(acks))}, max ${ms(Math.max(...acks))}.`,
      `- Interaction sent → final reply, as started: median ${ms(median(asStarted.flatMap((r) => r.endToEnd)))}.`,
      `- Peak RSS over idle, as started: ${mb(median(asStarted.map((r) => r.peakOverIdle)))}, ` +
        `${times(median(asStarted.map(perUpload)))} the file per upload in flight.`,
      `- The batch (first interaction sent → last final reply): ${ms(batchWall)}, ` +
        `${times(batchWall / floorAll)} the transfer floor’s ${ms(floorAll)} for ${UPLOADS} files all at once ` +
        `(pipeline section). The bot runs \`MAX_CONCURRENT_UPLOADS\` (${inFlight}) at a time, so the ${UPLOADS} go ` +
        `in ${rounds} rounds (the floor at ${inFlight} at once, ${rounds} times over: ${ms(floorInRounds)}), and each ` +
        'round does more than move bytes. Mean per upload, from the bot’s own `/metrics`: download ' +
        `${stage('download')} (into a temporary file, hashed), check ${stage('inspect')} (the file's header read and judged in a ` +
        `worker, the first round starting the ${inFlight} workers; dedup), upload ${stage('upload')} (the base64 ` +
        `body): ${ms(stageSum)} a round, ${ms(rounds * stageSum)} for ${rounds} rounds of the batch’s ` +
        `${ms(batchWall)}; the rest is Discord’s side (deferrals, progress edits, the final replies).`,
      `- What bounds the batch: while it ran, the machine’s ${cpus().length} cores were ` +
        `${percent(median(asStarted.map((r) => r.machineBusy)))} busy (median of the runs as started), the bot’s ` +
        `process using ${ms(botCpu)} of CPU (every thread) and the harness’s ` +
        'stand-ins for Discord, the CDN and DMXAPI, with the kernel’s loopback networking, the rest. The bot does ' +
        `work to each file that the floor does not, measured here on one core for this ${mb(wav.length)} file: ` +
        `sha256 ${ms(work.sha256Ms)} (the dedup key, taken as the download arrives) and base64 ` +
        `${ms(work.base64Ms)} (the documented JSON body), ${ms(UPLOADS * (work.sha256Ms + work.base64Ms))} for the ` +
        `${UPLOADS} files, besides writing each to a temporary file and reading it back to send. On cores this busy, ` +
        'that work adds to the batch’s wall time whatever the order the uploads run in: the bot’s CPU alone, ' +
        `spread perfectly over the ${cpus().length} cores with nothing else running, would take ` +
        `${ms(botCpu / cpus().length)}, ${times(botCpu / cpus().length / floorAll)} the floor’s batch.`,
      '',
      '| start command | idle RSS | peak over idle | per upload in flight | batch wall | failed |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      ...memoryBreakdown(sampled, inFlight, wav.length),
      ...(await workerCost(inFlight, wav.length, median(asStarted.map(perUpload)))),
    ],
  };
}

const WORKER_COST_RUNS = 3;

/** What the pool's workers hold once started, measured alone in fresh processes (bench/worker-cost.ts). */
async function workerCost(inFlight: number, fileBytes: number, botPerUpload: number): Promise<string[]> {
  const start = startCommand();
  const costs: WorkerCost[] = [];
  for (let run = 0; run < WORKER_COST_RUNS; run++) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...start.nodeArgs, '--expose-gc', 'bench/worker-cost.ts'],
      { env: { ...process.env, ...start.env } },
    );
    costs.push(JSON.parse(stdout) as WorkerCost);
  }
  const workers = costs[0]?.workers ?? inFlight;
  const held = median(costs.map((c) => c.after - c.before));
  const peak = median(costs.map((c) => c.peak - c.before));
  const share = held / inFlight / fileBytes;
  return [
    `The audio workers, measured alone (a fresh process with the start command’s flags, the pool’s ${workers} ` +
      `workers each started by inspecting a small WAV; median of ${WORKER_COST_RUNS}): they hold ${mb(held)} ` +
      `once started (${mb(held / workers)} each; ${mb(peak)} at the peak while starting), ${times(share)} the file ` +
      `per upload in flight, of the ${times(botPerUpload)} above. They start with a batch’s first uploads and exit ` +
      'after 30 s without work, so the idle figure does not hold them but a batch’s peak does. The default stays ' +
      `one per upload in flight (\`INSPECT_WORKERS\` = \`MAX_CONCURRENT_UPLOADS\`, ${inFlight}) because the ` +
      'workers also convert audio, and fewer would make uploads wait for each other’s conversion; the ' +
      '`INSPECT_WORKERS=1` row shows a run with one, which an operator short of memory may choose.',
    '',
  ];
}

/** Where the peak goes: the main thread's heap and buffers, and what RSS holds beyond them. */
function memoryBreakdown(run: BotRun, inFlight: number, fileBytes: number): string[] {
  const samples = run.samples;
  if (!samples) return [];
  const { idle, peak } = samples;
  const rssGrowth = peak.rss - idle.rss;
  const heap = peak.heapTotal - idle.heapTotal;
  const buffers = peak.arrayBuffers - idle.arrayBuffers;
  const rest = rssGrowth - heap - buffers;
  return [
    `Where the peak goes (one more run as started, the main thread sampled every 5 ms; at its highest RSS, ` +
      `${mb(rssGrowth)} over the start of the batch, ${times(rssGrowth / inFlight / fileBytes)} the file per upload in flight):`,
    '',
    '| part | at the peak, over idle | per upload in flight |',
    '| --- | --- | --- |',
    `| main thread: Buffers and ArrayBuffers (network chunks and upload body pieces not yet collected) | ${mb(buffers)} | ${times(buffers / inFlight / fileBytes)} file |`,
    `| main thread: V8 heap (strings of the base64 body, discord.js, garbage not yet collected) | ${mb(heap)} | ${times(heap / inFlight / fileBytes)} file |`,
    `| the rest: the audio worker threads started on demand (their isolates, modules, heaps; see below), native memory, the allocator | ${mb(rest)} | ${times(rest / inFlight / fileBytes)} file |`,
    '',
  ];
}
