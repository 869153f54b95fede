import type { DurationLimit } from '../domain/limits.ts';

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB'] as const;

/** `bytes` in the largest binary unit it reaches: { value: 1.5, unit: 2 } for 1.5 MiB. */
function scaleBytes(bytes: number): { value: number; unit: number } {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return { value, unit };
}

export function formatBytes(bytes: number): string {
  const { value, unit } = scaleBytes(bytes);
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/**
 * "20 MiB", "1.5 MiB", "512 bytes": for limits, which are usually round numbers, so with no ".0"
 * and as many decimals (up to 3) as it takes to state the limit exactly enough.
 */
export function formatLimitBytes(bytes: number, bytesWord = 'bytes'): string {
  const { value, unit } = scaleBytes(bytes);
  return unit === 0 ? `${bytes} ${bytesWord}` : `${trimNumber(value)} ${UNITS[unit] ?? ''}`;
}

/** "10 s", "5 min", "1 min 30 s": for limits, which are round numbers. */
export function formatLimitSeconds(seconds: number): string {
  return formatLimitSecondsIn(seconds, EN_DURATION_UNITS);
}

/**
 * A measured duration with enough decimals that it never reads as a limit it does not meet:
 * 9.96 s must not print as "10.0 s" next to "needs at least 10 s".
 */
export function formatMeasuredSeconds(seconds: number, limit?: DurationLimit): string {
  return formatMeasuredSecondsIn(seconds, limit, EN_DURATION_UNITS);
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

/** The words a duration is written with, so that each language reads naturally. */
export interface DurationUnits {
  readonly seconds: string;
  readonly minutes: string;
  /** Sets the minutes-and-seconds reading after a long duration, e.g. " (5 min 12.3 s)". */
  readonly aside: (reading: string) => string;
}

export const EN_DURATION_UNITS: DurationUnits = Object.freeze({
  seconds: 's',
  minutes: 'min',
  aside: (reading: string) => ` (${reading})`,
});

export const ZH_DURATION_UNITS: DurationUnits = Object.freeze({
  seconds: '秒',
  minutes: '分钟',
  aside: (reading: string) => `（${reading}）`,
});

/** `formatBytes` with the word for plain bytes given: "512 字节", "199.2 KiB". */
export function formatBytesIn(bytes: number, bytesWord: string): string {
  return bytes < 1024 ? `${bytes} ${bytesWord}` : formatBytes(bytes);
}

/** A limit in the given units: "10 s", "5 分钟", "1 分钟 30 秒". */
export function formatLimitSecondsIn(seconds: number, units: DurationUnits): string {
  if (seconds < 60 || seconds % 1 !== 0) return `${trimNumber(seconds)} ${units.seconds}`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} ${units.minutes}` : `${minutes} ${units.minutes} ${rest} ${units.seconds}`;
}

/**
 * A measured duration in the given units, never rounded onto a limit it misses:
 * "7.4 s", "9.96 s" beside a 10 s minimum, "312.3 秒（5 分钟 12.3 秒）".
 */
export function formatMeasuredSecondsIn(
  seconds: number,
  limit: DurationLimit | undefined,
  units: DurationUnits,
): string {
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
  const fixed = `${shown.toFixed(decimals)} ${units.seconds}`;
  if (seconds < 60) return fixed;
  const minutes = Math.floor(shown / 60);
  const rest = (shown - minutes * 60).toFixed(decimals);
  return `${fixed}${units.aside(`${minutes} ${units.minutes} ${rest} ${units.seconds}`)}`;
}
