import { isDurationAllowed, type AudioLimits } from './limits.ts';
import { PURPOSES, type Purpose } from './purposes.ts';

export interface PurposeSuggestion {
  readonly seconds: number;
  /** The purposes whose length limits the recording meets, in PURPOSES order. */
  readonly fitting: readonly Purpose[];
  /** What to offer first: the first that fits (a voice to clone before a prompt clip). */
  readonly suggested: Purpose | undefined;
}

/**
 * Which purpose a recording of `seconds` is for, judged by the configured limits alone (by default:
 * under 8 s a prompt clip, 10 s to 5 min a voice to clone). Undefined when the length is unknown.
 * Discord's stated length of a voice message is only a hint: the decoded length is what is checked.
 */
export function suggestPurpose(
  seconds: number | null | undefined,
  limits: AudioLimits,
): PurposeSuggestion | undefined {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return undefined;
  const fitting = PURPOSES.filter((purpose) => isDurationAllowed(seconds, limits.duration[purpose]));
  return { seconds, fitting, suggested: fitting[0] };
}
