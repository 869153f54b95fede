import type { VoiceIdRule } from '../../domain/voice-id.ts';
import type { PreviewFailure } from '../../pipeline/errors.ts';
import type { ErrorText } from '../error-text.ts';
import { askOperator } from './common.ts';

const voiceIdRules: Readonly<Record<VoiceIdRule, string>> = {
  length: 'it must be 8 to 256 characters long',
  first_character: 'it must begin with an ASCII letter (A–Z or a–z)',
  characters: 'it may hold only ASCII letters, digits, `-` and `_`',
  last_character: 'it may not end in `-` or `_`',
};

const previewFailures = (status: number | undefined): Readonly<Record<PreviewFailure, string>> => ({
  invalid_url: 'the link MiniMax gave is not a URL',
  host_not_allowed: 'the link points to a host that is not an allowed audio host',
  insecure_protocol: 'the link is not https',
  http_status: `the host answered HTTP ${status ?? '?'}`,
  too_large: 'it is larger than an attachment may be',
  timeout: 'the host did not answer in time',
  network: 'a network error stopped the download',
  not_mp3: 'what came back is not an mp3',
});

const pickAnother = (suggestion: string | undefined) =>
  suggestion === undefined ? 'Pick another voice_id.' : `Pick another, for example \`${suggestion}\`.`;

/** The ways a clone fails, before sending (our checks) or as MiniMax refuses it. */
export const cloneErrorTexts = {
  voiceIdInvalid: (p: { voiceId: string; rule: VoiceIdRule; suggestion: string | undefined }): ErrorText => ({
    title: 'That voice_id cannot be used',
    description: `MiniMax would refuse the voice_id ${p.voiceId}: ${voiceIdRules[p.rule]}. Nothing was sent.`,
    hint: pickAnother(p.suggestion),
  }),
  voiceIdTaken: (p: { voiceId: string; suggestion: string | undefined; byMinimax: boolean }): ErrorText => ({
    title: 'That voice_id is taken',
    description: p.byMinimax
      ? `MiniMax already has a voice called \`${p.voiceId}\` (status 2039). A voice_id can be used only once, even after its voice is deleted.`
      : `This bot already cloned a voice called \`${p.voiceId}\`, so MiniMax would refuse it. Nothing was sent.`,
    hint: pickAnother(p.suggestion),
  }),
  sampleOrVoiceIdInvalid: (): ErrorText => ({
    title: 'MiniMax refused the sample or the voice_id',
    description:
      'MiniMax said the sample or the voice_id is invalid (status 20132): the file_id may be unknown to this account or not a `voice_clone` upload.',
    hint: 'Pick the sample from the list (uploads made for cloning) rather than typing its id, and check the voice_id.',
  }),
  speechTextMismatch: (): ErrorText => ({
    title: 'MiniMax could not match the recording to its words',
    description: "MiniMax's check that the speech in the recording matches its text failed (status 1043).",
    hint: 'Use a clean recording with one clear speaker and no music, then try again.',
  }),
  promptTextMismatch: (): ErrorText => ({
    title: 'The prompt clip does not say the prompt text',
    description: 'MiniMax found that the prompt clip does not say what `prompt_text` says (status 1044).',
    hint: 'Type exactly the words spoken in the prompt clip, or clone without a prompt.',
  }),
  sampleSensitive: (): ErrorText => ({
    title: 'MiniMax refused the sample',
    description: "MiniMax's content check flagged the sample as sensitive (status 1026). Nothing was cloned.",
    hint: 'Use a different recording.',
  }),
  cloningNotEnabled: (): ErrorText => ({
    title: 'Cloning is not enabled for this account',
    description: 'MiniMax said voice cloning is not enabled for the DMXAPI/MiniMax account (status 2038).',
    hint: 'The account owner must complete real-name verification to enable cloning. Until then no clone can succeed.',
  }),
  promptTooLong: (): ErrorText => ({
    title: 'The prompt clip is too long',
    description: 'MiniMax refused the prompt clip because it is 8 s or longer (status 2048).',
    hint: 'Upload a prompt clip shorter than 8 s, or clone without a prompt.',
  }),
  sampleDuration: (): ErrorText => ({
    title: 'The sample is too short or too long',
    description: 'MiniMax refused the sample: it needs 10 s to 5 min of speech (status 2037).',
    hint: 'Upload a recording of 10 s to 5 min and clone from it.',
  }),
  invalidRequestValue: (p: { field: string }): ErrorText => ({
    title: 'A value DMXAPI cannot take',
    description: `\`${p.field}\` is not a value DMXAPI accepts (a file_id must be digits within 64 bits). Nothing was sent.`,
    hint: 'Pick the value from the list the command offers.',
  }),
  cloneNotAllowed: (p: { uploaderName: string | undefined; which: 'sample' | 'prompt' }): ErrorText => {
    const what = p.which === 'sample' ? 'sample' : 'prompt clip';
    if (p.uploaderName === undefined) {
      return {
        title: 'Only a server manager may clone from this file',
        description: `The bot did not upload this ${what}, so it cannot tell whose voice it is: only a member with Manage Server may clone from a file uploaded elsewhere.`,
        hint: 'Upload the recording here first, or ask a server manager to run the clone.',
      };
    }
    return {
      title: 'Only the uploader may clone this voice',
      description: `A voice is a person's voice: only ${p.uploaderName}, who uploaded this ${what}, or a member with Manage Server may clone from it.`,
      hint: `Ask ${p.uploaderName} or a server manager to run the clone.`,
    };
  },
  wrongSamplePurpose: (p: { fileId: string; expected: string; actual: string }): ErrorText => ({
    title: p.expected === 'voice_clone' ? 'That upload is not a sample' : 'That upload is not a prompt clip',
    description: `The file \`${p.fileId}\` was uploaded as \`${p.actual}\`; this needs a \`${p.expected}\` upload. Nothing was sent.`,
    hint: 'Pick it from the list, which shows only uploads of the right kind.',
  }),
  promptIncomplete: (p: { missing: 'prompt' | 'prompt_text' }): ErrorText => ({
    title: 'The prompt needs its clip and its text',
    description:
      p.missing === 'prompt_text'
        ? 'A prompt clip was given without `prompt_text`, exactly what it says. Nothing was sent.'
        : '`prompt_text` was given without a prompt clip. Nothing was sent.',
    hint: 'Give both `prompt` and `prompt_text`, or neither.',
  }),
  previewFailed: (p: { voiceId: string; reason: PreviewFailure; status: number | undefined }): ErrorText => ({
    title: 'Voice created, but its preview could not be fetched',
    description: `The voice \`${p.voiceId}\` exists. Its preview was not downloaded: ${previewFailures(p.status)[p.reason]}.`,
    hint:
      p.reason === 'host_not_allowed'
        ? `Use \`/say\` to hear the voice. ${askOperator('DMXAPI_AUDIO_HOSTS')}`
        : 'Use `/say` with this voice_id to hear it (which also keeps it from being deleted).',
  }),
};

export type CloneErrorTexts = typeof cloneErrorTexts;

/** /clone's replies, its progress, and the "Clone this voice" button and modal. */
export const cloneTexts = {
  clone: {
    lateResult: (member: string) =>
      `${member}, your voice was cloned, but the reply to your command could no longer be edited, so it is here.`,
    queued: (position: number) =>
      `Clones on the team's key are at their rate limit. Yours is number ${position} in line and starts by itself.`,
    cloning: (voiceId: string) => `Cloning \`${voiceId}\`…`,
    title: 'Voice cloned',
    description: (voiceId: string) => `The new voice_id, ready for \`/say\`:\n\`\`\`\n${voiceId}\n\`\`\``,
    sample: 'Sample',
    sampleValue: (p: { fileName: string; duration: string; link: string | undefined }) =>
      `${p.fileName} · ${p.duration}${p.link === undefined ? '' : ` · ${p.link}`}`,
    sampleTyped: (fileId: string) => `file_id \`${fileId}\` (not uploaded through this bot)`,
    jump: 'message',
    prompt: 'Prompt clip',
    promptUsed: (fileName: string) => `${fileName}, with its text`,
    promptNone: 'None',
    preview: 'Preview',
    previewAttached: 'Attached below: play it here.',
    previewNone: 'MiniMax made no preview for this voice. Use `/say` to hear it.',
    lifetime: 'Kept until',
    lifetimeValue: (p: { deadline: string; relative: string }) =>
      `${p.deadline} (${p.relative}) unless it is used: MiniMax deletes a voice not used for speech within 7 days.`,
    fee: 'The clone fee',
    feeValue:
      'MiniMax charges it at the first speech with this voice (`/say`), which also keeps the voice for good.',
    sensitive: "MiniMax's content check flagged the sample; the voice was still made.",
    notRecorded: 'The voice exists, but the bot could not write it to its records: note its voice_id.',
    clonedBy: (name: string) => `Cloned by ${name}`,
    cloneButton: 'Clone this voice',
    sayButton: 'Say something',
    modalTitle: 'Clone this voice',
    modalVoiceId: 'voice_id for the new voice',
    modalVoiceIdHint: '8–256 letters, digits, - or _; starts with a letter',
  },
};
