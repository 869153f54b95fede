import type { Purpose } from '../../domain/purposes.ts';
import type { StructureLimitName } from '../../pipeline/errors.ts';
import type { NotAudioKind } from '../../pipeline/not-audio.ts';
import type { ErrorText } from '../error-text.ts';
import { formatBytes, formatLimitSeconds, formatMeasuredSeconds } from '../format.ts';
import { askOperator } from './common.ts';
import { ACCEPTED_FORMATS } from './convert.ts';

/** What a damaged file claims and what it holds, in seconds. */
export interface Lengths {
  readonly claimedSeconds: number;
  readonly foundSeconds: number;
}

const notAudioNames: Readonly<Record<Exclude<NotAudioKind, 'video_without_audio'>, string>> = {
  jpeg: 'a JPEG image',
  png: 'a PNG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  heif: 'a HEIF/HEIC or AVIF image',
  pdf: 'a PDF document',
  zip: 'a ZIP archive',
  docx: 'a Word document',
  xlsx: 'an Excel workbook',
  pptx: 'a PowerPoint presentation',
  opendocument: 'an OpenDocument file',
};

const structureNames: Readonly<Record<StructureLimitName, string>> = {
  mp4_box_depth: 'MP4 boxes nested to a depth',
  mp4_box_count: 'a number of MP4 boxes',
  id3_frame_count: 'a number of ID3 tag frames',
  ape_item_count: 'a number of APE tag items',
  riff_chunk_count: 'a number of RIFF chunks',
};

/** Refusals of a file, a link or a member, and the bot's own failures; DMXAPI's are in dmxapi.ts. */
export const errorTexts = {
  declaredSizeTooLarge: (p: { fileName: string; bytes: number; maxBytes: number }): ErrorText => ({
    title: 'File too large',
    description: `**${p.fileName}** is ${formatBytes(p.bytes)}; the limit is ${formatBytes(p.maxBytes)}.`,
    hint: 'Trim it, or export it as mono MP3 or Ogg (5 minutes at 128 kbps is about 4.6 MiB), then upload it again.',
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
      ? `**${p.fileName}** is ${p.detected}, which this bot cannot take.`
      : `**${p.fileName}** is not audio this bot can read.`,
    hint: `Accepted: ${ACCEPTED_FORMATS}. Convert it to one of them (for example \`ffmpeg -i input output.mp3\`); renaming a file does not change its format.`,
  }),
  truncated: (p: { fileName: string; format: string; lengths: Lengths | undefined }): ErrorText => ({
    title: 'File is cut off',
    description: `**${p.fileName}** is a ${p.format.toUpperCase()} file that ends before the audio its header describes${
      p.lengths
        ? `: it holds ${formatMeasuredSeconds(p.lengths.foundSeconds)} of the ${formatMeasuredSeconds(p.lengths.claimedSeconds)} it states`
        : ''
    }.`,
    hint: 'Export or download the recording again in full, then attach it.',
  }),
  lengthMismatch: (p: { fileName: string; format: string; lengths: Lengths | undefined }): ErrorText => ({
    title: 'File is damaged',
    description: `**${p.fileName}** (${p.format.toUpperCase()}) ${
      p.lengths
        ? `should hold ${formatMeasuredSeconds(p.lengths.claimedSeconds)} of audio, going by its header or its size, but holds ${formatMeasuredSeconds(p.lengths.foundSeconds)}`
        : 'holds much less audio than its header or its size promises'
    }.`,
    hint: 'Check that it plays to the end, export it again, and attach the new file.',
  }),
  unreadable: (p: { fileName: string; format: string }): ErrorText => ({
    title: 'File is damaged',
    description: `**${p.fileName}** looks like ${p.format.toUpperCase()} but could not be read.`,
    hint: 'Check that it plays, export it again, and attach the new file.',
  }),
  notAudio: (p: { fileName: string; what: NotAudioKind }): ErrorText =>
    p.what === 'video_without_audio'
      ? {
          title: 'No sound in this video',
          description: `**${p.fileName}** is a video with no sound track: there is no voice in it to use.`,
          hint: 'Record again with the microphone on, or attach the audio recording itself.',
        }
      : {
          title: 'Not an audio file',
          description: `**${p.fileName}** is ${notAudioNames[p.what]}, not audio.`,
          hint: 'Attach the recording itself. Renaming a file does not change what it is.',
        },
  tooComplex: (p: {
    fileName: string;
    reason: 'timeout' | 'memory' | 'structure';
    timeoutMs: number | undefined;
    structure: { what: StructureLimitName; found: number; limit: number } | undefined;
  }): ErrorText => ({
    title: 'File is malformed or too complex to read',
    description: `**${p.fileName}**: this file is malformed or too complex to read. ${
      p.structure
        ? `It has ${structureNames[p.structure.what]} of ${p.structure.found}${p.structure.found > p.structure.limit ? ' or more' : ''}; the limit is ${p.structure.limit}.`
        : p.reason === 'timeout' && p.timeoutMs !== undefined
          ? `Reading it took longer than ${formatLimitSeconds(p.timeoutMs / 1000)}, the limit.`
          : 'Reading it needed more memory than the bot allows one file.'
    }`,
    hint: 'Export the recording again from your audio app (plain MP3, M4A or WAV) and attach the new file.',
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
  guildOnly: (): ErrorText => ({
    title: 'Servers only',
    description: 'This command works in a server channel, not in direct messages.',
    hint: 'Run it in a channel of a server the bot is in.',
  }),
  searchExpired: (): ErrorText => ({
    title: 'List expired',
    description:
      'The search behind this list is no longer kept: lists are kept for 30 days after they were last used.',
    hint: 'Run `/uploads` again with the same filters.',
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
  queueFull: (p: { waiting: number }): ErrorText => ({
    title: 'Upload queue is full',
    description: `${p.waiting} uploads are waiting for a free slot already, the most the queue holds, so this one was not queued and nothing was spent.`,
    hint: 'Run the command again in a few minutes.',
  }),
  startedTooLate: (p: { waited: string }): ErrorText => ({
    title: 'Upload did not start',
    description: `It waited ${p.waited} for a free slot. Discord lets the bot answer a command for 15 minutes only, and the upload could no longer finish in that time, so it did not start and nothing was spent.`,
    hint: 'Run the command again.',
  }),
  notStartedByShutdown: (): ErrorText => ({
    title: 'Bot is restarting',
    description:
      'The bot is restarting, so this request, still waiting its turn, did not start and nothing was spent.',
    hint: 'Run the command again in a minute.',
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
  dailyLimit: (p: { limit: number; running: number; retryAt: string }): ErrorText => ({
    title: 'Daily upload limit reached',
    description:
      p.running === 0
        ? `You have uploaded ${p.limit} samples in the last 24 hours, the most one member may.`
        : `Your uploads of the last 24 hours, ${p.running} of them still running, reach the limit of ${p.limit} per member.`,
    hint:
      p.running === 0
        ? `You can upload again ${p.retryAt}.`
        : `If one of those still running fails, you can upload again at once; otherwise ${p.retryAt}.`,
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
  uploadedPrivatelyBefore: (): ErrorText => ({
    title: 'Uploaded privately before',
    description:
      'This exact audio was already uploaded here for the same purpose by another member, who kept the result private, so the key was not spent again.',
    hint: 'Ask them for the file_id, or run `/upload` with `force: True` to upload your own copy.',
  }),
  noAudioAttachment: (p: { count: number }): ErrorText => ({
    title: 'No audio to upload',
    description:
      p.count === 0
        ? 'That message has no attachments.'
        : `None of that message's ${p.count} attachment${p.count === 1 ? ' is' : 's are'} audio.`,
    hint: `Use "Upload voice sample" on a voice message, or on a message with a recording attached (${ACCEPTED_FORMATS}).`,
  }),
  internal: (p: { reference: string }): ErrorText => ({
    title: 'Something went wrong',
    description: `The bot hit an unexpected error (reference \`${p.reference}\`).`,
    hint: 'Try again; if it keeps happening, tell whoever runs the bot and give them the reference.',
  }),
};

export type ErrorTexts = typeof errorTexts;
