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
  2049: { meaning: 'MiniMax said the API key is invalid', hint: askOperator('DMXAPI_API_KEY') },
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
  504: {
    meaning: 'DMXAPI timed out waiting for MiniMax',
    hint: 'Try again in a moment. The file may have been stored anyway; nothing is lost by uploading again.',
  },
  524: {
    meaning: 'DMXAPI timed out waiting for MiniMax',
    hint: 'Try again in a moment. The file may have been stored anyway; nothing is lost by uploading again.',
  },
};

/** DMXAPI's and MiniMax's refusals and the ways a request to them fails. */
export const dmxapiErrorTexts = {
  dmxapiHttp: (p: { status: number }): ErrorText => {
    const known = httpStatuses[p.status];
    return {
      title: 'DMXAPI refused the upload',
      description: `${known?.meaning ?? 'DMXAPI answered with an error'} (HTTP ${p.status}).`,
      hint: known?.hint ?? 'Try again in a moment; if it keeps happening, tell whoever runs the bot.',
    };
  },
  dmxapiService: (p: { statusCode: number }): ErrorText => {
    const known = serviceCodes[p.statusCode];
    return {
      title: 'MiniMax refused the upload',
      description: `${known?.meaning ?? 'MiniMax answered with an error'} (status ${p.statusCode}).`,
      hint: known?.hint ?? 'Try again in a moment; if it keeps happening, tell whoever runs the bot.',
    };
  },
  dmxapiMalformed: (p: { status: number }): ErrorText => ({
    title: 'Unreadable answer from DMXAPI',
    description: `DMXAPI answered HTTP ${p.status} with something other than the JSON it documents, so no file_id could be read.`,
    hint: 'Try again in a moment; if it keeps happening, DMXAPI may be having trouble.',
  }),
  dmxapiTimeout: (p: { timeoutMs: number }): ErrorText => ({
    title: 'DMXAPI did not answer in time',
    description: `DMXAPI did not finish the upload within ${formatLimitSeconds(p.timeoutMs / 1000)}.`,
    hint: 'Try again in a few minutes. The file may have been stored anyway; uploading again only costs another upload.',
  }),
  dmxapiRefused: (): ErrorText => ({
    title: 'DMXAPI unreachable',
    description: 'The connection to DMXAPI was refused, so nothing was uploaded.',
    hint: 'Try again in a few minutes.',
  }),
  dmxapiReset: (): ErrorText => ({
    title: 'Connection to DMXAPI lost',
    description:
      'The connection to DMXAPI was cut during the upload; it is unknown whether the file was stored.',
    hint: 'Upload it again to get a file_id you can use.',
  }),
  dmxapiDns: (): ErrorText => ({
    title: 'DMXAPI unreachable',
    description: "DMXAPI's host name could not be resolved, so nothing was uploaded.",
    hint: askOperator('DMXAPI_BASE_URL'),
  }),
  dmxapiNetwork: (): ErrorText => ({
    title: 'DMXAPI unreachable',
    description: 'A network error stopped the upload to DMXAPI.',
    hint: 'Try again in a few minutes.',
  }),
  dmxapiAudioTooLarge: (p: { maxBytes: number }): ErrorText => ({
    title: 'The speech is too large to post',
    description: `MiniMax sent more than ${formatBytes(p.maxBytes)} of audio, more than one Discord attachment may hold, so it was not kept. The characters were probably billed.`,
    hint: 'Say it in shorter parts, or at a higher speed.',
  }),
};

export type DmxapiErrorTexts = typeof dmxapiErrorTexts;
