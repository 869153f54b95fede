import type { DurationLimit } from '../pipeline/limits.ts';

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB'] as const;

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** "10 s", "5 min", "1 min 30 s": for limits, which are round numbers. */
export function formatLimitSeconds(seconds: number): string {
  if (seconds < 60 || seconds % 1 !== 0) return `${trimNumber(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/**
 * A measured duration with enough decimals that it never reads as a limit it does not meet:
 * 9.96 s must not print as "10.0 s" next to "needs at least 10 s".
 */
export function formatMeasuredSeconds(seconds: number, limit?: DurationLimit): string {
  const bounds = limit ? [limit.minSeconds, limit.maxSeconds] : [];
  const misses = (decimals: number) =>
    bounds.find((bound) => round(seconds, decimals) === bound && seconds !== bound);
  let decimals = 1;
  while (decimals < 3 && misses(decimals) !== undefined) decimals++;
  let shown = round(seconds, decimals);
  const bound = misses(decimals);
  if (bound !== undefined) {
    // Still on the bound at 3 decimals: step off it on the side the value really is.
    const step = 10 ** -decimals;
    shown = seconds < bound ? bound - step : bound + step;
  }
  const fixed = shown.toFixed(decimals);
  if (seconds < 60) return `${fixed} s`;
  const minutes = Math.floor(shown / 60);
  return `${fixed} s (${minutes} min ${(shown - minutes * 60).toFixed(decimals)} s)`;
}

export function formatNumber(value: number): string {
  return value.toLocaleString('en-US');
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

function trimNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
}
