import { describe, expect, it } from 'vitest';
import { formatBytes, formatLimitSeconds, formatMeasuredSeconds } from '../src/i18n/format.ts';
import { DEFAULT_AUDIO_LIMITS } from '../src/domain/limits.ts';

describe('formatting for replies', () => {
  it.each([
    [0, '0 bytes'],
    [1023, '1023 bytes'],
    [203955, '199.2 KiB'],
    [20 * 1024 * 1024, '20.0 MiB'],
  ])('formatBytes(%i) is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    [10, '10 s'],
    [8, '8 s'],
    [300, '5 min'],
    [90, '1 min 30 s'],
    [60.5, '60.5 s'],
  ])('formatLimitSeconds(%s) is %s', (seconds, text) => {
    expect(formatLimitSeconds(seconds)).toBe(text);
  });

  it('never rounds a measured duration onto the limit it misses', () => {
    const clone = DEFAULT_AUDIO_LIMITS.duration.voice_clone;
    expect(formatMeasuredSeconds(7.4, clone)).toBe('7.4 s');
    expect(formatMeasuredSeconds(9.96, clone)).toBe('9.96 s');
    expect(formatMeasuredSeconds(9.9996, clone)).toBe('9.999 s');
    expect(formatMeasuredSeconds(300.0001, clone)).toBe('300.001 s (5 min 0.001 s)');
    expect(formatMeasuredSeconds(300.04, clone)).toBe('300.04 s (5 min 0.04 s)');
    expect(formatMeasuredSeconds(8.0, DEFAULT_AUDIO_LIMITS.duration.prompt_audio)).toBe('8.0 s');
  });
});
