import type { ErrorText } from '../error-text.ts';
import { formatBytes, formatLimitSeconds, formatMeasuredSeconds } from '../format.ts';

/** Every format the bot takes, for replies, hints and command descriptions. */
export const ACCEPTED_FORMATS =
  'MP3, M4A, WAV, Ogg (Opus or Vorbis, Discord voice messages included), FLAC and WebM; where ffmpeg is installed also MP4/MOV video, AAC, AIFF and more';

const kHz = (rate: number): string => `${rate / 1000} kHz`;

/** Converting what was posted into the WAV that is sent: progress, the success line and refusals. */
export const convertTexts = {
  acceptedFormats: ACCEPTED_FORMATS,
  converting: (from: string) => `Converting ${from} to WAV…`,
  convertedLabel: 'Converted',
  /** "Ogg Opus voice message → WAV 24 kHz mono (13.7 MiB)" */
  convertedValue: (c: { from: string; voiceMessage: boolean; sampleRate: number; bytes: number }) =>
    `${c.from}${c.voiceMessage ? ' voice message' : ''} → WAV ${kHz(c.sampleRate)} mono (${formatBytes(c.bytes)})`,
  voiceMessage: 'voice message',
};

const exportAgain = 'Check that it plays, export it again (MP3, WAV or FLAC), and attach the new file.';

/** Refusals found while converting. */
export const convertErrorTexts = {
  convertUnavailable: (p: { fileName: string; format: string }): ErrorText => ({
    title: 'This format needs ffmpeg',
    description: `**${p.fileName}** is ${p.format}. Converting it needs ffmpeg, which is not installed where this bot runs.`,
    hint: `Ask whoever runs the bot to install ffmpeg (Debian/Ubuntu: \`apt-get install ffmpeg\`; the Docker image has it) or to set \`FFMPEG_PATH\`. Meanwhile, post it as MP3, M4A, WAV, Ogg, FLAC or WebM.`,
  }),
  noAudioTrack: (p: { fileName: string; format: string }): ErrorText => ({
    title: 'No sound in this file',
    description: `**${p.fileName}** (${p.format}) has no audio track.`,
    hint: 'Attach a recording with sound (a video of someone speaking needs its sound track).',
  }),
  noAudioDecoded: (p: { fileName: string; format: string }): ErrorText => ({
    title: 'No audio could be decoded',
    description: `**${p.fileName}** looks like ${p.format}, but decoding it gave no audio at all.`,
    hint: exportAgain,
  }),
  silent: (p: { fileName: string; format: string; peakDbfs: number; thresholdDbfs: number }): ErrorText => ({
    title: 'Only silence',
    description: `**${p.fileName}** (${p.format}) is silent: its loudest sample is ${Number.isFinite(p.peakDbfs) ? `${p.peakDbfs.toFixed(1)} dBFS` : 'zero'}, and anything below ${p.thresholdDbfs} dBFS counts as silence. A voice cannot be cloned from it.`,
    hint: 'Check that the microphone was on and record again.',
  }),
  decodedLengthMismatch: (p: {
    fileName: string;
    format: string;
    statedSeconds: number;
    decodedSeconds: number;
    atLeast: boolean;
  }): ErrorText =>
    p.decodedSeconds < p.statedSeconds
      ? {
          title: 'File is cut off or damaged',
          description: `**${p.fileName}** (${p.format}) says it is ${formatMeasuredSeconds(p.statedSeconds)} long, but only ${formatMeasuredSeconds(p.decodedSeconds)} of audio could be decoded.`,
          hint: 'Export or download the recording again in full, then attach it.',
        }
      : {
          title: 'File holds more than it says',
          description: `**${p.fileName}** (${p.format}) says it is ${formatMeasuredSeconds(p.statedSeconds)} long, but holds ${p.atLeast ? 'more than ' : ''}${formatMeasuredSeconds(p.decodedSeconds)} of audio (a second recording hidden behind the first, for example).`,
          hint: 'Export the recording again as one plain file and attach that.',
        },
  tooLong: (p: {
    fileName: string;
    format: string;
    seconds: number;
    atLeast: boolean;
    maxSeconds: number;
  }): ErrorText => ({
    title: 'Audio too long',
    description: `**${p.fileName}** (${p.format}) lasts ${p.atLeast ? 'more than ' : ''}${formatMeasuredSeconds(p.seconds)}; this purpose takes at most ${formatLimitSeconds(p.maxSeconds)}.`,
    hint: 'Trim it to fit, then upload it again.',
  }),
  convertedTooLarge: (p: {
    fileName: string;
    seconds: number;
    lowestRate: number;
    bytes: number;
    maxBytes: number;
  }): ErrorText => ({
    title: 'Too long to send',
    description: `Even as mono 16-bit WAV at ${kHz(p.lowestRate)}, **${p.fileName}** (${formatMeasuredSeconds(p.seconds)}) would be ${formatBytes(p.bytes)}; the limit is ${formatBytes(p.maxBytes)}.`,
    hint: 'Trim it, then upload it again.',
  }),
  conversionFailed: (p: {
    fileName: string;
    format: string;
    reason: 'unreadable' | 'timeout' | 'memory';
    timeoutMs: number | undefined;
  }): ErrorText => ({
    title: 'Could not convert the file',
    description:
      p.reason === 'timeout' && p.timeoutMs !== undefined
        ? `Converting **${p.fileName}** (${p.format}) took longer than ${formatLimitSeconds(p.timeoutMs / 1000)}, the limit.`
        : p.reason === 'memory'
          ? `Converting **${p.fileName}** (${p.format}) needed more memory than the bot allows one file.`
          : `ffmpeg could not read **${p.fileName}** as ${p.format}: it is damaged or not what it seems.`,
    hint: exportAgain,
  }),
};

export type ConvertTexts = typeof convertTexts;
export type ConvertErrorTexts = typeof convertErrorTexts;
