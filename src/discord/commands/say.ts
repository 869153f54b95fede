import {
  ApplicationCommandOptionType,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import {
  SPEECH_EMOTIONS,
  SPEECH_SPEED_MAX,
  SPEECH_SPEED_MIN,
  type SpeechEmotion,
} from '../../domain/voices.ts';
import { catalogueFor } from '../../i18n/index.ts';
import { GuildOnlyError } from '../errors.ts';
import { deliverPaidResult, withProgress } from '../paid-work.ts';
import { plainText } from '../safe-text.ts';
import { checkMayUseVoice, runSpeech, type SpeechProgress, type SpeechRequest } from '../say-flow.ts';
import { VoiceNotFoundError } from '../voice-errors.ts';
import {
  SAY_BUTTON_PREFIX,
  SAY_MODAL_PREFIX,
  sayModal,
  SPEECH_TEXT_FIELD,
  speechProgressEmbed,
  speechResultMessage,
} from '../voice-work-replies.ts';
import type { ChatInputCommand, CommandContext, CommandSettings } from './command.ts';
import { described, guildSlashCommand, languageOption } from './definitions.ts';

const EMOTION_NAMES: Readonly<Record<SpeechEmotion, string>> = {
  happy: '开心',
  sad: '悲伤',
  angry: '愤怒',
  fearful: '害怕',
  disgusted: '厌恶',
  surprised: '惊讶',
  calm: '平静',
  fluent: '流畅',
  whisper: '耳语',
};

/** `/say`, its text option as long as SPEECH_MAX_CHARS allows. */
export const sayCommand = ({ speechMaxChars }: CommandSettings): ChatInputCommand => ({
  data: guildSlashCommand(
    { en: 'say', zh: '说' },
    {
      en: 'Say a text with a cloned voice (or a MiniMax system voice)',
      zh: '用克隆的音色（或 MiniMax 系统音色）朗读一段文本',
    },
    [
      {
        type: ApplicationCommandOptionType.String,
        ...described(
          { en: 'voice', zh: '音色' },
          {
            en: 'A voice cloned here, or any voice_id you type',
            zh: '本服务器克隆的音色，或手动输入任意 voice_id',
          },
        ),
        required: true,
        autocomplete: true,
        max_length: 256,
      },
      {
        type: ApplicationCommandOptionType.String,
        ...described(
          { en: 'text', zh: '文本' },
          {
            en: 'What the voice should say; <#1.5#> is a 1.5 s pause',
            zh: '要说的话；<#1.5#> 表示停顿 1.5 秒',
          },
        ),
        required: true,
        // Discord stops the member at the limit; the bot checks it again on use (a modal has no option).
        max_length: speechMaxChars,
      },
      {
        type: ApplicationCommandOptionType.Number,
        ...described(
          { en: 'speed', zh: '语速' },
          { en: 'From 0.5 (slow) to 2 (fast); default 1', zh: '0.5（慢）至 2（快），默认 1' },
        ),
        min_value: SPEECH_SPEED_MIN,
        max_value: SPEECH_SPEED_MAX,
      },
      {
        type: ApplicationCommandOptionType.String,
        ...described({ en: 'emotion', zh: '情绪' }, { en: 'How it should sound', zh: '说话的情绪' }),
        choices: SPEECH_EMOTIONS.map((emotion) => ({
          name: emotion,
          name_localizations: { 'zh-CN': EMOTION_NAMES[emotion] },
          value: emotion,
        })),
      },
      languageOption({ en: 'Language of the text (default: detect)', zh: '文本的语言（默认自动识别）' }),
      {
        type: ApplicationCommandOptionType.Boolean,
        ...described(
          { en: 'private', zh: '仅自己可见' },
          { en: 'Show the speech only to you', zh: '仅向你显示语音' },
        ),
      },
    ],
  ),

  async execute(interaction, context) {
    const isPrivate = interaction.options.getBoolean('private') ?? false;
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    if (!interaction.inGuild()) throw new GuildOnlyError();
    const { options } = interaction;
    const emotion = options.getString('emotion');
    await sayAndReply(
      interaction,
      context,
      {
        voiceId: options.getString('voice', true).trim(),
        text: options.getString('text', true),
        speed: options.getNumber('speed') ?? undefined,
        emotion: SPEECH_EMOTIONS.find((known) => known === emotion),
        languageBoost: options.getString('language') ?? 'auto',
      },
      isPrivate,
    );
  },

  /** This server's voices the member may use, newest first, then whatever they typed (a system voice). */
  async autocomplete(interaction: AutocompleteInteraction, { voices }) {
    if (!interaction.inGuild()) return interaction.respond([]);
    const typed = interaction.options.getFocused().trim();
    const found = voices.search(interaction.guildId, { userId: interaction.user.id }, typed, 25);
    const choices = found
      .filter((voice) => voice.voiceId.length <= 100)
      .map((voice) => ({
        name: plainText(`${voice.voiceId} · ${voice.ownerName}`, 100, 100),
        value: voice.voiceId,
      }));
    if (typed !== '' && typed.length <= 100 && !choices.some((choice) => choice.value === typed)) {
      choices.splice(24, choices.length, { name: typed, value: typed });
    }
    await interaction.respond(choices.slice(0, 25));
  },

  /** "Say something" under a clone: asks for the text. */
  async button(interaction: ButtonInteraction, context) {
    if (!interaction.inGuild()) throw new GuildOnlyError();
    const key = Number(interaction.customId.slice(SAY_BUTTON_PREFIX.length));
    const voice = context.voices.getByKey(key);
    if (!voice) throw new VoiceNotFoundError();
    checkMayUseVoice(voice, interaction.user.id);
    await interaction.showModal(
      sayModal(catalogueFor(interaction.locale), key, context.voiceSettings.speechMaxChars),
    );
  },

  async modal(interaction: ModalSubmitInteraction, context) {
    const voice = context.voices.getByKey(Number(interaction.customId.slice(SAY_MODAL_PREFIX.length)));
    // A private voice speaks privately: its owner alone hears it.
    await interaction.deferReply(voice?.private ? { flags: MessageFlags.Ephemeral } : {});
    if (!interaction.inGuild()) throw new GuildOnlyError();
    if (!voice) throw new VoiceNotFoundError();
    await sayAndReply(
      interaction,
      context,
      {
        voiceId: voice.voiceId,
        text: interaction.fields.getTextInputValue(SPEECH_TEXT_FIELD),
        speed: undefined,
        emotion: undefined,
        languageBoost: 'auto',
      },
      voice.private,
    );
  },
});

/** Runs the speech with its progress in the deferred reply, then replaces it with the audio. */
async function sayAndReply(
  interaction: (ChatInputCommandInteraction | ModalSubmitInteraction) & { guildId: string },
  context: CommandContext,
  choices: Omit<SpeechRequest, 'guildId' | 'userId' | 'attachmentLimit'>,
  isPrivate: boolean,
): Promise<void> {
  const t = catalogueFor(interaction.locale);
  const outcome = await withProgress(
    interaction,
    context.logger,
    (state: SpeechProgress) => speechProgressEmbed(t, choices.voiceId, state),
    (update) =>
      runSpeech(
        context,
        {
          ...choices,
          guildId: interaction.guildId,
          userId: interaction.user.id,
          attachmentLimit: interaction.attachmentSizeLimit,
        },
        update,
      ),
  );
  const result = speechResultMessage(t, outcome, choices.text, {
    requesterName: interaction.user.username,
    limit: context.voiceSettings.userDailySpeechChars,
    at: new Date(context.clock.now()),
  });
  await deliverPaidResult(interaction, result, { isPrivate, text: t.say.lateResult }, context.logger);
}
