import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandStringOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { PURPOSES, type Purpose } from '../../domain/purposes.ts';
import { LANGUAGE_BOOSTS, type LanguageBoost } from '../../domain/voices.ts';

/** A text in each language the bot speaks; Discord shows members the one their client uses. */
export interface Localized {
  readonly en: string;
  readonly zh: string;
}

/** The name and description of a command or option, English first, with their translations. */
export function described(name: Localized, description: Localized) {
  return {
    name: name.en,
    name_localizations: { 'zh-CN': name.zh },
    description: description.en,
    description_localizations: { 'zh-CN': description.zh },
  };
}

/** A slash command for servers: installed to a server and usable only there. */
export function guildSlashCommand(
  name: Localized,
  description: Localized,
  options: APIApplicationCommandBasicOption[],
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    ...described(name, description),
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options,
  };
}

/** The `purpose` option every command that deals in samples shares; only the choices' labels differ. */
export function purposeOption(
  description: Localized,
  required: boolean,
  choiceName: (purpose: Purpose) => Localized,
): APIApplicationCommandStringOption {
  return {
    type: ApplicationCommandOptionType.String,
    ...described({ en: 'purpose', zh: '用途' }, description),
    ...(required ? { required: true } : {}),
    choices: PURPOSES.map((purpose) => {
      const label = choiceName(purpose);
      return label.en === label.zh
        ? { name: label.en, value: purpose }
        : { name: label.en, name_localizations: { 'zh-CN': label.zh }, value: purpose };
    }),
  };
}

const LANGUAGE_NAMES: Readonly<Record<LanguageBoost, Localized>> = {
  auto: { en: 'Detect automatically', zh: '自动识别' },
  Chinese: { en: 'Chinese (Mandarin)', zh: '中文（普通话）' },
  'Chinese,Yue': { en: 'Cantonese', zh: '粤语' },
  English: { en: 'English', zh: '英语' },
  Japanese: { en: 'Japanese', zh: '日语' },
  Korean: { en: 'Korean', zh: '韩语' },
  Spanish: { en: 'Spanish', zh: '西班牙语' },
  French: { en: 'French', zh: '法语' },
  German: { en: 'German', zh: '德语' },
  Portuguese: { en: 'Portuguese', zh: '葡萄牙语' },
  Italian: { en: 'Italian', zh: '意大利语' },
  Russian: { en: 'Russian', zh: '俄语' },
  Arabic: { en: 'Arabic', zh: '阿拉伯语' },
  Turkish: { en: 'Turkish', zh: '土耳其语' },
  Dutch: { en: 'Dutch', zh: '荷兰语' },
  Ukrainian: { en: 'Ukrainian', zh: '乌克兰语' },
  Vietnamese: { en: 'Vietnamese', zh: '越南语' },
  Indonesian: { en: 'Indonesian', zh: '印尼语' },
  Thai: { en: 'Thai', zh: '泰语' },
  Polish: { en: 'Polish', zh: '波兰语' },
  Hindi: { en: 'Hindi', zh: '印地语' },
};

/**
 * The `language` option of /clone and /say: MiniMax's `language_boost` values as choices, with
 * `noneValue` first when "no boost" is a choice of its own (Discord takes no empty choice value).
 */
export function languageOption(
  description: Localized,
  noneValue?: string,
): APIApplicationCommandStringOption {
  const none =
    noneValue === undefined
      ? []
      : [{ name: 'None', name_localizations: { 'zh-CN': '不指定' }, value: noneValue }];
  return {
    type: ApplicationCommandOptionType.String,
    ...described({ en: 'language', zh: '语言' }, description),
    choices: [
      ...none,
      ...LANGUAGE_BOOSTS.map((value) => ({
        name: LANGUAGE_NAMES[value].en,
        name_localizations: { 'zh-CN': LANGUAGE_NAMES[value].zh },
        value,
      })),
    ],
  };
}
