/** Small helpers the bench's sections share: order statistics, formatting, /proc readings. */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export const MB = 1_000_000;

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (position - low);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);
export const ms = (value: number): string => `${value.toFixed(0)} ms`;
export const mb = (bytes: number): string => `${(bytes / MB).toFixed(0)} MB`;
export const times = (ratio: number): string => `${ratio.toFixed(2)} ×`;

/** "median (min–max)" of milliseconds. */
export const spread = (values: readonly number[]): string =>
  `${ms(median(values))} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;

/** "median (min–max)" of ratios. */
export const ratioSpread = (values: readonly number[]): string =>
  `${times(median(values))} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;

/** "median (min–max)" of bytes, in MB. */
export const mbSpread = (values: readonly number[]): string =>
  `${mb(median(values))} (${(Math.min(...values) / MB).toFixed(0)}–${(Math.max(...values) / MB).toFixed(0)})`;

/** A process's resident set now (`VmRSS`) or at its peak since the last reset (`VmHWM`), in bytes. */
export async function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1]) * 1024;
}

/** This process's RSS once garbage is collected (with --expose-gc) three times, `pauseMs` apart. */
export async function settledRss(pauseMs: number): Promise<number> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await sleep(pauseMs);
  }
  return procStatus(process.pid, 'VmRSS');
}
