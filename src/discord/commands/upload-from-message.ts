import {
  ActionRowBuilder,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonBuilder,
  ButtonStyle,
  InteractionContextType,
  MessageFlags,
  StringSelectMenuBuilder,
  type Attachment,
  type ButtonInteraction,
  type Message,
  type MessageActionRowComponentBuilder,
  type MessageComponentInteraction,
} from 'discord.js';
import { catalogueFor, type Catalogue } from '../../i18n/index.ts';
import type { AudioLimits } from '../../domain/limits.ts';
import { suggestPurpose, type PurposeSuggestion } from '../../domain/purpose-suggestion.ts';
import { isPurpose, PURPOSES, type Purpose } from '../../domain/purposes.ts';
import { GuildOnlyError, NoAudioAttachmentError } from '../errors.ts';
import {
  NO_MENTIONS,
  progressEmbed,
  promptClosedEmbed,
  resultPostedEmbed,
  successEmbed,
  uploadPromptEmbed,
} from '../replies.ts';
import { answerDeadline, tokenAlive } from '../answer-window.ts';
import { postNextToSample } from '../post-result.ts';
import { runUploadWithProgress } from '../upload-flow.ts';
import { plainText } from '../safe-text.ts';
import { cloneButtonRow } from '../voice-work-replies.ts';
import type { MessageCommand } from './command.ts';

const PICK_ID = 'upload-message:pick';
const PURPOSE_ID_PREFIX = 'upload-message:purpose:';
/** What may hold a recording: audio, and the videos phones and browsers record speech in. */
const RECORDING_EXTENSIONS =
  /\.(mp3|m4a|wav|ogg|oga|opus|flac|webm|aac|aif|aiff|amr|caf|mp4|m4v|mov|3gp|3g2|mkv)$/i;

function isAudioAttachment(attachment: Attachment): boolean {
  const type = attachment.contentType ?? '';
  return type.startsWith('audio/') || type.startsWith('video/') || RECORDING_EXTENSIONS.test(attachment.name);
}

/** The prompt for `chosen`; `voiceMessage` when the target is a Discord voice message. */
function promptMessage(
  t: Catalogue,
  limits: AudioLimits,
  attachments: readonly Attachment[],
  chosen: Attachment,
  voiceMessage: boolean,
) {
  // Discord states a voice message's length (duration_secs): enough to suggest a purpose at once.
  const suggestion = suggestPurpose(chosen.duration, limits);
  const primary = suggestion ? suggestion.suggested : 'voice_clone';
  const rows: ActionRowBuilder<MessageActionRowComponentBuilder>[] = [];
  if (attachments.length > 1) {
    rows.push(
      new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
        new StringSelectMenuBuilder()
          .setCustomId(PICK_ID)
          .setPlaceholder(t.messagePrompt.pick)
          .addOptions(
            attachments.slice(0, 25).map((attachment) => ({
              label: plainText(attachment.name, 100, 100),
              value: attachment.id,
              default: attachment.id === chosen.id,
            })),
          ),
      ),
    );
  }
  rows.push(
    new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
      PURPOSES.map((purpose) =>
        new ButtonBuilder()
          .setCustomId(`${PURPOSE_ID_PREFIX}${purpose}`)
          .setLabel(
            t.messagePrompt.purposeButton(t.purposes[purpose], t.duration.rule(limits.duration[purpose])),
          )
          .setStyle(purpose === primary ? ButtonStyle.Primary : ButtonStyle.Secondary),
      ),
    ),
  );
  const note = suggestion && suggestionLine(t, suggestion, limits, voiceMessage);
  return {
    embeds: [uploadPromptEmbed(t, chosen.name, attachments.length, note)],
    components: rows,
    allowedMentions: NO_MENTIONS,
  };
}

function suggestionLine(
  t: Catalogue,
  suggestion: PurposeSuggestion,
  limits: AudioLimits,
  voiceMessage: boolean,
) {
  const duration = t.duration.measured(suggestion.seconds);
  if (suggestion.suggested) {
    return t.messagePrompt.suggestion({
      voiceMessage,
      duration,
      purposeName: t.purposes[suggestion.suggested],
      rule: t.duration.rule(limits.duration[suggestion.suggested]),
    });
  }
  const rules = PURPOSES.map((purpose) => ({
    name: t.purposes[purpose],
    rule: t.duration.rule(limits.duration[purpose]),
  }));
  return t.messagePrompt.fitsNeither({ voiceMessage, duration, rules });
}

/**
 * The member's next use of the prompt's components, or why there was none: the prompt's time ran
 * out, or the bot began to stop. (awaitMessageComponent can only time out.)
 */
function awaitChoice(
  prompt: Message,
  options: {
    readonly filter: (component: MessageComponentInteraction) => boolean;
    readonly time: number;
    readonly signal: AbortSignal;
  },
): Promise<MessageComponentInteraction | 'timeout' | 'stopping'> {
  return new Promise((resolve) => {
    const collector = prompt.createMessageComponentCollector({
      filter: options.filter,
      time: options.time,
      max: 1,
    });
    const stop = (): void => collector.stop('stopping');
    collector.once('end', (collected, reason) => {
      options.signal.removeEventListener('abort', stop);
      resolve(collected.first() ?? (reason === 'stopping' ? 'stopping' : 'timeout'));
    });
    if (options.signal.aborted) stop();
    else options.signal.addEventListener('abort', stop, { once: true });
  });
}

/** "Upload voice sample" on a message; its prompt states the limits the checks apply. */
export const uploadFromMessageCommand = (limits: AudioLimits): MessageCommand => ({
  data: {
    type: ApplicationCommandType.Message,
    name: 'Upload voice sample',
    name_localizations: { 'zh-CN': '上传语音样本' },
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  },

  async execute(interaction, context) {
    const answerBy = answerDeadline(interaction, context.answerWindow);
    const { logger } = context;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    if (!interaction.inGuild()) throw new GuildOnlyError();
    const t = catalogueFor(interaction.locale);
    const target = interaction.targetMessage;
    const attachments = [...target.attachments.values()].filter(isAudioAttachment);
    let chosen = attachments[0];
    if (!chosen) throw new NoAudioAttachmentError(target.attachments.size);

    // Ask which attachment (when there are several) and which purpose, on the ephemeral reply.
    const voiceMessage = target.flags.has(MessageFlags.IsVoiceMessage);
    const ask = (attachment: Attachment) => promptMessage(t, limits, attachments, attachment, voiceMessage);
    const prompt = await interaction.editReply(ask(chosen));
    let answer: { purpose: Purpose; button: ButtonInteraction } | undefined;
    while (!answer) {
      const component = await awaitChoice(prompt, {
        filter: (candidate) => candidate.user.id === interaction.user.id,
        time: context.promptTimeoutMs,
        // A shutdown must not wait minutes for a member who may never choose.
        signal: context.lifecycle.stoppingSignal,
      });
      if (component === 'timeout' || component === 'stopping') {
        await interaction.editReply({ embeds: [promptClosedEmbed(t, component)], components: [] });
        return;
      }
      if (component.isStringSelectMenu()) {
        chosen = attachments.find((attachment) => attachment.id === component.values[0]) ?? chosen;
        await component.update(ask(chosen));
      } else if (component.isButton()) {
        const picked = component.customId.slice(PURPOSE_ID_PREFIX.length);
        if (isPurpose(picked)) answer = { purpose: picked, button: component };
        else await component.deferUpdate();
      }
    }
    const { purpose, button } = answer;
    const attachment = chosen;
    context.subject.fileName = attachment.name;
    await button.update({
      embeds: [
        progressEmbed(t, attachment.name, purpose, {
          stage: 'downloading',
          receivedBytes: 0,
          totalBytes: attachment.size,
        }),
      ],
      components: [],
    });

    const outcome = await runUploadWithProgress(
      context,
      {
        guildId: interaction.guildId,
        channelId: target.channelId,
        userId: interaction.user.id,
        userName: interaction.user.username,
        messageUrl: target.url,
        attachment,
        purpose,
        force: false,
        // The result is posted next to the sample, for the whole channel.
        private: false,
        answerBy,
      },
      { t, edit: (message) => interaction.editReply(message) },
    );

    const result = {
      embeds: [
        successEmbed(t, attachment.name, purpose, outcome, interaction.user.username, { voiceMessage }),
      ],
      components: purpose === 'voice_clone' ? [cloneButtonRow(t, outcome.file.fileId)] : [],
      allowedMentions: NO_MENTIONS,
    };
    const posted = await postNextToSample(interaction, target, result, logger);
    // The result is out already; past the token's end the prompt can only stay as it is.
    if (tokenAlive(answerBy)) {
      await interaction
        .editReply({ embeds: [resultPostedEmbed(t, posted)], components: [] })
        .catch((error: unknown) => logger.warn({ err: error }, 'could not say where the result went'));
    }
    logger.debug({ posted }, 'result posted');
  },
});
