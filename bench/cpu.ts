/**
 * CPU accounting for the running-bot section: what the bot's process and the whole machine spent
 * while a batch ran, and what the bot's own per-file work costs on this machine. A batch that keeps
 * every core busy is bound by CPU, and no scheduling of the uploads can make it shorter.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { median } from './stats.ts';

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const TICK_MS = 10;

/** CPU time a process has used so far (user + system, all its threads), in ms. */
export async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which sits in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

export interface MachineCpu {
  readonly busyMs: number;
  readonly totalMs: number;
}

/**
 * Every core's time so far, busy and in all, in ms. Idle, I/O wait and steal (time the hypervisor gave
 * to other machines) are not busy.
 */
export async function machineCpu(): Promise<MachineCpu> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, tick) => sum + tick, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0) + (ticks[7] ?? 0);
  return { busyMs: (total - idle) * TICK_MS, totalMs: total * TICK_MS };
}

/** The share of the machine's CPU time that was busy between two readings. */
export function busyShare(before: MachineCpu, after: MachineCpu): number {
  return (after.busyMs - before.busyMs) / (after.totalMs - before.totalMs);
}

/** What the bot does to each file that the transfer floor does not: hash it, and base64 it for the body. */
export function perFileWork(file: Uint8Array): { sha256Ms: number; base64Ms: number } {
  const time = (work: () => unknown): number => {
    const runs: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      work();
      runs.push(performance.now() - started);
    }
    return median(runs);
  };
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  return {
    sha256Ms: time(() => createHash('sha256').update(bytes).digest()),
    base64Ms: time(() => bytes.toString('base64')),
  };
}
