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
