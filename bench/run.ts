/**
 * `npm run bench`: where the time and memory of an upload go, against two references, on this machine.
 * Everything runs on 127.0.0.1; no network and no credentials. Prints its tables; `--write` also
 * writes them to BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { ApplicationCommandOptionType } from 'discord.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { uploadRequestBody } from '../src/dmxapi/request-body.ts';
import { makeWav } from '../test/support/audio.ts';
import { DiscordStandIn } from '../test/support/discord-stand-in/index.ts';
import { benchHostileInspection } from './hostile-inspection.ts';
import type { Mode, WorkerResult } from './worker.ts';

const FILE_BYTES = 19_000_000;
const CONCURRENCY_RUNS: readonly [number, number][] = [
  [1, 7],
  [4, 5],
  [12, 3],
];
const MODES: readonly Mode[] = ['ours', 'naive', 'floor'];
const MB = 1_000_000;

// 44.1 kHz stereo: 19 MB is 108 s of audio, inside voice_clone's 10 s to 5 min.
const wav = makeWav(FILE_BYTES / (44_100 * 2 * 2), { sampleRate: 44_100, channels: 2 });
const ourBodyBytes = uploadRequestBody('minimax-clone-upload', 'voice_clone', wav).length;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

/** A DMXAPI stand-in that reads every byte of the body, as the real one must, then answers success. */
let nextFileId = 365865350209649;
const sink = createServer((request, response) => {
  let bytes = 0;
  request.on('data', (chunk: Buffer) => (bytes += chunk.length));
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      `{"file":{"file_id":${nextFileId++},"bytes":${bytes},"created_at":1770876014,"filename":"audio.wav","purpose":"voice_clone"},"base_resp":{"status_code":0,"status_msg":"success"},"usage":{"total_tokens":1,"input_tokens":0,"output_tokens":1}}`,
    );
  });
});
const cdn = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'audio/wav', 'content-length': wav.length });
  response.end(wav);
});

function runWorker(mode: Mode, concurrency: number, cdnUrl: string, sinkUrl: string): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--experimental-strip-types',
        '--expose-gc',
        'bench/worker.ts',
        mode,
        String(concurrency),
        `${cdnUrl}/bench.wav`,
        sinkUrl,
        String(ourBodyBytes),
        String(wav.length),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as WorkerResult)
        : reject(new Error(`${mode} worker exited ${code}`)),
    );
  });
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (position - low);
}
const median = (values: readonly number[]): number => quantile(values, 0.5);
const ms = (value: number): string => `${value.toFixed(0)} ms`;
const spread = (values: readonly number[]): string =>
  `${ms(median(values))} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;

interface Summary {
  readonly mode: Mode;
  readonly concurrency: number;
  readonly stages: Record<string, number[]>;
  readonly totals: number[];
  readonly walls: number[];
  readonly overIdle: number[];
}

function summarise(mode: Mode, concurrency: number, results: readonly WorkerResult[]): Summary {
  const stages: Record<string, number[]> = {};
  for (const upload of results.flatMap((r) => r.uploads)) {
    for (const [stage, value] of Object.entries(upload.stages)) (stages[stage] ??= []).push(value);
  }
  return {
    mode,
    concurrency,
    stages,
    totals: results.flatMap((r) => r.uploads.map((u) => u.totalMs)),
    walls: results.map((r) => r.wallMs),
    overIdle: results.map((r) => r.peakRssBytes - r.idleRssBytes),
  };
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then(
    (text) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1]) * 1024,
  );
}

interface BotFigures {
  readonly idleRss: number;
  readonly peakOverIdle: number;
  readonly ackLatencies: number[];
  readonly endToEnd: number[];
}

/** The real bot, started as `npm start` starts it, taking 12 uploads of the file at the same instant. */
async function measureBot(sinkUrl: string): Promise<BotFigures> {
  const discord = await DiscordStandIn.start({ token: 'bench-token' });
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-bot-'));
  const bot = spawn(process.execPath, ['src/main.ts'], {
    env: {
      PATH: process.env.PATH,
      DISCORD_TOKEN: 'bench-token',
      DMXAPI_API_KEY: 'sk-bench',
      DISCORD_API_URL: discord.apiUrl,
      DMXAPI_BASE_URL: sinkUrl,
      DISCORD_CDN_HOSTS: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Twelve uploads of one file by one member: measure the uploads, not the refusals.
      USER_COOLDOWN_SECONDS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => bot.once('exit', resolve));
  try {
    const pid = bot.pid ?? 0;
    await discord.waitForIdentify(30_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRss = await procStatus(pid, 'VmRSS');
    await writeFile(`/proc/${pid}/clear_refs`, '5');

    const url = discord.serveAttachment('bench.wav', wav);
    const interactions = Array.from({ length: 12 }, () =>
      discord.dispatchChatInputCommand({
        name: 'upload',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'purpose', value: 'voice_clone' },
          { type: ApplicationCommandOptionType.Boolean, name: 'force', value: true },
        ],
        attachments: [{ filename: 'bench.wav', size: wav.length, url, optionName: 'audio' }],
      }),
    );
    const callbacks = await Promise.all(interactions.map((i) => i.callback(10_000)));
    const finals = await Promise.all(
      interactions.map((i) =>
        i.waitForEdit((body) => body.embeds?.[0]?.title === 'Voice sample uploaded', 300_000),
      ),
    );
    const peak = await procStatus(pid, 'VmHWM');
    return {
      idleRss,
      peakOverIdle: peak - idleRss,
      ackLatencies: callbacks.map((c, i) => c.at - (interactions[i]?.dispatchedAt ?? 0)),
      endToEnd: finals.map((f, i) => f.at - (interactions[i]?.dispatchedAt ?? 0)),
    };
  } finally {
    bot.kill('SIGTERM');
    await exited;
    await discord.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const benchStarted = performance.now();
const cdnUrl = await listen(cdn);
const sinkUrl = await listen(sink);
console.log(
  `file: ${(wav.length / MB).toFixed(1)} MB WAV; our request body ${(ourBodyBytes / MB).toFixed(1)} MB`,
);

const summaries: Summary[] = [];
for (const [concurrency, runs] of CONCURRENCY_RUNS) {
  for (const mode of MODES) {
    const results: WorkerResult[] = [];
    for (let run = 0; run < runs; run++) results.push(await runWorker(mode, concurrency, cdnUrl, sinkUrl));
    const summary = summarise(mode, concurrency, results);
    summaries.push(summary);
    console.log(
      `${String(concurrency).padStart(2)} at once  ${mode.padEnd(5)}  end to end ${spread(summary.totals)}  ` +
        `peak RSS over idle ${(median(summary.overIdle) / MB).toFixed(0)} MB`,
    );
  }
}
console.log('bot: 12 uploads at the same instant through the Discord stand-in…');
const botFigures = await measureBot(sinkUrl);
cdn.close();
sink.close();
console.log('hostile files: the event loop while each is inspected, before and after the worker pool…');
const hostileInspectionLines = await benchHostileInspection();

const find = (mode: Mode, concurrency: number): Summary => {
  const found = summaries.find((s) => s.mode === mode && s.concurrency === concurrency);
  if (!found) throw new Error(`no summary for ${mode} × ${concurrency}`);
  return found;
};
const perUpload = (s: Summary): number => median(s.overIdle) / s.concurrency / wav.length;

const lines: string[] = [];
lines.push('# Benchmarks', '');
lines.push(
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ` +
    `${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}. ` +
    `The whole run took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s.`,
  '',
);
lines.push('## What is measured', '');
lines.push(
  `One ${(wav.length / MB).toFixed(1)} MB WAV (44.1 kHz stereo, ${(wav.length / 176_400).toFixed(0)} s), uploaded 1, 4 and 12 at once. ` +
    'Each run is a fresh process that downloads the file from a local CDN and uploads it to a local DMXAPI ' +
    'stand-in that reads every byte of the body. Both servers run in the harness process, so they are not part ' +
    'of the measured process. Memory is the kernel’s peak resident set (`VmHWM`, reset through ' +
    '`/proc/self/clear_refs` after a warm-up upload) minus the idle RSS just before the uploads.',
  '',
  '- **ours**: the bot’s pipeline (`UploadPipeline`): download into one buffer, inspect with music-metadata, ' +
    'stream the JSON body (prefix, base64 in 192 KiB chunks, suffix).',
  '- **naive**: what the service’s documented example does: whole file, `toString("base64")`, ' +
    '`JSON.stringify`, send the string. No inspection.',
  '- **floor**: the same download, then the same number of body bytes as ours, prebuilt before the clock ' +
    'starts: transfer with no encoding at all.',
  '',
  'Times are the median, with the minimum and maximum in brackets, over every upload of every run ' +
    `(runs: ${CONCURRENCY_RUNS.map(([c, r]) => `${r} at ${c} at once`).join(', ')}).`,
  '',
);
for (const [concurrency] of CONCURRENCY_RUNS) {
  lines.push(`## ${concurrency} at once`, '');
  lines.push(
    '| | download | inspect / encode | upload | end to end | batch wall | throughput | peak RSS over idle | per upload in flight |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const mode of MODES) {
    const s = find(mode, concurrency);
    const middle = s.stages.inspect ?? s.stages.encode;
    lines.push(
      `| ${mode} | ${spread(s.stages.download ?? [])} | ${middle ? spread(middle) : '—'} | ${spread(s.stages.upload ?? [])} | ` +
        `${spread(s.totals)} | ${ms(median(s.walls))} | ${((concurrency * wav.length) / MB / (median(s.walls) / 1000)).toFixed(0)} MB/s | ` +
        `${(median(s.overIdle) / MB).toFixed(0)} MB | ${mode === 'floor' ? '— (body prebuilt)' : `${perUpload(s).toFixed(2)} × file`} |`,
    );
  }
  const ours = find('ours', concurrency);
  const naive = find('naive', concurrency);
  const floor = find('floor', concurrency);
  lines.push(
    '',
    `Ours over naive: time ${(median(ours.totals) / median(naive.totals)).toFixed(2)}×, memory ${(median(ours.overIdle) / median(naive.overIdle)).toFixed(2)}×. ` +
      `Ours over floor: time ${(median(ours.totals) / median(floor.totals)).toFixed(2)}×.`,
    '',
  );
}
const sortedAcks = [...botFigures.ackLatencies].sort((a, b) => a - b);
lines.push('## The running bot', '');
lines.push(
  'The bot started as `npm start` starts it (`MAX_CONCURRENT_UPLOADS` at its default, 4), logged in to the ' +
    'Discord stand-in from the tests, then sent 12 `/upload` interactions of the file at the same instant.',
  '',
  `- Idle RSS, connected: ${(botFigures.idleRss / MB).toFixed(0)} MB.`,
  `- Acknowledgement (interaction sent → deferral received): median ${ms(median(sortedAcks))}, max ${ms(Math.max(...sortedAcks))}.`,
  `- Interaction sent → final reply with the file_id: median ${ms(median(botFigures.endToEnd))}, max ${ms(Math.max(...botFigures.endToEnd))}.`,
  `- Peak RSS over idle during the 12 uploads: ${(botFigures.peakOverIdle / MB).toFixed(0)} MB ` +
    `(${(botFigures.peakOverIdle / 4 / wav.length).toFixed(2)} × file per upload in flight, 4 in flight).`,
  '',
);
lines.push(...hostileInspectionLines);
const oursOne = find('ours', 1);
const targets = [
  [
    'Memory per upload in flight ≤ 1.5 × file (12 at once)',
    `${perUpload(find('ours', 12)).toFixed(2)} ×`,
    perUpload(find('ours', 12)) <= 1.5,
  ],
  [
    'End to end ≤ 1.5 × floor (1 upload)',
    `${(median(oursOne.totals) / median(find('floor', 1).totals)).toFixed(2)} ×`,
    median(oursOne.totals) / median(find('floor', 1).totals) <= 1.5,
  ],
  [
    'Every one of 12 simultaneous interactions acknowledged within 100 ms',
    `max ${ms(Math.max(...sortedAcks))}`,
    Math.max(...sortedAcks) <= 100,
  ],
] as const;
lines.push('## Targets', '', '| target | measured | met |', '| --- | --- | --- |');
for (const [target, measured, met] of targets)
  lines.push(`| ${target} | ${measured} | ${met ? 'yes' : 'no'} |`);
lines.push(
  '',
  '## Where the time and memory went, and what was changed',
  '',
  '- **Download buffer.** The first version grew its buffer from 64 KiB by doubling when no size was known: ' +
    'copies, and a 32 MiB allocation for a 19 MB file (2.45 × file at one upload). The buffer is now sized once ' +
    'from the size Discord declares, or else Content-Length (both only as a hint; the limit is checked on the ' +
    'bytes received): 1.0 × file at one upload.',
  '- **Base64 chunks.** Each 256 KiB base64 string landed in V8’s large-object space, which only a full GC ' +
    'frees; 64 KiB chunks die young in new space. The running bot’s peak fell from 310 MB to about 215 MB over idle.',
  '- **Finished downloads.** A 19 MB download outlives several scavenges, so it is promoted and waits for a full ' +
    'GC. The pipeline now frees it the moment its upload ends (`ArrayBuffer.prototype.transfer(0)` on a buffer ' +
    'that is never a slice of Node’s shared pool).',
  '- **What is left in the running bot.** Its peak over idle varies from run to run (179 MB to 273 MB for the ' +
    'same 12 uploads, 4 in flight), more than the 4 × 19 MB the uploads hold. `node --trace-gc` shows old space ' +
    'climbing to about 87 MB of short-lived garbage (network chunks and base64 strings) between full GCs: V8 ' +
    'collects lazily while memory is plentiful. It is garbage awaiting collection, not memory held per upload; the ' +
    'worker figures above, which isolate the pipeline, are the held-memory measure. Capping V8’s heap ' +
    '(`--max-old-space-size`) would trade it for more GC time; that is left to whoever sizes the container.',
  '- **The remaining time over the floor** at one upload, which puts that target between 1.3× and 1.9× ' +
    'from run to run (the floor is 50–60 ms on loopback, so a few ms of noise count). Three costs the floor ' +
    'does not pay, each on purpose: about 20 ms of base64 encoding for 19 MB; about 11 ms of sha256, so the ' +
    'same file is never paid for twice (hashed chunk by chunk during the download, which overlaps a real ' +
    'network’s waits but not loopback’s); and about 13 ms of page faults, because each finished download is ' +
    'freed at once and the next starts in fresh pages (the same download alternated in one process: 24.6 ms ' +
    'without the release, 37.7 ms with it). Against the real DMXAPI an upload takes seconds, so these ' +
    'milliseconds buy deduplication and memory back for little. At 4 and 12 at once the gap is 1.0× to 1.5×.',
);
lines.push(
  '',
  '## Reproduce',
  '',
  '```sh',
  'npm ci',
  'npm run bench -- --write   # a few minutes; rewrites BENCHMARKS.md',
  '```',
  '',
);
lines.push(
  'Figures move with the machine and its load; compare the ratios, which come from the same run on the same machine.',
  '',
);

const report = lines.join('\n');
console.log(`\n${report}`);
// The tracked BENCHMARKS.md changes only when asked, so an exploratory run leaves the tree clean.
if (process.argv.includes('--write')) {
  await writeFile('BENCHMARKS.md', report);
  console.log('Wrote BENCHMARKS.md.');
}
