import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  MessageFlags,
} from 'discord.js';
import { catalogueFor } from '../../i18n/index.ts';
import { isPurpose } from '../../domain/purposes.ts';
import { GuildOnlyError } from '../errors.ts';
import { ThrottledEditor } from '../progress.ts';
import { NO_MENTIONS, progressEmbed, successEmbed, type ProgressState } from '../replies.ts';
import { runUploadJob } from '../upload-flow.ts';
import type { ChatInputCommand } from './command.ts';

/** Discord allows one edit a second or so per message before rate limiting. */
const PROGRESS_INTERVAL_MS = 1000;

export const uploadCommand: ChatInputCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'upload',
    name_localizations: { 'zh-CN': '上传' },
    description: 'Upload a voice sample to DMXAPI and get its file_id for voice cloning',
    description_localizations: { 'zh-CN': '将语音样本上传到 DMXAPI，获取用于音色克隆的 file_id' },
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'purpose',
        name_localizations: { 'zh-CN': '用途' },
        description: 'What the sample is for',
        description_localizations: { 'zh-CN': '样本的用途' },
        required: true,
        choices: [
          {
            name: 'Voice to clone: 10 s to 5 min (voice_clone)',
            name_localizations: { 'zh-CN': '要克隆的音色：10 秒至 5 分钟 (voice_clone)' },
            value: 'voice_clone',
          },
          {
            name: 'Prompt clip: shorter than 8 s (prompt_audio)',
            name_localizations: { 'zh-CN': '示例音频：短于 8 秒 (prompt_audio)' },
            value: 'prompt_audio',
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Attachment,
        name: 'audio',
        name_localizations: { 'zh-CN': '音频' },
        description: 'The recording: MP3, M4A or WAV, up to 20 MiB',
        description_localizations: { 'zh-CN': '录音文件：MP3、M4A 或 WAV，最大 20 MiB' },
        required: true,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'force',
        name_localizations: { 'zh-CN': '强制' },
        description: 'Upload even if this exact file was already uploaded for this purpose here',
        description_localizations: { 'zh-CN': '即使此文件已在本服务器以相同用途上传过，仍然上传' },
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'private',
        name_localizations: { 'zh-CN': '仅自己可见' },
        description: 'Show the result only to you (default: the whole channel sees it)',
        description_localizations: { 'zh-CN': '仅向你显示结果（默认整个频道可见）' },
      },
    ],
  },

  async execute(interaction, context) {
    const { logger } = context;
    const isPrivate = interaction.options.getBoolean('private') ?? false;
    const deferred = await interaction.deferReply({
      ...(isPrivate ? { flags: MessageFlags.Ephemeral } : {}),
      withResponse: true,
    });
    // The reply's own link is known from here on; an ephemeral one is no place to send the team back to.
    const replyUrl = isPrivate ? undefined : deferred.resource?.message?.url;

    if (!interaction.inGuild()) throw new GuildOnlyError();
    const purpose = interaction.options.getString('purpose', true);
    if (!isPurpose(purpose))
      throw new TypeError(`unknown purpose "${purpose}": commands need registering again`);
    const attachment = interaction.options.getAttachment('audio', true);
    const t = catalogueFor(interaction.locale);

    const progress = new ThrottledEditor<ProgressState>(
      (state) =>
        interaction.editReply({
          embeds: [progressEmbed(t, attachment.name, purpose, state)],
          allowedMentions: NO_MENTIONS,
        }),
      PROGRESS_INTERVAL_MS,
      (error) => logger.warn({ err: error }, 'progress edit failed'),
    );
    let outcome;
    try {
      outcome = await runUploadJob(context, {
        guildId: interaction.guildId,
        channelId: interaction.channelId,
        userId: interaction.user.id,
        userName: interaction.user.username,
        messageUrl: replyUrl,
        attachment,
        purpose,
        force: interaction.options.getBoolean('force') ?? false,
        onProgress: (state) => progress.update(state),
      });
    } finally {
      await progress.close();
    }

    await interaction.editReply({
      embeds: [successEmbed(t, attachment.name, purpose, outcome, interaction.user.username)],
      allowedMentions: NO_MENTIONS,
    });
  },
};
