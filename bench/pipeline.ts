/**
 * `npm run bench` section: the upload pipeline alone, against a naive upload and the transfer floor,
 * 1, 4 and 12 at once. Each run is its own process (bench/worker.ts) started with the bot's own node
 * flags and environment, so its peak RSS is its own.
 */
import { spawn } from 'node:child_process';
import { startCommand } from './start-command.ts';
import { MB, median, mb, ms, ratioSpread, spread, times } from './stats.ts';
import type { Mode, WorkerResult } from './worker.ts';

const MODES: readonly Mode[] = ['ours', 'naive', 'floor'];
/** [uploads at once, runs]; runs of the three modes take turns, so a change in the machine's load hits all. */
export const CONCURRENCY_RUNS: readonly (readonly [number, number])[] = [
  [1, 7],
  [4, 5],
  [12, 5],
];

export interface PipelineSetup {
  readonly cdnUrl: string;
  readonly sinkUrl: string;
  readonly fileBytes: number;
  readonly bodyBytes: number;
}

interface Summary {
  readonly mode: Mode;
  readonly concurrency: number;
  readonly stages: Record<string, number[]>;
  readonly totals: number[];
  readonly walls: number[];
  readonly overIdle: number[];
}

export interface PipelineFigures {
  readonly lines: string[];
  /** Median over runs of (ours' batch wall / the floor's in the same round), at 12 at once. */
  readonly batchOverFloor12: number;
  /** Ours' peak RSS over idle per upload in flight, in files, at 12 at once. */
  readonly perUpload12: number;
  /** The floor's median batch wall at each number at once. */
  readonly floorBatchWallMs: ReadonlyMap<number, number>;
}

function runWorker(mode: Mode, concurrency: number, setup: PipelineSetup): Promise<WorkerResult> {
  const start = startCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...start.nodeArgs,
        '--expose-gc',
        'bench/worker.ts',
        mode,
        String(concurrency),
        `${setup.cdnUrl}/bench.wav`,
        setup.sinkUrl,
        String(setup.bodyBytes),
        String(setup.fileBytes),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...start.env } },
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

export async function benchPipeline(
  setup: PipelineSetup,
  log: (line: string) => void = console.log,
): Promise<PipelineFigures> {
  const lines: string[] = [];
  let figures12: Omit<PipelineFigures, 'lines' | 'floorBatchWallMs'> | undefined;
  const floorBatchWallMs = new Map<number, number>();
  for (const [concurrency, runs] of CONCURRENCY_RUNS) {
    const results: Record<Mode, WorkerResult[]> = { ours: [], naive: [], floor: [] };
    for (let run = 0; run < runs; run++) {
      for (const mode of MODES) results[mode].push(await runWorker(mode, concurrency, setup));
    }
    const summaries = Object.fromEntries(
      MODES.map((mode) => [mode, summarise(mode, concurrency, results[mode])]),
    ) as Record<Mode, Summary>;
    const perUpload = (s: Summary): number => median(s.overIdle) / s.concurrency / setup.fileBytes;
    // Paired by round: each ratio compares runs made under the same load.
    const batchRatios = results.ours.map((r, i) => r.wallMs / (results.floor[i]?.wallMs ?? NaN));
    for (const mode of MODES) {
      log(
        `${String(concurrency).padStart(2)} at once  ${mode.padEnd(5)}  batch wall ${spread(summaries[mode].walls)}  ` +
          `peak RSS over idle ${mb(median(summaries[mode].overIdle))}`,
      );
    }
    lines.push(`## ${concurrency} at once`, '');
    lines.push(
      '| | download | inspect / encode | upload | end to end | batch wall | throughput | peak RSS over idle | per upload in flight |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const mode of MODES) {
      const s = summaries[mode];
      const middle = s.stages.inspect ?? s.stages.encode;
      lines.push(
        `| ${mode} | ${spread(s.stages.download ?? [])} | ${middle ? spread(middle) : '—'} | ${spread(s.stages.upload ?? [])} | ` +
          `${spread(s.totals)} | ${ms(median(s.walls))} | ${((concurrency * setup.fileBytes) / MB / (median(s.walls) / 1000)).toFixed(0)} MB/s | ` +
          `${mb(median(s.overIdle))} | ${mode === 'floor' ? '— (body prebuilt)' : `${times(perUpload(s))} file`} |`,
      );
    }
    const { ours, naive, floor } = summaries;
    floorBatchWallMs.set(concurrency, median(floor.walls));
    lines.push(
      '',
      `Ours over naive: time ${times(median(ours.totals) / median(naive.totals))}, memory ${times(median(ours.overIdle) / median(naive.overIdle))}. ` +
        `Ours over floor: end to end ${times(median(ours.totals) / median(floor.totals))}, batch wall ${ratioSpread(batchRatios)} ` +
        `(median of ${runs} rounds, each ours and floor run back to back).`,
      '',
    );
    if (concurrency === 12) {
      figures12 = {
        batchOverFloor12: median(batchRatios),
        perUpload12: perUpload(ours),
      };
    }
  }
  if (!figures12) throw new Error('the pipeline bench has no run at 12 at once');
  return { lines, floorBatchWallMs, ...figures12 };
}
