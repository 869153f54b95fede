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
  speechQuotaExceeded: (p: {
    used: number;
    limit: number;
    requested: number;
    retryAt: string | undefined;
  }): ErrorText => ({
    title: 'Daily speech limit reached',
    description: `You used ${p.used.toLocaleString('en-US')} of your ${p.limit.toLocaleString('en-US')} speech characters in the last 24 hours; this text needs up to ${p.requested.toLocaleString('en-US')}. Nothing was sent.`,
    hint:
      p.retryAt === undefined
        ? 'This text is longer than the whole daily limit: say it in parts.'
        : `Enough frees up ${p.retryAt}; or say a shorter text.`,
  }),
  voicePrivate: (p: { voiceId: string; ownerName: string }): ErrorText => ({
    title: 'That voice is private',
    description: `\`${p.voiceId}\` was cloned privately by ${p.ownerName}; only they may use it.`,
    hint: 'Pick another voice from the list.',
  }),
  voiceNotFound: (): ErrorText => ({
    title: 'Voice not found',
    description: "The voice behind this button is no longer in the bot's records.",
    hint: 'Use `/say` and pick the voice from the list.',
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

/** /say's replies, its progress, and the "Say something" modal. */
export const speechTexts = {
  say: {
    lateResult: (member: string) =>
      `${member}, your speech is ready, but the reply to your command could no longer be edited, so it is here.`,
    queued: (position: number) =>
      `Speech requests on the team's key are at their rate limit. Yours is number ${position} in line and starts by itself.`,
    speaking: (voiceId: string) => `Saying it with \`${voiceId}\`…`,
    title: 'Speech ready',
    voice: 'Voice',
    duration: 'Length',
    billed: 'Characters billed',
    billedValue: (p: { billed: number; usedToday: number; limit: number }) =>
      `${p.billed.toLocaleString('en-US')} (${p.usedToday.toLocaleString('en-US')} of your ${p.limit.toLocaleString('en-US')} in 24 hours)`,
    firstUse:
      'The first speech with this voice: MiniMax charged the clone fee now, and the voice is kept from now on.',
    saidBy: (name: string) => `Requested by ${name}`,
    modalTitle: 'Say something',
    modalText: 'What the voice should say',
  },
};
