import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  hyperlink,
  LabelBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  time,
  TimestampStyles,
  type APIEmbedField,
} from 'discord.js';
import { VOICE_ID_MAX_LENGTH, VOICE_ID_MIN_LENGTH } from '../domain/voice-id.ts';
import type { Catalogue } from '../i18n/index.ts';
import type { CloneOutcome, CloneProgress } from './clone-flow.ts';
import { Colors, displayFileName, NO_MENTIONS } from './replies.ts';
import { safeCode, safeText } from './safe-text.ts';
import type { SpeechOutcome, SpeechProgress } from './say-flow.ts';

/**
 * How /clone and /say look: their progress, results, buttons and modals. Custom ids carry only
 * short numbers (a file_id, a voice's record key), so every button fits Discord's 100 characters
 * and works after a restart.
 */
export const CLONE_BUTTON_PREFIX = 'clone:open:';
export const CLONE_MODAL_PREFIX = 'clone:modal:';
export const SAY_BUTTON_PREFIX = 'say:open:';
export const SAY_MODAL_PREFIX = 'say:modal:';
export const VOICE_ID_FIELD = 'voice_id';
export const SPEECH_TEXT_FIELD = 'text';

/** Graphemes of the spoken text shown: safeText's output stays within an embed description. */
const TEXT_SHOWN = 1000;

export function cloneProgressEmbed(t: Catalogue, voiceId: string, progress: CloneProgress) {
  return new EmbedBuilder()
    .setColor(Colors.progress)
    .setDescription(
      progress.stage === 'queued' ? t.clone.queued(progress.position) : t.clone.cloning(voiceId),
    );
}

export function speechProgressEmbed(t: Catalogue, voiceId: string, progress: SpeechProgress) {
  return new EmbedBuilder()
    .setColor(Colors.progress)
    .setDescription(
      progress.stage === 'queued'
        ? t.say.queued(progress.position)
        : t.say.speaking(displayFileName(voiceId)),
    );
}

/** The "Clone this voice" button under a `voice_clone` upload's result. */
export function cloneButtonRow(t: Catalogue, fileId: string) {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`${CLONE_BUTTON_PREFIX}${fileId}`)
      .setLabel(t.clone.cloneButton)
      .setStyle(ButtonStyle.Primary),
  );
}

export function cloneModal(t: Catalogue, fileId: string, suggestion: string) {
  return new ModalBuilder()
    .setCustomId(`${CLONE_MODAL_PREFIX}${fileId}`)
    .setTitle(t.clone.modalTitle)
    .addLabelComponents(
      new LabelBuilder()
        .setLabel(t.clone.modalVoiceId)
        .setDescription(t.clone.modalVoiceIdHint)
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(VOICE_ID_FIELD)
            .setStyle(TextInputStyle.Short)
            .setMinLength(VOICE_ID_MIN_LENGTH)
            .setMaxLength(VOICE_ID_MAX_LENGTH)
            .setValue(suggestion)
            .setRequired(true),
        ),
    );
}

export function sayModal(t: Catalogue, key: number, maxChars: number) {
  return new ModalBuilder()
    .setCustomId(`${SAY_MODAL_PREFIX}${key}`)
    .setTitle(t.say.modalTitle)
    .addLabelComponents(
      new LabelBuilder()
        .setLabel(t.say.modalText)
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(SPEECH_TEXT_FIELD)
            .setStyle(TextInputStyle.Paragraph)
            .setMinLength(1)
            .setMaxLength(maxChars)
            .setRequired(true),
        ),
    );
}

/** The clone's result: the voice_id to copy, where it came from, the preview, and its deadline. */
export function cloneResultMessage(t: Catalogue, outcome: CloneOutcome, clonerName: string) {
  const { voice, sample, prompt, preview, record } = outcome;
  const deadline = new Date(outcome.deadlineAt * 1000);
  const fields: APIEmbedField[] = [
    {
      name: t.clone.sample,
      value: sample
        ? t.clone.sampleValue({
            fileName: displayFileName(sample.fileName),
            duration: t.duration.measured(sample.durationSeconds),
            link: sample.messageUrl && hyperlink(t.clone.jump, sample.messageUrl),
          })
        : t.clone.sampleTyped(outcome.sampleFileId),
    },
    {
      name: t.clone.prompt,
      value: prompt
        ? t.clone.promptUsed(displayFileName(prompt.fileName))
        : outcome.promptFileId === undefined
          ? t.clone.promptNone
          : t.clone.promptUsed(`\`${outcome.promptFileId}\``),
      inline: true,
    },
    {
      name: t.clone.preview,
      value:
        preview.kind === 'attached'
          ? t.clone.previewAttached
          : preview.kind === 'none'
            ? t.clone.previewNone
            : t.errors.previewFailed({
                voiceId: voice.voiceId,
                reason: preview.error.reason,
                status: preview.error.status,
              }).description,
      inline: true,
    },
    {
      name: t.clone.lifetime,
      value: t.clone.lifetimeValue({
        deadline: time(deadline, TimestampStyles.FullDateShortTime),
        relative: time(deadline, TimestampStyles.RelativeTime),
      }),
    },
    { name: t.clone.fee, value: t.clone.feeValue },
  ];
  const notes = [
    voice.inputSensitive ? t.clone.sensitive : undefined,
    record ? undefined : t.clone.notRecorded,
  ];
  const embed = new EmbedBuilder()
    .setColor(Colors.success)
    .setTitle(t.clone.title)
    .setDescription([t.clone.description(voice.voiceId), ...notes.filter(Boolean)].join('\n'))
    .addFields(fields)
    .setFooter({ text: t.clone.clonedBy(clonerName) });
  const key = outcome.recordKey;
  return {
    embeds: [embed],
    files:
      preview.kind === 'attached'
        ? [new AttachmentBuilder(Buffer.from(preview.bytes), { name: `${voice.voiceId}-preview.mp3` })]
        : [],
    components:
      key === undefined
        ? []
        : [
            new ActionRowBuilder<ButtonBuilder>().addComponents(
              new ButtonBuilder()
                .setCustomId(`${SAY_BUTTON_PREFIX}${key}`)
                .setLabel(t.clone.sayButton)
                .setStyle(ButtonStyle.Primary),
            ),
          ],
    allowedMentions: NO_MENTIONS,
  };
}

/** The speech: the mp3 attached (named after the voice and the time), and what was said and billed. */
export function speechResultMessage(
  t: Catalogue,
  outcome: SpeechOutcome,
  text: string,
  request: { readonly requesterName: string; readonly limit: number; readonly at: Date },
) {
  const { speech, firstUse } = outcome;
  const embed = new EmbedBuilder()
    .setColor(Colors.success)
    .setTitle(t.say.title)
    .setDescription(safeText(text, TEXT_SHOWN))
    .addFields(
      { name: t.say.voice, value: `\`${safeCode(speech.voiceId, 256)}\``, inline: true },
      { name: t.say.duration, value: t.duration.measured(speech.durationMs / 1000), inline: true },
      {
        name: t.say.billed,
        value: t.say.billedValue({
          billed: speech.billedCharacters,
          usedToday: outcome.usedToday,
          limit: request.limit,
        }),
        inline: true,
      },
      ...(firstUse ? [{ name: '\u200b', value: t.say.firstUse }] : []),
    )
    .setFooter({ text: t.say.saidBy(request.requesterName) });
  return {
    embeds: [embed],
    files: [new AttachmentBuilder(speech.audio, { name: speechFileName(speech.voiceId, request.at) })],
    components: [],
    allowedMentions: NO_MENTIONS,
  };
}

/** `TeamAlice2026-20261201-143005.mp3`: characters a file name cannot hold become `_`. */
function speechFileName(voiceId: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replaceAll('-', '').replace('T', '-').replaceAll(':', '');
  return `${voiceId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}-${stamp}.mp3`;
}
