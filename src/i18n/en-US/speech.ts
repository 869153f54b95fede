import type { ErrorText } from '../error-text.ts';
import { formatLimitSeconds } from '../format.ts';

/** The ways a speech request fails, before sending (our checks) or as MiniMax refuses it. */
export const speechErrorTexts = {
  speechTextEmpty: (): ErrorText => ({
    title: 'Nothing to say',
    description: 'The text is empty or only spaces. Nothing was sent.',
    hint: 'Write the words the voice should say.',
  }),
  speechTextTooLong: (p: { characters: number; maxCharacters: number }): ErrorText => ({
    title: 'The text is too long',
    description: `The text has ${p.characters.toLocaleString('en-US')} characters; the limit is ${p.maxCharacters.toLocaleString('en-US')}. Nothing was sent.`,
    hint: 'Shorten it, or say it in several parts.',
  }),
  speechWouldNotFit: (p: { estimatedSeconds: number; maxSeconds: number }): ErrorText => ({
    title: 'The speech could be too long to post',
    description: `Said at this speed, with its pauses, the text could last up to ${formatLimitSeconds(p.estimatedSeconds)}; at most ${formatLimitSeconds(p.maxSeconds)} fits in one attachment here. Nothing was sent.`,
    hint: 'Shorten the text or its `<#…#>` pauses, or use a higher speed.',
  }),
  voiceAccessDenied: (): ErrorText => ({
    title: 'MiniMax has no such voice for this account',
    description:
      'MiniMax said this account cannot use that voice_id (status 2042): it may be misspelled, belong to another account, or have been deleted after 7 days unused.',
    hint: 'Pick a voice from the list, or check the voice_id.',
  }),
  textSensitive: (): ErrorText => ({
    title: 'MiniMax refused the text',
    description: "MiniMax's content check flagged the text as sensitive (status 1026). Nothing was billed.",
    hint: 'Change the text and try again.',
  }),
  invisibleCharacters: (): ErrorText => ({
    title: 'Too many invisible characters',
    description:
      'MiniMax refused the text because it holds too many invisible characters (status 1042), which copied text often carries.',
    hint: 'Type the text again, or paste it as plain text.',
  }),
};

export type SpeechErrorTexts = typeof speechErrorTexts;
