import type { DurationLimit } from '../../domain/limits.ts';
import type { Purpose } from '../../domain/purposes.ts';
import { formatLimitSeconds, formatMeasuredSeconds } from '../format.ts';

const durationRule = (limit: DurationLimit): string => {
  const max = formatLimitSeconds(limit.maxSeconds);
  if (limit.maxExclusive) {
    return limit.minSeconds > 0
      ? `at least ${formatLimitSeconds(limit.minSeconds)} and shorter than ${max}`
      : `shorter than ${max}`;
  }
  return limit.minSeconds > 0 ? `${formatLimitSeconds(limit.minSeconds)} to ${max}` : `at most ${max}`;
};

/** The hint for a failure only the operator can fix, naming the setting to check. */
export const askOperator = (setting: string): string =>
  `This is a problem with the bot's setup, not your file: ask whoever runs the bot to check \`${setting}\`.`;

/** Words every area uses: the purposes, the labels of an error reply's fields, durations. */
export const commonTexts = {
  purposes: {
    voice_clone: 'Voice to clone',
    prompt_audio: 'Prompt clip',
  } satisfies Record<Purpose, string>,

  errorFields: {
    whatToDo: 'What to do',
    serviceSaid: 'DMXAPI said',
    requestId: 'Request id',
    attempts: 'Attempts',
  },

  duration: {
    measured: formatMeasuredSeconds,
    rule: durationRule,
  },

  /** Plain text sent when the reply itself could not be drawn: no embed, nothing from the input. */
  replyFailed: (reference: string) =>
    `Something went wrong while writing this reply (reference \`${reference}\`). Try again; if it keeps happening, tell whoever runs the bot.`,
};

export type CommonTexts = typeof commonTexts;
