import type { Purpose } from './purposes.ts';

/** How long a clip may be for one purpose. `minSeconds` is inclusive; `maxSeconds` is inclusive unless `maxExclusive`. */
export interface DurationLimit {
  readonly minSeconds: number;
  readonly maxSeconds: number;
  readonly maxExclusive: boolean;
}

export interface AudioLimits {
  readonly maxBytes: number;
  readonly duration: Readonly<Record<Purpose, DurationLimit>>;
}

export function isDurationAllowed(seconds: number, limit: DurationLimit): boolean {
  if (seconds < limit.minSeconds) return false;
  return limit.maxExclusive ? seconds < limit.maxSeconds : seconds <= limit.maxSeconds;
}

/**
 * DMXAPI's limits (docs/dmxapi.md). A prompt clip follows the clone rule,
 * "shorter than 8 s", because MiniMax rejects a longer one (2048) at the clone step.
 */
export const DEFAULT_AUDIO_LIMITS: AudioLimits = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  duration: Object.freeze({
    voice_clone: Object.freeze({ minSeconds: 10, maxSeconds: 300, maxExclusive: false }),
    prompt_audio: Object.freeze({ minSeconds: 0, maxSeconds: 8, maxExclusive: true }),
  }),
});
