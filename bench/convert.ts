/**
 * `npm run bench` section: conversion (issue 12). A 60 s and a 300 s Discord voice message (Ogg Opus,
 * 48 kHz mono, 32 kbit/s) and a 60 s FLAC, made here with espeak-ng and ffmpeg, converted through the
 * bot's real path (prepareAudio, the AudioWorkerPool, the WASM decoders) in a process of their own
 * (bench/convert-worker.ts); then the running bot converting four five-minute voice messages at once
 * while `/uploads` interactions arrive, to see how fast those are acknowledged meanwhile.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ApplicationCommandOptionType } from 'discord.js';
import type { DispatchedInteraction, EditBody } from '../test/support/discord-stand-in/index.ts';
import { SUCCESS_COLOR } from '../test/support/upload-flow.ts';
import { startBenchBot } from './bench-bot.ts';
import type { ConvertResult, ConvertRound } from './convert-worker.ts';
import { isFinal } from './running-bot.ts';
import { startCommand } from './start-command.ts';
import { mb, median, ms, procStatus, spread } from './stats.ts';

const run = promisify(execFile);
const AT_ONCE = 4;
const WARM_RUNS = 3;
const PROBE_EVERY_MS = 100;
const SPEECH =
  'Voice samples for cloning should be clear recordings of one person speaking naturally. This is a ' +
  'generated sentence for the benchmark, read by a speech synthesiser, so that the conversion has ' +
  'speech to work on rather than a tone. The quick brown fox jumps over the lazy dog.';

interface Input {
  readonly label: string;
  readonly file: string;
  /** How it was made, from speech.wav (espeak-ng), as the report shows it. */
  readonly ffmpegArgs: readonly string[];
}

// Opus frames are 20 ms and ffmpeg rounds `-t` up to a whole frame: 299.98 s stays within 5 minutes.
const VOICE = ['-ar', '48000', '-ac', '1', '-c:a', 'libopus', '-b:a', '32k', '-application', 'voip'];
const INPUTS: readonly Input[] = [
  { label: '60 s voice message', file: 'voice-60.ogg', ffmpegArgs: ['-t', '59.98', ...VOICE] },
  { label: '300 s voice message', file: 'voice-300.ogg', ffmpegArgs: ['-t', '299.98', ...VOICE] },
  {
    label: '60 s FLAC, 44.1 kHz stereo',
    file: 'flac-60.flac',
    ffmpegArgs: ['-t', '60', '-ar', '44100', '-ac', '2', '-c:a', 'flac'],
  },
];

async function makeInputs(dir: string): Promise<void> {
  await run('espeak-ng', ['-w', join(dir, 'speech.wav'), SPEECH]);
  for (const input of INPUTS) {
    await run('ffmpeg', [
      ...['-v', 'error', '-y', '-stream_loop', '-1', '-i', join(dir, 'speech.wav')],
      ...input.ffmpegArgs,
      join(dir, input.file),
    ]);
  }
}

/**
 * The same voice message AT_ONCE times with a different comment tag (remuxed, not re-encoded): the
 * same bytes twice in flight would be converted and uploaded once, the second waiting for the first.
 */
async function distinctCopies(dir: string, file: string): Promise<Buffer[]> {
  const copies: Buffer[] = [];
  for (let index = 0; index < AT_ONCE; index++) {
    const copy = join(dir, `copy-${index}-${file}`);
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      join(dir, file),
      '-c',
      'copy',
      '-metadata',
      `comment=${index}`,
      copy,
    ]);
    copies.push(await readFile(copy));
  }
  return copies;
}

async function convertInChild(path: string): Promise<ConvertResult> {
  const start = startCommand();
  const { stdout } = await run(
    process.execPath,
    [...start.nodeArgs, '--expose-gc', 'bench/convert-worker.ts', path, String(AT_ONCE), String(WARM_RUNS)],
    { env: { ...process.env, ...start.env }, maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout) as ConvertResult;
}

interface AckFigures {
  readonly probeAcks: number[];
  readonly uploadAcks: number[];
  readonly endToEnd: number[];
  readonly peakOverIdle: number;
  readonly failed: number;
}

/** The bot as started, four five-minute voice messages at once, and `/uploads` every 100 ms meanwhile. */
async function acksWhileConverting(voices: readonly Buffer[], sinkUrl: string): Promise<AckFigures> {
  const start = startCommand();
  const { discord, pid, idleRss, stop } = await startBenchBot(start, sinkUrl);
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    const uploads = voices.map((voice, index) => {
      const url = discord.serveAttachment(`voice-${index}.ogg`, voice);
      return discord.dispatchChatInputCommand({
        name: 'upload',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'purpose', value: 'voice_clone' },
          { type: ApplicationCommandOptionType.Boolean, name: 'force', value: true },
        ],
        attachments: [{ filename: `voice-${index}.ogg`, size: voice.length, url, optionName: 'audio' }],
      });
    });
    let done = false;
    const finals = Promise.all(uploads.map((u) => u.waitForEdit(isFinal, 120_000))).finally(
      () => (done = true),
    );
    const probes: DispatchedInteraction[] = [];
    while (!done) {
      probes.push(discord.dispatchChatInputCommand({ name: 'uploads' }));
      await sleep(PROBE_EVERY_MS);
    }
    const ended = await finals;
    const peak = await procStatus(pid, 'VmHWM');
    const ack = async (i: DispatchedInteraction): Promise<number> =>
      (await i.callback(10_000)).at - i.dispatchedAt;
    return {
      probeAcks: await Promise.all(probes.map(ack)),
      uploadAcks: await Promise.all(uploads.map(ack)),
      endToEnd: ended.map((f, i) => f.at - (uploads[i]?.dispatchedAt ?? 0)),
      peakOverIdle: peak - idleRss,
      failed: ended.filter((f) => (f.body as EditBody).embeds?.[0]?.color !== SUCCESS_COLOR).length,
    };
  } finally {
    await stop();
  }
}

export interface ConvertFigures {
  readonly lines: string[];
  /** Median warm wall time of the 300 s voice message, in ms. */
  readonly fiveMinuteMs: number;
  /** Worst peak per conversion over (2 × output + 40 MB), over every input and way of running. */
  readonly worstMemoryRatio: number;
  readonly maxProbeAckMs: number;
}

export async function benchConvert(
  sinkUrl: string,
  log: (line: string) => void = console.log,
): Promise<ConvertFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-convert-'));
  try {
    await makeInputs(dir);
    const loadAtStart = loadavg()[0] ?? 0;
    const rows: string[] = [];
    let fiveMinuteMs = NaN;
    let worstMemoryRatio = 0;
    for (const input of INPUTS) {
      const result = await convertInChild(join(dir, input.file));
      const budget = 2 * result.outputBytes + 40e6;
      const perConversion = (round: ConvertRound, count: number): string => {
        const each = round.peakOverIdle / count;
        worstMemoryRatio = Math.max(worstMemoryRatio, each / budget);
        return mb(each);
      };
      const warmMs = median(result.warm.flatMap((r) => r.wallMs));
      if (input.file === 'voice-300.ogg') fiveMinuteMs = warmMs;
      log(
        `convert ${input.label}: warm ${ms(warmMs)}, first ${ms(result.cold.wallMs[0] ?? NaN)}, ` +
          `${AT_ONCE} at once ${ms(median(result.together.wallMs))}`,
      );
      rows.push(
        `| ${input.label} (${(result.inputBytes / 1e6).toFixed(2)} MB) | ${result.from} → WAV ${result.sampleRate / 1000} kHz mono, ` +
          `${result.durationSeconds.toFixed(2)} s, ${(result.outputBytes / 1e6).toFixed(1)} MB | ` +
          `${spread(result.warm.flatMap((r) => r.wallMs))} | ${ms(result.cold.wallMs[0] ?? NaN)} | ` +
          `${spread(result.together.wallMs)} | ` +
          `${mb(median(result.warm.map((r) => r.peakOverIdle)))} | ${perConversion(result.cold, 1)} | ` +
          `${perConversion(result.together, AT_ONCE)} | ${mb(budget)} | ` +
          `${ms(Math.max(...result.warm.map((r) => r.maxLoopDelayMs), result.together.maxLoopDelayMs))} |`,
      );
      for (const round of result.warm) perConversion(round, 1);
    }
    log(`convert: the bot converting ${AT_ONCE} five-minute voice messages while /uploads arrives…`);
    const acks = await acksWhileConverting(await distinctCopies(dir, 'voice-300.ogg'), sinkUrl);
    const workers = startCommand();
    return {
      fiveMinuteMs,
      worstMemoryRatio,
      maxProbeAckMs: Math.max(...acks.probeAcks),
      lines: [
        '## Conversion',
        '',
        'Speech from espeak-ng, looped by ffmpeg to each length: the voice messages as Discord records them ' +
          `(\`ffmpeg … ${VOICE.join(' ')}\`), the FLAC as an editor exports it. Each file is converted by the ` +
          'bot’s own path (`prepareAudio`, the audio worker pool at its default size, the WASM decoders) in a ' +
          `process of its own started with \`${workers.text}\`’s flags: first in a fresh worker (it starts, ` +
          `loads its modules and the decoder), then ${WARM_RUNS} times in that warm worker, then ${AT_ONCE} at once ` +
          'on warm workers. Memory is the peak RSS over the RSS just before, per conversion; the budget is ' +
          '2 × the output file + 40 MB. Loop delay is the main thread’s longest event-loop delay meanwhile. ' +
          `The one-minute load average was ${loadAtStart.toFixed(1)} when this section started and ` +
          `${(loadavg()[0] ?? 0).toFixed(1)} when it ended, on ${cpus().length} cores.`,
        '',
        `| input | output | warm, one at a time | first (worker starts) | ${AT_ONCE} at once, each | peak, warm | peak, first | peak, ${AT_ONCE} at once, each | budget | loop delay |`,
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        ...rows,
        '',
        `The running bot, started as \`npm start\` starts it, took ${AT_ONCE} \`/upload\`s of the five-minute voice ` +
          `message at the same instant and, until their results, a \`/uploads\` every ${PROBE_EVERY_MS} ms ` +
          `(${acks.probeAcks.length} of them):`,
        '',
        `- \`/uploads\` acknowledged meanwhile (sent → deferral received): median ${ms(median(acks.probeAcks))}, ` +
          `max ${ms(Math.max(...acks.probeAcks))}.`,
        `- The ${AT_ONCE} uploads: acknowledged in ${spread(acks.uploadAcks)}, final reply after ${spread(acks.endToEnd)}` +
          `${acks.failed > 0 ? `, ${acks.failed} of them not a success` : ''}; the bot’s peak RSS over idle ` +
          `${mb(acks.peakOverIdle)} (${mb(acks.peakOverIdle / AT_ONCE)} per upload, its worker’s start included).`,
        '',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
