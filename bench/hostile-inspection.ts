/**
 * `npm run bench` section: the event loop while a hostile file is inspected, before and after the
 * worker pool. Self-contained: returns its Markdown lines, and can run alone:
 *
 *   node --experimental-strip-types bench/hostile-inspection.ts
 *
 * "Before" is what inspection did until the pool existed: music-metadata's parseBuffer on the main
 * thread, no limits. "After" is the bot's path: AudioWorkerPool.run({ kind: 'inspect' }) with the
 * production time limit (INSPECT_TIMEOUT_MS default, 5000 ms).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseBuffer } from 'music-metadata';
import { AudioWorkerPool } from '../src/pipeline/audio-pool.ts';
import { STRUCTURE_LIMITS } from '../src/pipeline/structure-limits.ts';
import {
  mp3WithId3Frames,
  mp4WithTagItems,
  nestedMp4Boxes,
  wavWithListEntries,
} from '../test/support/hostile-audio.ts';
import { tempDir } from '../test/support/temp-dir.ts';

interface Figures {
  /** Longest the event loop was held, in ms (monitorEventLoopDelay, 1 ms resolution). */
  readonly maxDelayMs: number;
  readonly p99DelayMs: number;
  /** Time until the file was accepted or refused. */
  readonly answerMs: number;
  readonly outcome: string;
}

const FILES: readonly (readonly [string, () => Buffer])[] = [
  ['MP4 boxes nested 100,000 deep (0.8 MB)', () => nestedMp4Boxes(100_000)],
  ['MP3 with 100,000 ID3 frames (1.1 MB)', () => mp3WithId3Frames(100_000)],
  ['WAV with 100,000 LIST entries (1.0 MB)', () => wavWithListEntries(100_000)],
  [
    `M4A of ${STRUCTURE_LIMITS.mp4_box_count.toLocaleString('en-US')} boxes, the most the limits let through`,
    () => mp4WithTagItems((STRUCTURE_LIMITS.mp4_box_count - 6) / 2),
  ],
];

async function measure(run: () => Promise<unknown>): Promise<Figures> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await sleep(5);
  const started = performance.now();
  const outcome = await run().then(
    () => 'accepted',
    (error: unknown) =>
      error instanceof Error ? ((error as Error & { code?: string }).code ?? error.name) : String(error),
  );
  const answerMs = performance.now() - started;
  await sleep(5); // the histogram records a stall when its next timer fires
  histogram.disable();
  return {
    maxDelayMs: histogram.max / 1e6,
    p99DelayMs: histogram.percentile(99) / 1e6,
    answerMs,
    outcome,
  };
}

export async function benchHostileInspection(log: (line: string) => void = console.log): Promise<string[]> {
  const pool = new AudioWorkerPool({ size: 1 });
  const files = await tempDir();
  const rows: string[] = [];
  let idleFigure: string;
  try {
    // Start the worker first, as a bot that has inspected anything has.
    await pool.run(
      { kind: 'inspect', path: await files.file('warm-up', mp3WithId3Frames(1, 1)) },
      {
        timeoutMs: 5000,
      },
    );
    // Every "after" first: the garbage a "before" leaves (hundreds of MB) would be collected, on the
    // main thread, during whatever is measured next.
    // What the loop shows with nothing to do: this machine's scheduling noise, the floor for "after".
    const idle = await measure(() => sleep(100));
    const afters: Figures[] = [];
    for (const [, make] of FILES) {
      // Written before the clock starts, as a download is: only inspection is measured.
      const path = await files.file(`hostile-${afters.length}`, make());
      afters.push(await measure(() => pool.run({ kind: 'inspect', path }, { timeoutMs: 5000 })));
    }
    for (const [index, [name, make]] of FILES.entries()) {
      const bytes = make();
      const before = await measure(() => parseBuffer(bytes, undefined, { duration: true, skipCovers: true }));
      const after = afters[index] as Figures;
      log(
        `hostile inspection: ${name}: before ${before.maxDelayMs.toFixed(0)} ms loop stall, ` +
          `after ${after.maxDelayMs.toFixed(1)} ms (${after.outcome})`,
      );
      rows.push(
        `| ${name} | ${before.maxDelayMs.toFixed(0)} ms | ${before.answerMs.toFixed(0)} ms, ${before.outcome} | ` +
          `${after.maxDelayMs.toFixed(1)} ms (p99 ${after.p99DelayMs.toFixed(1)} ms) | ${after.answerMs.toFixed(0)} ms, ${after.outcome} |`,
      );
    }
    idleFigure = `${idle.maxDelayMs.toFixed(1)} ms`;
  } finally {
    await pool.close();
    await files.remove();
  }
  return [
    '## Event loop while a hostile file is inspected',
    '',
    'The longest the main thread’s event loop was held (`monitorEventLoopDelay`, 1 ms resolution) while one ' +
      'file was inspected, and how long until it was accepted or refused. Before: music-metadata on the main ' +
      'thread with no limits, as inspection ran until the worker pool. After: the bot’s path, a warm worker ' +
      'from `AudioWorkerPool` with the structural limits and the 5 s time limit. While the loop is held, no ' +
      'interaction is acknowledged (Discord allows 3 s).',
    '',
    '| file | before: loop held | before: answer | after: loop held | after: answer |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `For comparison, the loop with nothing to do for 100 ms was held at most ${idleFigure} on this run: ` +
      'the rest of an "after" figure is the machine’s scheduling (the worker busy on one of two cores), ' +
      'not work on the main thread.',
    '',
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await benchHostileInspection()).join('\n'));
}
