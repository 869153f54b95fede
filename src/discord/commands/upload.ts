import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';
import { enUS } from '../../i18n/en-US/index.ts';
import { formatLimitBytes } from '../../i18n/format.ts';
import { catalogueFor } from '../../i18n/index.ts';
import { zhCN } from '../../i18n/zh-CN/index.ts';
import { isPurpose } from '../../domain/purposes.ts';
import { GuildOnlyError } from '../errors.ts';
import { answerDeadline } from '../answer-window.ts';
import { answerOrPostLate } from '../post-result.ts';
import { successEmbed } from '../replies.ts';
import { runUploadWithProgress } from '../upload-flow.ts';
import { cloneButtonRow } from '../voice-work-replies.ts';
import type { ChatInputCommand, CommandSettings } from './command.ts';
import { described, guildSlashCommand, purposeOption } from './definitions.ts';

/** `/upload`, its labels stating the limits the checks apply (from the configuration). */
export const uploadCommand = ({ limits, maxInputBytes }: CommandSettings): ChatInputCommand => ({
  data: guildSlashCommand(
    { en: 'upload', zh: '上传' },
    {
      en: 'Upload a voice sample to DMXAPI and get its file_id for voice cloning',
      zh: '将语音样本上传到 DMXAPI，获取用于音色克隆的 file_id',
    },
    [
      purposeOption({ en: 'What the sample is for', zh: '样本的用途' }, true, (purpose) => {
        const limit = limits.duration[purpose];
        return {
          en: `${enUS.purposes[purpose]}: ${enUS.duration.rule(limit)} (${purpose})`,
          zh: `${zhCN.purposes[purpose]}：${zhCN.duration.rule(limit)} (${purpose})`,
        };
      }),
      {
        type: ApplicationCommandOptionType.Attachment,
        ...described(
          { en: 'audio', zh: '音频' },
          {
            en: `The recording (MP3, M4A, WAV, Ogg, FLAC, WebM, MP4, AAC, AIFF), up to ${formatLimitBytes(maxInputBytes)}`,
            zh: `录音文件（MP3、M4A、WAV、Ogg、FLAC、WebM、MP4、AAC、AIFF），最大 ${formatLimitBytes(maxInputBytes, '字节')}`,
          },
        ),
        required: true,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        ...described(
          { en: 'force', zh: '强制' },
          {
            en: 'Upload even if this exact file was already uploaded for this purpose here',
            zh: '即使此文件已在本服务器以相同用途上传过，仍然上传',
          },
        ),
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        ...described(
          { en: 'private', zh: '仅自己可见' },
          {
            en: 'Show the result only to you (default: the whole channel sees it)',
            zh: '仅向你显示结果（默认整个频道可见）',
          },
        ),
      },
    ],
  ),

  async execute(interaction, context) {
    const answerBy = answerDeadline(interaction, context.answerWindow);
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

    const outcome = await runUploadWithProgress(
      context,
      {
        guildId: interaction.guildId,
        channelId: interaction.channelId,
        userId: interaction.user.id,
        userName: interaction.user.username,
        messageUrl: replyUrl,
        attachment,
        purpose,
        force: interaction.options.getBoolean('force') ?? false,
        private: isPrivate,
        answerBy,
      },
      { t, edit: (message) => interaction.editReply(message) },
    );

    await answerOrPostLate(
      interaction,
      answerBy,
      {
        embeds: [successEmbed(t, attachment.name, purpose, outcome, interaction.user.username)],
        // A sample the team can clone at once, without copying its id.
        components: purpose === 'voice_clone' ? [cloneButtonRow(t, outcome.file.fileId)] : [],
      },
      { isPrivate, text: t.success.lateResult },
      context.logger,
    );
  },
});
