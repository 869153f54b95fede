/**
 * `npm run bench`: where the time and memory of an upload go, against two references, on this machine.
 * Everything runs on 127.0.0.1; no network and no credentials. Prints its tables; `--write` also
 * writes them to BENCHMARKS.md. Every figure in the report comes from this run.
 *
 * Sections live in their own files and return their Markdown lines: pipeline.ts (the pipeline alone
 * against naive and floor), running-bot.ts (the bot as npm start starts it), idle-parts.ts (idle
 * memory part by part), convert.ts (conversion of voice messages and FLAC), hostile-inspection.ts (the
 * event loop while hostile files are inspected).
 */
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config.ts';
import { uploadRequestBody } from '../src/dmxapi/request-body.ts';
import { makeWav } from '../test/support/audio.ts';
import { benchConvert } from './convert.ts';
import { benchHostileInspection } from './hostile-inspection.ts';
import { benchIdleParts } from './idle-parts.ts';
import { benchPipeline, CONCURRENCY_RUNS } from './pipeline.ts';
import { benchRunningBot } from './running-bot.ts';
import { MB, mb, ms, times } from './stats.ts';

const FILE_BYTES = 19_000_000;
// 44.1 kHz stereo: 19 MB is 108 s of audio, inside voice_clone's 10 s to 5 min.
const wav = makeWav(FILE_BYTES / (44_100 * 2 * 2), { sampleRate: 44_100, channels: 2 });
const bodyBytes = uploadRequestBody('minimax-clone-upload', 'voice_clone', wav).length;
const defaults = parseConfig({ DISCORD_TOKEN: 'bench', DMXAPI_API_KEY: 'sk-bench' });

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

const benchStarted = performance.now();
const loadAtStart = loadavg()[0] ?? 0;
const cdnUrl = await listen(cdn);
const sinkUrl = await listen(sink);
console.log(
  `file: ${(wav.length / MB).toFixed(1)} MB WAV; our request body ${(bodyBytes / MB).toFixed(1)} MB`,
);

const pipeline = await benchPipeline({ cdnUrl, sinkUrl, fileBytes: wav.length, bodyBytes });
console.log(
  'bot: 12 uploads at the same instant through the Discord stand-in, with and without each setting…',
);
const bot = await benchRunningBot({
  sinkUrl,
  wav,
  maxConcurrentUploads: defaults.maxConcurrentUploads,
  floorBatchWallMs: pipeline.floorBatchWallMs,
});
cdn.close();
console.log('conversion: voice messages and FLAC, alone, 4 at once, and in the running bot…');
const convert = await benchConvert(sinkUrl);
sink.close();
console.log('idle memory, part by part…');
const idle = await benchIdleParts(bot.idleRss);
console.log('hostile files: the event loop while each is inspected, before and after the worker pool…');
const hostileInspectionLines = await benchHostileInspection();
const loadAtEnd = loadavg()[0] ?? 0;

const targets: (readonly [string, string, boolean])[] = [
  ['Running bot: memory per upload in flight ≤ 1.5 × file', times(bot.perUpload), bot.perUpload <= 1.5],
  [
    'Running bot: 12 uploads’ batch ≤ 1.2 × the transfer floor’s',
    times(bot.batchOverFloor),
    bot.batchOverFloor <= 1.2,
  ],
  ['Running bot: idle RSS at READY ≤ 110 MB', mb(bot.idleRss), bot.idleRss <= 110 * MB],
  [
    'Pipeline alone, 12 at once: batch ≤ 1.2 × the floor’s',
    times(pipeline.batchOverFloor12),
    pipeline.batchOverFloor12 <= 1.2,
  ],
  [
    'Pipeline alone, 12 at once: memory per upload in flight ≤ 1.5 × file',
    times(pipeline.perUpload12),
    pipeline.perUpload12 <= 1.5,
  ],
  [
    'Every one of 12 simultaneous interactions acknowledged within Discord’s 3 s',
    `max ${ms(bot.maxAckMs)}`,
    bot.maxAckMs <= 3000,
  ],
  [
    'A five-minute voice message converted in ≤ 1.5 s (warm worker)',
    ms(convert.fiveMinuteMs),
    convert.fiveMinuteMs <= 1500,
  ],
  [
    'Peak memory per conversion ≤ 2 × the output file + 40 MB (worst case of the table)',
    `${times(convert.worstMemoryRatio)} the budget`,
    convert.worstMemoryRatio <= 1,
  ],
  [
    'Interactions acknowledged within Discord’s 3 s while 4 conversions run',
    `max ${ms(convert.maxProbeAckMs)}`,
    convert.maxProbeAckMs <= 3000,
  ],
];

const lines: string[] = [
  '# Benchmarks',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ` +
    `${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}. ` +
    `The whole run took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s. The one-minute load average ` +
    `was ${loadAtStart.toFixed(1)} at the start and ${loadAtEnd.toFixed(1)} at the end on ${cpus().length} cores: ` +
    'where it is above the core count, other work shared the machine and times are noisy, which is why ' +
    'figures are medians of several runs with their range, and ratios compare runs made back to back.',
  '',
  '## Targets',
  '',
  '| target | measured | met |',
  '| --- | --- | --- |',
  ...targets.map(([target, measured, met]) => `| ${target} | ${measured} | ${met ? 'yes' : 'no'} |`),
  '',
  '## What is measured',
  '',
  `One ${(wav.length / MB).toFixed(1)} MB WAV (44.1 kHz stereo, ${(wav.length / 176_400).toFixed(0)} s), uploaded 1, 4 and 12 at once. ` +
    'Each run is a fresh process, started with the bot’s own node flags and environment, that downloads the ' +
    'file from a local CDN and uploads it to a local DMXAPI stand-in that reads every byte of the body. Both ' +
    'servers run in the harness process, so they are not part of the measured process. Memory is the kernel’s ' +
    'peak resident set (`VmHWM`, reset through `/proc/self/clear_refs` after a warm-up round that also starts the audio workers the batch will use) minus the idle ' +
    'RSS just before the uploads.',
  '',
  '- **ours**: the bot’s pipeline (`UploadPipeline`): download into a temporary file (hashed as it arrives), ' +
    'inspect it in a worker thread that reads what it needs from the file (a WAV up to its samples) ' +
    `(\`INSPECT_WORKERS\` at its default, ${defaults.inspection.workers}), stream the JSON body (base64 in small chunks).`,
  '- **naive**: what the service’s documented example does: whole file, `toString("base64")`, ' +
    '`JSON.stringify`, send the string. No inspection.',
  '- **floor**: the same download, then the same number of body bytes as ours, prebuilt before the clock ' +
    'starts: transfer with no encoding at all.',
  '',
  'Times are the median, with the minimum and maximum in brackets, over every upload of every run ' +
    `(runs: ${CONCURRENCY_RUNS.map(([c, r]) => `${r} at ${c} at once`).join(', ')}).`,
  '',
  ...pipeline.lines,
  ...bot.lines,
  ...idle.lines,
  ...convert.lines,
  ...hostileInspectionLines,
  '## Reproduce',
  '',
  '```sh',
  'npm ci',
  'npm run bench              # prints the tables (several minutes)',
  'npm run bench -- --write   # and rewrites BENCHMARKS.md',
  '```',
  '',
];

const report = lines.join('\n');
console.log(`\n${report}`);
// The tracked BENCHMARKS.md changes only when asked, so an exploratory run leaves the tree clean.
if (process.argv.includes('--write')) {
  await writeFile('BENCHMARKS.md', report);
  console.log('Wrote BENCHMARKS.md.');
}
