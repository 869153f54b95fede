/**
 * `npm run bench` section: what each part of the idle bot costs in resident memory. Each part is
 * loaded on top of the previous ones in a fresh process (bench/idle-probe.ts) started with the
 * bot's node flags and environment; the connected bot's figure comes from the running-bot section.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ProbeReadings } from './idle-probe.ts';
import { startCommand } from './start-command.ts';
import { mb, median } from './stats.ts';

const RUNS = 3;
const BARE_NODE =
  'for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 200)); } ' +
  "console.log(Number(/VmRSS:\\s+(\\d+) kB/.exec(process.getBuiltinModule('node:fs').readFileSync('/proc/self/status', 'utf8'))[1]) * 1024);";

/** Runs node with the start command's flags and environment (or without its compile cache). */
async function node(args: readonly string[], compileCache = true): Promise<string> {
  const start = startCommand();
  const env: Record<string, string | undefined> = { ...process.env, ...start.env };
  if (!compileCache) delete env.NODE_COMPILE_CACHE;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...start.nodeArgs, '--expose-gc', ...args],
    {
      env,
    },
  );
  return stdout;
}

export async function benchIdleParts(
  botIdleRss: number,
  log: (line: string) => void = console.log,
): Promise<{ lines: string[]; modulesRss: number }> {
  const bare: number[] = [];
  const probes: ProbeReadings[] = [];
  const coldProbes: ProbeReadings[] = [];
  for (let run = 0; run < RUNS; run++) {
    bare.push(Number(await node(['--input-type=module', '-e', BARE_NODE])));
    probes.push(JSON.parse(await node(['bench/idle-probe.ts'])) as ProbeReadings);
    coldProbes.push(JSON.parse(await node(['bench/idle-probe.ts'], false)) as ProbeReadings);
  }
  const nodeAlone = median(bare);
  const names = (probes[0] ?? []).map(([part]) => part);
  const at = (index: number): number => median(probes.map((p) => p[index]?.[1] ?? NaN));
  const heapAt = (index: number): number => median(probes.map((p) => p[index]?.[2] ?? NaN));
  const own = names.indexOf('the bot’s own modules');
  const stripper =
    median(coldProbes.map((p) => p[own]?.[1] ?? NaN)) - median(probes.map((p) => p[own]?.[1] ?? NaN));
  const rows: string[] = [`| Node alone | ${mb(nodeAlone)} | ${mb(nodeAlone)} |`];
  let previous = nodeAlone;
  let modulesRss = nodeAlone;
  for (const [index, name] of names.entries()) {
    const rss = at(index);
    const part = name === 'Node and type stripping' ? 'type stripping, compile cache warm' : name;
    rows.push(`| ${part} | +${mb(rss - previous)} | ${mb(rss)} |`);
    log(`idle: ${part} +${mb(rss - previous)}`);
    if (!name.startsWith('pino-pretty')) modulesRss = rss;
    previous = rss;
  }
  return {
    modulesRss,
    lines: [
      '## Idle memory, part by part',
      '',
      `Each part loaded on top of the ones above in a fresh process with the start command’s flags and ` +
        `environment, garbage collected, then its resident set; median of ${RUNS} runs. The connected bot is ` +
        'the running-bot section’s idle figure at READY.',
      '',
      '| part | adds | resident set |',
      '| --- | --- | --- |',
      ...rows.filter((row) => !row.startsWith('| pino-pretty')),
      `| connecting to Discord, discord.js’s caches and the rest | +${mb(botIdleRss - modulesRss)} | ${mb(botIdleRss)} |`,
      ...rows.filter((row) => row.startsWith('| pino-pretty')),
      '',
      `Of the +${mb(at(own) - at(own - 1))} the bot’s own modules add, V8’s heap holds +${mb(heapAt(own) - heapAt(own - 1))}; ` +
        'the rest is compiled code and ICU’s locale data for the zh-CN replies. With a cold compile cache ' +
        '(the first start after a change, or `NODE_COMPILE_CACHE` unset) Node loads its TypeScript stripper, ' +
        `WebAssembly whose memory is never given back: the same probe then holds +${mb(stripper)} more ` +
        `(median of ${RUNS} runs), and each audio worker pays it again.`,
      '',
    ],
  };
}
