import {
  ApplicationCommandOptionType,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { UploadRecord } from '../../history/upload-history.ts';
import { enUS } from '../../i18n/en-US/index.ts';
import { catalogueFor } from '../../i18n/index.ts';
import { zhCN } from '../../i18n/zh-CN/index.ts';
import {
  checkMayCloneFrom,
  runClone,
  suggestFreeVoiceId,
  type CloneProgress,
  type CloneRequest,
} from '../clone-flow.ts';
import { GuildOnlyError } from '../errors.ts';
import { managesServer, viewerOf } from '../history-viewer.ts';
import { deliverPaidResult, withProgress } from '../paid-work.ts';
import { plainText } from '../safe-text.ts';
import {
  CLONE_BUTTON_PREFIX,
  CLONE_MODAL_PREFIX,
  cloneModal,
  cloneProgressEmbed,
  cloneResultMessage,
  VOICE_ID_FIELD,
} from '../voice-work-replies.ts';
import type { ChatInputCommand, CommandContext, CommandSettings } from './command.ts';
import { described, guildSlashCommand, languageOption } from './definitions.ts';

const NO_LANGUAGE = 'none';

/** `/clone`, its prompt option stating the configured prompt clip length. */
export const cloneCommand = ({ limits }: CommandSettings): ChatInputCommand => ({
  data: guildSlashCommand(
    { en: 'clone', zh: '克隆' },
    { en: 'Clone a voice from an uploaded sample', zh: '用已上传的音频样本克隆音色' },
    [
      {
        type: ApplicationCommandOptionType.String,
        ...described(
          { en: 'sample', zh: '样本' },
          {
            en: 'The voice_clone upload to clone (pick one, or type its file_id)',
            zh: '要克隆的 voice_clone 上传（从列表选择，或输入 file_id）',
          },
        ),
        required: true,
        autocomplete: true,
        max_length: 19,
      },
      {
        type: ApplicationCommandOptionType.String,
        ...described(
          { en: 'voice_id', zh: '音色id' },
          {
            en: 'Name for the new voice: 8–256 letters, digits, - or _, starting with a letter',
            zh: '新音色的名称：8 至 256 个字母、数字、- 或 _，以字母开头',
          },
        ),
        required: true,
        max_length: 256,
      },
      {
        type: ApplicationCommandOptionType.String,
        ...described(
          { en: 'prompt', zh: '示例音频' },
          {
            en: `A prompt_audio clip (${enUS.duration.rule(limits.duration.prompt_audio)}) that makes the clone closer`,
            zh: `让克隆更像的示例音频（prompt_audio，${zhCN.duration.rule(limits.duration.prompt_audio)}）`,
          },
        ),
        autocomplete: true,
        max_length: 19,
      },
      {
        type: ApplicationCommandOptionType.String,
        ...described(
          { en: 'prompt_text', zh: '示例文本' },
          {
            en: 'Exactly what the prompt clip says (needed with prompt)',
            zh: '示例音频中说的原话（使用示例音频时必填）',
          },
        ),
        max_length: 2000,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        ...described(
          { en: 'noise_reduction', zh: '降噪' },
          { en: 'Reduce background noise (default: off)', zh: '降低背景噪音（默认关闭）' },
        ),
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        ...described(
          { en: 'volume_normalization', zh: '音量归一化' },
          { en: 'Even out the volume (default: off)', zh: '统一音量（默认关闭）' },
        ),
      },
      languageOption(
        { en: 'Language to boost (default: none)', zh: '增强识别的语言（默认不指定）' },
        NO_LANGUAGE,
      ),
      {
        type: ApplicationCommandOptionType.Boolean,
        ...described(
          { en: 'private', zh: '仅自己可见' },
          {
            en: 'Show the result only to you and keep the voice yours alone',
            zh: '仅向你显示结果，音色仅供你使用',
          },
        ),
      },
    ],
  ),

  async execute(interaction, context) {
    const isPrivate = interaction.options.getBoolean('private') ?? false;
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    if (!interaction.inGuild()) throw new GuildOnlyError();
    const { options } = interaction;
    const language = options.getString('language') ?? NO_LANGUAGE;
    await cloneAndReply(interaction, context, {
      sampleFileId: options.getString('sample', true).trim(),
      voiceId: options.getString('voice_id', true).trim(),
      promptFileId: options.getString('prompt')?.trim() || undefined,
      promptText: options.getString('prompt_text') ?? undefined,
      noiseReduction: options.getBoolean('noise_reduction') ?? false,
      volumeNormalization: options.getBoolean('volume_normalization') ?? false,
      languageBoost: language === NO_LANGUAGE ? '' : language,
      private: isPrivate,
    });
  },

  async autocomplete(interaction: AutocompleteInteraction, { history }) {
    if (!interaction.inGuild()) return interaction.respond([]);
    const focused = interaction.options.getFocused(true);
    const purpose = focused.name === 'prompt' ? 'prompt_audio' : 'voice_clone';
    const uploads = history.suggest(
      interaction.guildId,
      purpose,
      focused.value.trim(),
      25,
      viewerOf(interaction),
    );
    await interaction.respond(
      uploads.map((upload) => ({ name: uploadChoiceName(upload), value: upload.fileId })),
    );
  },

  /** "Clone this voice" under an upload: asks for the voice_id, a valid one filled in. */
  async button(interaction: ButtonInteraction, context) {
    if (!interaction.inGuild()) throw new GuildOnlyError();
    const fileId = interaction.customId.slice(CLONE_BUTTON_PREFIX.length);
    const upload = context.history.get(fileId);
    if (upload) {
      checkMayCloneFrom(upload, 'voice_clone', {
        userId: interaction.user.id,
        canManageGuild: managesServer(interaction),
        guildId: interaction.guildId,
      });
    }
    const t = catalogueFor(interaction.locale);
    await interaction.showModal(
      cloneModal(t, fileId, suggestFreeVoiceId(context, upload?.uploaderName ?? interaction.user.username)),
    );
  },

  async modal(interaction: ModalSubmitInteraction, context) {
    const sampleFileId = interaction.customId.slice(CLONE_MODAL_PREFIX.length);
    // A clone of a private upload stays as private as its sample: the reply and the voice.
    const isPrivate = context.history.get(sampleFileId)?.private ?? false;
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    if (!interaction.inGuild()) throw new GuildOnlyError();
    await cloneAndReply(interaction, context, {
      sampleFileId,
      voiceId: interaction.fields.getTextInputValue(VOICE_ID_FIELD).trim(),
      promptFileId: undefined,
      promptText: undefined,
      noiseReduction: false,
      volumeNormalization: false,
      languageBoost: '',
      private: isPrivate,
    });
  },
});

type CloneChoices = Omit<
  CloneRequest,
  'guildId' | 'channelId' | 'userId' | 'userName' | 'canManageGuild' | 'attachmentLimit'
>;

/** Runs the clone with its progress in the deferred reply, then replaces it with the result. */
async function cloneAndReply(
  interaction: (ChatInputCommandInteraction | ModalSubmitInteraction) & {
    guildId: string;
    channelId: string | null;
  },
  context: CommandContext,
  choices: CloneChoices,
): Promise<void> {
  const t = catalogueFor(interaction.locale);
  const outcome = await withProgress(
    interaction,
    context.logger,
    (state: CloneProgress) => cloneProgressEmbed(t, choices.voiceId, state),
    (update) =>
      runClone(
        context,
        {
          ...choices,
          guildId: interaction.guildId,
          channelId: interaction.channelId ?? '',
          userId: interaction.user.id,
          userName: interaction.user.username,
          canManageGuild: managesServer(interaction),
          attachmentLimit: interaction.attachmentSizeLimit,
        },
        update,
      ),
  );
  await deliverPaidResult(
    interaction,
    cloneResultMessage(t, outcome, interaction.user.username),
    { isPrivate: choices.private, text: t.clone.lateResult },
    context.logger,
  );
}

/** `take one.mp3 · 12.7 s · alice · 2026-12-01`, within a choice's 100 characters. */
function uploadChoiceName(upload: UploadRecord): string {
  const date = new Date(upload.createdAt * 1000).toISOString().slice(0, 10);
  const tail = ` · ${upload.durationSeconds.toFixed(1)} s · ${plainText(upload.uploaderName, 32)} · ${date}`;
  return `${plainText(upload.fileName, 100 - tail.length, 100 - tail.length)}${tail}`;
}
