import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  DiscordAPIError,
  PermissionFlagsBits,
  PermissionsBitField,
  RESTJSONErrorCodes,
  REST,
  Routes,
  type RESTGetAPIApplicationCommandsResult,
  type RESTGetCurrentApplicationResult,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { ConfigError, loadRegistrationConfig, type RegistrationConfig } from './config.ts';
import { buildCommands } from './discord/commands/index.ts';

/** Registration failed for a reason an operator can fix; the message says how. */
export class RegistrationError extends Error {}

/**
 * What the bot needs in a channel: "Upload voice sample" replies to the sample's message (View
 * Channel, Send Messages, Embed Links, Read Message History), and a clone's preview or a speech that
 * outlived its command is posted in the channel with its audio (Attach Files): 117760.
 */
const INVITE_PERMISSIONS = new PermissionsBitField([
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.ReadMessageHistory,
]).bitfield;

/** The link that adds the bot to a server with its commands, as the README shows it. */
export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot+applications.commands&permissions=${INVITE_PERMISSIONS}`;
}

export interface RegistrationResult {
  readonly applicationId: string;
  readonly scope: 'guild' | 'global';
  readonly names: readonly string[];
}

/**
 * Replaces the application's commands with this bot's in one bulk overwrite: in one guild
 * (instant, for development) or globally (for production, may take a while to show everywhere).
 */
export async function registerCommands(
  config: RegistrationConfig,
  guildId: string | undefined,
): Promise<RegistrationResult> {
  const rest = new REST({ api: config.apiUrl }).setToken(config.token);
  const application = (await rest
    .get(Routes.currentApplication())
    .catch((error: unknown) => explain(error, undefined, guildId))) as RESTGetCurrentApplicationResult;
  const route = guildId
    ? Routes.applicationGuildCommands(application.id, guildId)
    : Routes.applicationCommands(application.id);
  const body = buildCommands(config).map((command) => (guildId ? forGuild(command.data) : command.data));
  const registered = (await rest
    .put(route, { body })
    .catch((error: unknown) =>
      explain(error, application.id, guildId),
    )) as RESTGetAPIApplicationCommandsResult;
  return {
    applicationId: application.id,
    scope: guildId ? 'guild' : 'global',
    names: registered.map((c) => c.name),
  };
}

/** Turns Discord's bare `401` or `Missing Access` into what it means here and what to do. */
function explain(error: unknown, applicationId: string | undefined, guildId: string | undefined): never {
  if (!(error instanceof DiscordAPIError)) throw error;
  if (error.status === 401) {
    throw new RegistrationError(
      'Discord refused DISCORD_TOKEN (HTTP 401 Unauthorized): the token is wrong or was reset. ' +
        'Copy a new one from the Developer Portal (your application → Bot → Reset Token) into .env, then run npm run register again.',
      { cause: error },
    );
  }
  if (
    error.code === RESTJSONErrorCodes.MissingAccess &&
    applicationId !== undefined &&
    guildId !== undefined
  ) {
    throw new RegistrationError(
      `Discord answered Missing Access for server ${guildId}: the bot is not in that server, or it was invited without the ` +
        'applications.commands scope. Invite it with this link, then run npm run register again:\n' +
        `  ${inviteUrl(applicationId)}`,
      { cause: error },
    );
  }
  throw new RegistrationError(
    `Discord refused the registration (HTTP ${error.status}, code ${error.code}): ${error.message}`,
    { cause: error },
  );
}

/** Guild commands exist only in their guild, so Discord takes no install contexts for them. */
function forGuild(data: RESTPostAPIApplicationCommandsJSONBody): RESTPostAPIApplicationCommandsJSONBody {
  const { contexts: _contexts, integration_types: _integrationTypes, ...rest } = data;
  return rest;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { guild: { type: 'string' } } });
  if (values.guild !== undefined && !/^\d{17,20}$/.test(values.guild)) {
    throw new Error(`--guild takes a server id (17 to 20 digits), got "${values.guild}"`);
  }
  const result = await registerCommands(loadRegistrationConfig(), values.guild);
  const where = result.scope === 'guild' ? `guild ${values.guild ?? ''}` : 'every guild (global)';
  console.log(
    `Registered ${result.names.map((name) => `/${name}`).join(', ')} for application ${result.applicationId} in ${where}.`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
