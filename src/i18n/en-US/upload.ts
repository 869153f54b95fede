import { formatBytes } from '../format.ts';

/** The upload flow: progress, the success reply and the message menu's prompt. */
export const uploadTexts = {
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
    waitingForSameFile:
      'The same audio is being uploaded right now; waiting for its file_id instead of paying twice…',
  },

  success: {
    title: 'Voice sample uploaded',
    description: (purposeName: string) =>
      `Copy the file_id below. It is the ${purposeName.toLowerCase()} handle for the clone step.`,
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
    lateResult: (member: string) =>
      `${member}, your upload finished after Discord's 15 minutes for answering the command were over, so its result is here.`,
  },

  messagePrompt: {
    title: 'Upload voice sample',
    description: (fileName: string, count: number) =>
      count > 1
        ? `Upload **${fileName}**? Pick another of the ${count} audio files below if you meant that one, then choose what it is for.`
        : `Upload **${fileName}**? Choose what it is for.`,
    /** Under the question, when the length is known (Discord states a voice message's). */
    suggestion: (p: { voiceMessage: boolean; duration: string; purposeName: string; rule: string }) =>
      `This ${p.voiceMessage ? 'voice message' : 'recording'} lasts ${p.duration}, which fits **${p.purposeName}** (${p.rule}).`,
    fitsNeither: (p: {
      voiceMessage: boolean;
      duration: string;
      rules: readonly { name: string; rule: string }[];
    }) =>
      `This ${p.voiceMessage ? 'voice message' : 'recording'} lasts ${p.duration}, which fits neither purpose: ${p.rules.map((r) => `${r.name} needs ${r.rule}`).join('; ')}. It will be refused; trim it or record again.`,
    pick: 'Which attachment',
    /** A purpose button: its name and the length it takes, from the configured limits. */
    purposeButton: (purposeName: string, rule: string) => `${purposeName} (${rule})`,
    expired: 'This prompt expired. Use "Upload voice sample" on the message again.',
    restarted:
      'The bot restarted, so this prompt was closed. Use "Upload voice sample" on the message again.',
    postedReply: 'Done: the file_id is posted as a reply to the sample.',
    postedHere: 'Done: the bot may not reply to that message, so the file_id is posted here in the channel.',
    postedSampleGone: 'Done: the sample message was deleted, so the file_id is posted in its channel.',
  },
};

export type UploadTexts = typeof uploadTexts;
