import type { DmxapiOperation } from '../../dmxapi/errors.ts';
import type { ErrorText } from '../error-text.ts';
import { formatBytes, formatLimitSeconds } from '../format.ts';
import { askOperator } from './common.ts';

/** Meanings of MiniMax's `base_resp.status_code`, from docs/dmxapi.md. */
const serviceCodes: Readonly<Record<number, { readonly meaning: string; readonly hint: string }>> = {
  1000: {
    meaning: 'MiniMax reported an unknown error, which it gives when the audio file is invalid',
    hint: 'Check that the file plays, re-export it as MP3 or WAV, and try again.',
  },
  1001: { meaning: 'MiniMax timed out', hint: 'Try again in a moment.' },
  1002: { meaning: 'MiniMax is rate limiting this account', hint: 'Wait a minute, then try again.' },
  1004: { meaning: 'MiniMax rejected the authentication', hint: askOperator('DMXAPI_API_KEY') },
  1008: {
    meaning: 'The DMXAPI account balance is too low',
    hint: 'Ask whoever manages the DMXAPI account to top it up.',
  },
  1024: { meaning: 'MiniMax had an internal error', hint: 'Try again in a moment.' },
  1026: { meaning: 'MiniMax flagged sensitive content in the input', hint: 'Use a different recording.' },
  1033: { meaning: 'MiniMax had a system or downstream error', hint: 'Try again in a moment.' },
  1039: { meaning: 'MiniMax token limit reached', hint: 'Wait a while, then try again.' },
  1041: { meaning: 'MiniMax connection limit reached', hint: 'Wait a moment, then try again.' },
  2013: {
    meaning: 'MiniMax said the request parameters are invalid',
    hint: 'Check the file and try again; if it keeps happening, tell whoever runs the bot.',
  },
  2037: {
    meaning: 'MiniMax said the voice is too short or too long (it needs 10 s to 5 min)',
    hint: 'Trim or extend the recording to 10 s–5 min and upload it again.',
  },
  2038: {
    meaning: 'Voice cloning is not enabled for the DMXAPI/MiniMax account',
    hint: 'The account owner must complete real-name verification to enable cloning.',
  },
  2048: {
    meaning: 'MiniMax said the prompt audio is too long (it must be shorter than 8 s)',
    hint: 'Trim the prompt clip to under 8 s.',
  },
  1042: {
    meaning: 'MiniMax found too many invisible characters in the text',
    hint: 'Type the text again as plain text.',
  },
  1043: {
    meaning: "MiniMax's check that the speech matches its text failed",
    hint: 'Use a clean recording with one clear speaker.',
  },
  1044: {
    meaning: 'The prompt clip does not say what prompt_text says',
    hint: 'Type exactly the words spoken in the prompt clip.',
  },
  2039: { meaning: 'MiniMax already has a voice with this voice_id', hint: 'Pick another voice_id.' },
  2042: {
    meaning: 'This account has no access to that voice_id',
    hint: 'Check the voice_id, or pick one from the list.',
  },
  2049: { meaning: 'MiniMax said the API key is invalid', hint: askOperator('DMXAPI_API_KEY') },
  20132: {
    meaning: 'MiniMax said the sample or the voice_id is invalid',
    hint: 'Pick the sample from the list and check the voice_id.',
  },
};

/** Meanings of the gateway's HTTP statuses, from docs/dmxapi.md. */
const httpStatuses: Readonly<Record<number, { readonly meaning: string; readonly hint: string }>> = {
  400: {
    meaning: 'DMXAPI refused the request as invalid',
    hint: 'Check the file and try again; if it keeps happening, tell whoever runs the bot.',
  },
  401: {
    meaning: "DMXAPI rejected the bot's API key (often a key for the other DMXAPI site)",
    hint: askOperator('DMXAPI_API_KEY'),
  },
  403: {
    meaning: "DMXAPI refused the bot's key: quota used up, balance too low, or key disabled",
    hint: 'Ask whoever manages the DMXAPI account to top it up or check the key.',
  },
  404: {
    meaning: 'DMXAPI has no such endpoint, so the base URL is wrong',
    hint: askOperator('DMXAPI_BASE_URL'),
  },
  413: {
    meaning: 'DMXAPI said the request is too large',
    hint: 'Send a smaller file: shorter, mono, or at a lower bitrate.',
  },
  429: { meaning: 'DMXAPI is rate limiting requests', hint: 'Wait a minute, then try again.' },
  500: { meaning: 'DMXAPI had a server error', hint: 'Try again in a moment.' },
  502: { meaning: 'DMXAPI could not reach MiniMax (bad gateway)', hint: 'Try again in a moment.' },
  503: {
    meaning: "The upload model is not available to the bot's key, or its name is wrong",
    hint: askOperator('DMXAPI_MODEL'),
  },
  // The hints of 5xx answers other than 503 come from the operation (mayBeDone): see dmxapiHttp.
  504: { meaning: 'DMXAPI timed out waiting for MiniMax', hint: 'Try again in a moment.' },
  524: { meaning: 'DMXAPI timed out waiting for MiniMax', hint: 'Try again in a moment.' },
};

/** What each operation is called in a sentence, and what a failure after sending may have done anyway. */
const operations: Readonly<
  Record<
    DmxapiOperation,
    { readonly noun: string; readonly modelSetting: string; readonly mayBeDone: string }
  >
> = {
  upload: {
    noun: 'the upload',
    modelSetting: 'DMXAPI_MODEL',
    mayBeDone:
      'The file may have been stored and billed anyway, and DMXAPI offers no way to look it up: uploading again may pay for it twice.',
  },
  clone: {
    noun: 'the clone',
    modelSetting: 'DMXAPI_CLONE_MODEL',
    mayBeDone:
      'The voice may have been created anyway: try `/say` with this voice_id before cloning again, or clone with a new voice_id.',
  },
  speech: {
    noun: 'the speech request',
    modelSetting: 'DMXAPI_SPEECH_MODEL',
    mayBeDone: 'The characters may have been billed anyway.',
  },
};

const retryLater = 'Try again in a few minutes.';
const retryOrTell = 'Try again in a moment; if it keeps happening, tell whoever runs the bot.';

/** DMXAPI's and MiniMax's refusals and the ways a request to them fails, for every operation. */
export const dmxapiErrorTexts = {
  dmxapiHttp: (p: { status: number; operation?: DmxapiOperation }): ErrorText => {
    const op = operations[p.operation ?? 'upload'];
    let known = httpStatuses[p.status];
    if (p.status === 503) {
      known = {
        meaning: `The model for ${op.noun} is not available to the bot's key, or its name is wrong`,
        hint: askOperator(op.modelSetting),
      };
    } else if (known && p.status >= 500) {
      // An answer after the request was sent: the work may have been done, and paid, anyway.
      known = { meaning: known.meaning, hint: `${retryLater} ${op.mayBeDone}` };
    }
    return {
      title: `DMXAPI refused ${op.noun}`,
      description: `${known?.meaning ?? 'DMXAPI answered with an error'} (HTTP ${p.status}).`,
      hint: known?.hint ?? retryOrTell,
    };
  },
  dmxapiService: (p: { statusCode: number; operation?: DmxapiOperation }): ErrorText => {
    const known = serviceCodes[p.statusCode];
    return {
      title: `MiniMax refused ${operations[p.operation ?? 'upload'].noun}`,
      description: `${known?.meaning ?? 'MiniMax answered with an error'} (status ${p.statusCode}).`,
      hint: known?.hint ?? retryOrTell,
    };
  },
  dmxapiMalformed: (p: { status: number; operation?: DmxapiOperation }): ErrorText => {
    const operation = p.operation ?? 'upload';
    const lost = {
      upload: 'no file_id could be read',
      clone: 'it is unknown whether the voice was created',
      speech: 'no audio could be read',
    }[operation];
    return {
      title: 'Unreadable answer from DMXAPI',
      description: `DMXAPI answered HTTP ${p.status} with something other than the JSON it documents, so ${lost}.`,
      hint: `${operations[operation].mayBeDone} If it keeps happening, DMXAPI may be having trouble.`,
    };
  },
  dmxapiTimeout: (p: { timeoutMs: number; operation?: DmxapiOperation }): ErrorText => {
    const op = operations[p.operation ?? 'upload'];
    return {
      title: 'DMXAPI did not answer in time',
      description: `DMXAPI did not finish ${op.noun} within ${formatLimitSeconds(p.timeoutMs / 1000)}.`,
      hint: `${retryLater} ${op.mayBeDone}`,
    };
  },
  dmxapiRefused: (p?: { operation?: DmxapiOperation }): ErrorText => ({
    title: 'DMXAPI unreachable',
    description: `The connection to DMXAPI was refused, so nothing was sent: ${operations[p?.operation ?? 'upload'].noun} did not happen.`,
    hint: retryLater,
  }),
  dmxapiReset: (p?: { operation?: DmxapiOperation; written?: boolean }): ErrorText => {
    const operation = p?.operation ?? 'upload';
    if (p?.written === false) {
      return {
        title: 'Connection to DMXAPI lost',
        description: `The connection to DMXAPI was cut before the request was sent in full, so ${operations[operation].noun} did not happen.`,
        hint: retryLater,
      };
    }
    const unknown = {
      upload: 'it is unknown whether the file was stored',
      clone: 'it is unknown whether the voice was created',
      speech: 'it is unknown whether the characters were billed',
    }[operation];
    return {
      title: 'Connection to DMXAPI lost',
      description: `The connection to DMXAPI was cut during ${operations[operation].noun}; ${unknown}.`,
      hint:
        operation === 'upload'
          ? `Upload it again to get a file_id you can use. ${operations.upload.mayBeDone}`
          : operations[operation].mayBeDone,
    };
  },
  dmxapiDns: (): ErrorText => ({
    title: 'DMXAPI unreachable',
    description: "DMXAPI's host name could not be resolved, so nothing was sent.",
    hint: askOperator('DMXAPI_BASE_URL'),
  }),
  dmxapiNetwork: (p?: { operation?: DmxapiOperation }): ErrorText => ({
    title: 'DMXAPI unreachable',
    description: `A network error stopped ${operations[p?.operation ?? 'upload'].noun} to DMXAPI.`,
    hint: retryLater,
  }),
  dmxapiAudioTooLarge: (p: { maxBytes: number }): ErrorText => ({
    title: 'The speech is too large to post',
    description: `MiniMax sent more than ${formatBytes(p.maxBytes)} of audio, more than one Discord attachment may hold, so it was not kept. The characters were probably billed.`,
    hint: 'Say it in shorter parts, or at a higher speed.',
  }),
};

export type DmxapiErrorTexts = typeof dmxapiErrorTexts;
