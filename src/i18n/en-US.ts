import type { DurationLimit } from '../domain/limits.ts';
import type { Purpose } from '../domain/purposes.ts';
import { formatBytes, formatLimitSeconds, formatMeasuredSeconds } from './format.ts';

/** What a failure reply says: what was wrong (with the measured value and the limit) and what to do. */
export interface ErrorText {
  readonly title: string;
  readonly description: string;
  readonly hint: string;
}

const durationRule = (limit: DurationLimit): string => {
  const max = formatLimitSeconds(limit.maxSeconds);
  if (limit.maxExclusive) {
    return limit.minSeconds > 0
      ? `at least ${formatLimitSeconds(limit.minSeconds)} and shorter than ${max}`
      : `shorter than ${max}`;
  }
  return limit.minSeconds > 0 ? `${formatLimitSeconds(limit.minSeconds)} to ${max}` : `at most ${max}`;
};

const askOperator = (setting: string): string =>
  `This is a problem with the bot's setup, not your file: ask whoever runs the bot to check \`${setting}\`.`;

/** Meanings of MiniMax's `base_resp.status_code`, from shared/reference/dmxapi.md. */
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

/** Meanings of the gateway's HTTP statuses, from shared/reference/dmxapi.md. */
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

export const enUS = {
  purposes: {
    voice_clone: 'Voice to clone',
    prompt_audio: 'Prompt clip',
  } satisfies Record<Purpose, string>,

  progress: {
    title: 'Uploading voice sample',
    queued: (position: number) =>
      `All upload slots are busy. Yours is number ${position} in the queue and starts by itself.`,
    downloading: (received: number, total: number | undefined) =>
      total && total > 0
        ? `Downloading… ${formatBytes(received)} of ${formatBytes(total)} (${Math.min(100, Math.floor((received / total) * 100))}%)`
        : `Downloading… ${formatBytes(received)}`,
    checking: (bytes: number) => `Checking the audio (${formatBytes(bytes)})…`,
    uploading: (bytes: number) => `Uploading ${formatBytes(bytes)} to DMXAPI…`,
  },

  success: {
    title: 'Voice sample uploaded',
    description: (purposeName: string) =>
      `Copy the file_id below. It is the ${purposeName.toLowerCase()} handle for the clone step.`,
    fileId: 'file_id',
    purpose: 'Purpose',
    file: 'File',
    size: 'Size',
    created: 'Created',
    audio: 'Audio',
    usage: 'Token usage',
    sizeValue: (bytes: number) => `${formatBytes(bytes)} (${bytes.toLocaleString('en-US')} bytes)`,
    audioValue: (a: { format: string; duration: string; sampleRate?: number; channels?: number }) =>
      [
        a.format.toUpperCase(),
        a.duration,
        a.sampleRate ? `${a.sampleRate.toLocaleString('en-US')} Hz` : undefined,
        a.channels
          ? a.channels === 1
            ? 'mono'
            : a.channels === 2
              ? 'stereo'
              : `${a.channels} channels`
          : undefined,
      ]
        .filter(Boolean)
        .join(' · '),
    usageValue: (u: { total: string; input: string; output: string }) =>
      `${u.total} total · ${u.input} input · ${u.output} output`,
    uploadedBy: (user: string) => `Uploaded by ${user}`,
  },

  history: {
    title: 'Uploaded voice samples',
    empty: 'No uploads match. Upload one with `/upload`.',
    footer: (page: number, pages: number, total: number) =>
      `Page ${page} of ${pages} · ${total.toLocaleString('en-US')} upload${total === 1 ? '' : 's'}`,
    by: (name: string) => `by ${name}`,
    jump: 'message',
    previous: 'Previous',
    next: 'Next',
    earlierMessage: 'Where it was posted',
  },

  messagePrompt: {
    title: 'Upload voice sample',
    description: (fileName: string, count: number) =>
      count > 1
        ? `Upload **${fileName}**? Pick another of the ${count} audio files below if you meant that one, then choose what it is for.`
        : `Upload **${fileName}**? Choose what it is for.`,
    pick: 'Which attachment',
    purposeButton: { voice_clone: 'Voice to clone', prompt_audio: 'Prompt clip (< 8 s)' } satisfies Record<
      Purpose,
      string
    >,
    expired: 'This prompt expired. Use "Upload voice sample" on the message again.',
    postedReply: 'Done: the file_id is posted as a reply to the sample.',
    postedHere: 'Done: the bot may not reply to that message, so the file_id is posted here in the channel.',
  },

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

  errors: {
    declaredSizeTooLarge: (p: { fileName: string; bytes: number; maxBytes: number }): ErrorText => ({
      title: 'File too large',
      description: `**${p.fileName}** is ${formatBytes(p.bytes)}; the limit is ${formatBytes(p.maxBytes)}.`,
      hint: 'Trim it, or export it as mono MP3 (5 minutes at 128 kbps is about 4.6 MiB), then upload it again.',
    }),
    downloadTooLarge: (p: { fileName: string; receivedBytes: number; maxBytes: number }): ErrorText => ({
      title: 'File too large',
      description: `While downloading **${p.fileName}**, it passed the ${formatBytes(p.maxBytes)} limit (stopped at ${formatBytes(p.receivedBytes)}), although Discord declared it smaller.`,
      hint: 'Trim it or export it at a lower bitrate, then upload it again.',
    }),
    hostNotAllowed: (p: { host: string }): ErrorText => ({
      title: 'Attachment host not allowed',
      description: `The attachment is served from \`${p.host}\`, which is not an allowed host (Discord attachments).`,
      hint: 'Attach the file directly in Discord rather than linking to it from elsewhere.',
    }),
    insecureUrl: (p: { host: string }): ErrorText => ({
      title: 'Attachment link refused',
      description: `The attachment link to \`${p.host}\` is not https.`,
      hint: 'Attach the file directly in Discord.',
    }),
    invalidUrl: (): ErrorText => ({
      title: 'Attachment link refused',
      description: 'The attachment link is not a valid URL.',
      hint: 'Attach the file again.',
    }),
    downloadStatus: (p: { fileName: string; status: number }): ErrorText => ({
      title: 'Download failed',
      description: `Discord's CDN answered HTTP ${p.status} when downloading **${p.fileName}**.`,
      hint:
        p.status === 404 || p.status === 403 || p.status === 410
          ? 'The attachment was deleted or its link expired: attach the file again.'
          : 'Try again in a moment.',
    }),
    downloadTimeout: (p: { fileName: string; timeoutMs: number; receivedBytes: number }): ErrorText => ({
      title: 'Download timed out',
      description: `Downloading **${p.fileName}** took longer than ${formatLimitSeconds(p.timeoutMs / 1000)} (${formatBytes(p.receivedBytes)} received).`,
      hint: 'Try again in a moment.',
    }),
    downloadFailed: (p: { fileName: string }): ErrorText => ({
      title: 'Download failed',
      description: `**${p.fileName}** could not be downloaded from Discord because of a network error.`,
      hint: 'Try again in a moment.',
    }),
    empty: (p: { fileName: string }): ErrorText => ({
      title: 'Empty file',
      description: `**${p.fileName}** is empty (0 bytes).`,
      hint: 'Export the recording again and attach the new file.',
    }),
    unsupportedFormat: (p: { fileName: string; detected: string | undefined }): ErrorText => ({
      title: 'Not a supported audio format',
      description: p.detected
        ? `**${p.fileName}** is ${p.detected}, not MP3, M4A or WAV.`
        : `**${p.fileName}** is not audio this bot can read: its content is not MP3, M4A or WAV.`,
      hint: 'Convert it to MP3, M4A or WAV (for example `ffmpeg -i input output.mp3`). Renaming a file does not change its format.',
    }),
    truncated: (p: { fileName: string; format: string }): ErrorText => ({
      title: 'File is cut off',
      description: `**${p.fileName}** is a ${p.format.toUpperCase()} file that ends before the audio its header describes.`,
      hint: 'Export or download the recording again in full, then attach it.',
    }),
    unreadable: (p: { fileName: string; format: string }): ErrorText => ({
      title: 'File is damaged',
      description: `**${p.fileName}** looks like ${p.format.toUpperCase()} but could not be read.`,
      hint: 'Check that it plays, export it again, and attach the new file.',
    }),
    noDuration: (p: { fileName: string; format: string }): ErrorText => ({
      title: 'Length unknown',
      description: `The length of **${p.fileName}** (${p.format.toUpperCase()}) could not be measured.`,
      hint: 'Export it again as WAV or MP3 and attach the new file.',
    }),
    durationOutOfRange: (p: {
      fileName: string;
      purpose: Purpose;
      measured: string;
      rule: string;
      tooShort: boolean;
    }): ErrorText => ({
      title: p.tooShort ? 'Audio too short' : 'Audio too long',
      description: `**${p.fileName}** is ${p.measured} long; ${p.purpose} needs ${p.rule}.`,
      hint: p.tooShort
        ? 'Record more speech, or join several takes, then upload it again.'
        : 'Trim it to fit, then upload it again.',
    }),
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
    guildOnly: (): ErrorText => ({
      title: 'Servers only',
      description: 'This command works in a server channel, not in direct messages.',
      hint: 'Run it in a channel of a server the bot is in.',
    }),
    unknownCommand: (p: { name: string }): ErrorText => ({
      title: 'Unknown command',
      description: `This bot has no command called \`${p.name}\`; its command list is out of date.`,
      hint: askOperator('npm run register'),
    }),
    shuttingDown: (): ErrorText => ({
      title: 'Bot is restarting',
      description: 'The bot is restarting and is not taking new uploads right now.',
      hint: 'Try again in a minute.',
    }),
    cutOffByShutdown: (): ErrorText => ({
      title: 'Upload cut off',
      description: 'The bot restarted before this upload finished, so no file_id was received.',
      hint: 'Upload the file again.',
    }),
    accessDirectMessage: (): ErrorText => ({
      title: 'Servers only',
      description: 'This bot works in server channels, not in direct messages.',
      hint: 'Run the command in a channel of a server the bot is in.',
    }),
    accessGuild: (): ErrorText => ({
      title: 'Not enabled here',
      description: "This server is not one the bot's operator allows to upload with the team's key.",
      hint: 'Ask whoever runs the bot to add this server to `ALLOWED_GUILD_IDS`.',
    }),
    accessRole: (): ErrorText => ({
      title: 'Missing role',
      description:
        "Uploading with the team's key is limited to members with an allowed role, and you have none of them.",
      hint: 'Ask a server admin for an allowed role, or ask whoever runs the bot to check `ALLOWED_ROLE_IDS`.',
    }),
    cooldown: (p: { retryAt: string }): ErrorText => ({
      title: 'Slow down',
      description: 'You started an upload a moment ago; each member waits a short while between uploads.',
      hint: `You can upload again ${p.retryAt}.`,
    }),
    dailyLimit: (p: { limit: number; retryAt: string }): ErrorText => ({
      title: 'Daily upload limit reached',
      description: `You have uploaded ${p.limit} samples in the last 24 hours, the most one member may.`,
      hint: `You can upload again ${p.retryAt}.`,
    }),
    alreadyUploaded: (p: {
      fileName: string;
      purpose: string;
      uploader: string;
      when: string;
      fileId: string;
    }): ErrorText => ({
      title: 'Already uploaded',
      description: `This exact audio was already uploaded here as \`${p.purpose}\` by **${p.uploader}** ${p.when}, so the key was not spent again. Its file_id:\n\`\`\`\n${p.fileId}\n\`\`\``,
      hint: 'Use this file_id. To upload the file again anyway, run `/upload` with `force: True`.',
    }),
    noAudioAttachment: (p: { count: number }): ErrorText => ({
      title: 'No audio to upload',
      description:
        p.count === 0
          ? 'That message has no attachments.'
          : `None of that message's ${p.count} attachment${p.count === 1 ? ' is' : 's are'} audio.`,
      hint: 'Use "Upload voice sample" on a message with an MP3, M4A or WAV file attached.',
    }),
    internal: (p: { reference: string }): ErrorText => ({
      title: 'Something went wrong',
      description: `The bot hit an unexpected error (reference \`${p.reference}\`).`,
      hint: 'Try again; if it keeps happening, tell whoever runs the bot and give them the reference.',
    }),
  },
};

export type Catalogue = typeof enUS;
