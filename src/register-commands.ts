import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  REST,
  Routes,
  type RESTGetAPIApplicationCommandsResult,
  type RESTGetCurrentApplicationResult,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { ConfigError, loadRegistrationConfig, type RegistrationConfig } from './config.ts';
import { commands } from './discord/commands/index.ts';

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
  const application = (await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult;
  const route = guildId
    ? Routes.applicationGuildCommands(application.id, guildId)
    : Routes.applicationCommands(application.id);
  const body = commands.map((command) => (guildId ? forGuild(command.data) : command.data));
  const registered = (await rest.put(route, { body })) as RESTGetAPIApplicationCommandsResult;
  return {
    applicationId: application.id,
    scope: guildId ? 'guild' : 'global',
    names: registered.map((c) => c.name),
  };
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
