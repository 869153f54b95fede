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
  type MessageActionRowComponentBuilder,
} from 'discord.js';
import type { AudioLimits } from '../../domain/limits.ts';
import { catalogueFor, type Catalogue } from '../../i18n/index.ts';
import { isPurpose, PURPOSES, type Purpose } from '../../domain/purposes.ts';
import { GuildOnlyError, NoAudioAttachmentError } from '../errors.ts';
import {
  NO_MENTIONS,
  progressEmbed,
  promptExpiredEmbed,
  resultPostedEmbed,
  successEmbed,
  uploadPromptEmbed,
} from '../replies.ts';
import { postNextToSample } from '../post-result.ts';
import { runUploadWithProgress } from '../upload-flow.ts';
import { plainText } from '../safe-text.ts';
import type { MessageCommand } from './command.ts';

const PICK_ID = 'upload-message:pick';
const PURPOSE_ID_PREFIX = 'upload-message:purpose:';
const AUDIO_EXTENSIONS = /\.(mp3|m4a|wav|mp4|aac|ogg|oga|opus|flac|webm|amr)$/i;

function isAudioAttachment(attachment: Attachment): boolean {
  return (attachment.contentType?.startsWith('audio/') ?? false) || AUDIO_EXTENSIONS.test(attachment.name);
}

function promptMessage(
  t: Catalogue,
  limits: AudioLimits,
  attachments: readonly Attachment[],
  chosen: Attachment,
) {
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
          .setStyle(purpose === 'voice_clone' ? ButtonStyle.Primary : ButtonStyle.Secondary),
      ),
    ),
  );
  return {
    embeds: [uploadPromptEmbed(t, chosen.name, attachments.length)],
    components: rows,
    allowedMentions: NO_MENTIONS,
  };
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
    const { logger } = context;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    if (!interaction.inGuild()) throw new GuildOnlyError();
    const t = catalogueFor(interaction.locale);
    const target = interaction.targetMessage;
    const attachments = [...target.attachments.values()].filter(isAudioAttachment);
    let chosen = attachments[0];
    if (!chosen) throw new NoAudioAttachmentError(target.attachments.size);

    // Ask which attachment (when there are several) and which purpose, on the ephemeral reply.
    const prompt = await interaction.editReply(promptMessage(t, limits, attachments, chosen));
    let answer: { purpose: Purpose; button: ButtonInteraction } | undefined;
    while (!answer) {
      let component;
      try {
        component = await prompt.awaitMessageComponent({
          filter: (candidate) => candidate.user.id === interaction.user.id,
          time: context.promptTimeoutMs,
        });
      } catch {
        await interaction.editReply({
          embeds: [promptExpiredEmbed(t)],
          components: [],
        });
        return;
      }
      if (component.isStringSelectMenu()) {
        chosen = attachments.find((attachment) => attachment.id === component.values[0]) ?? chosen;
        await component.update(promptMessage(t, limits, attachments, chosen));
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
      },
      { t, edit: (message) => interaction.editReply(message) },
    );

    const result = {
      embeds: [successEmbed(t, attachment.name, purpose, outcome, interaction.user.username)],
      allowedMentions: NO_MENTIONS,
    };
    const posted = await postNextToSample(interaction, target, result, logger);
    await interaction.editReply({ embeds: [resultPostedEmbed(t, posted)], components: [] });
    logger.debug({ posted }, 'result posted');
  },
});
