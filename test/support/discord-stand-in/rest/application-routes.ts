/**
 * The application and its bot: gateway discovery, the current user and application, and application
 * commands (listing and the bulk overwrite `npm run register` and the bot use), global or per guild.
 */
import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import type { APIApplication, APIGatewayBotInfo } from 'discord-api-types/v10';
import { APPLICATION_FLAGS, snowflake } from '../fixtures.ts';
import { enumValue } from '../narrow.ts';
import { validateCommands } from '../validation/commands.ts';
import type { StoredCommand, World } from '../world.ts';
import { apiError, invalidFormBody, ok, type ApiContext, type ApiReply, type Route } from './router.ts';

const COMMANDS_PATH = /^\/applications\/(?<app>\d+)(?:\/guilds\/(?<guild>\d+))?\/commands$/;

export function applicationRoutes(world: World, gatewayUrl: string, botPublic = false): Route[] {
  const gatewayBotInfo = (): APIGatewayBotInfo => ({
    url: gatewayUrl,
    shards: 1,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
  });

  const application = (): APIApplication => ({
    id: world.applicationId,
    name: 'Stand-in Application',
    icon: null,
    description: '',
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- Discord still sends it
    summary: '',
    bot: world.botUser,
    bot_public: botPublic,
    bot_require_code_grant: false,
    verify_key: randomBytes(32).toString('hex'),
    owner: world.owner,
    team: null,
    flags: APPLICATION_FLAGS,
    flags_new: APPLICATION_FLAGS.toString(),
    approximate_guild_count: world.guilds.length,
    redirect_uris: [],
    interactions_endpoint_url: null,
  });

  const scopeError = (params: Record<string, string>): ApiReply | undefined => {
    const foreignGuild = params.guild !== undefined && !world.guildIds.includes(params.guild);
    if (params.app === world.applicationId && !foreignGuild) return undefined;
    return apiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
  };

  const listCommands = ({ params }: ApiContext): ApiReply => {
    const denied = scopeError(params);
    if (denied) return denied;
    return ok(
      params.guild === undefined ? world.globalCommands : (world.guildCommands.get(params.guild) ?? []),
    );
  };

  const overwriteCommands = ({ params, request }: ApiContext): ApiReply => {
    const denied = scopeError(params);
    if (denied) return denied;
    const { body } = request;
    const errors = validateCommands(body);
    if (!Array.isArray(body) || errors.size > 0) return invalidFormBody(errors);

    const guildId = params.guild;
    const previous = guildId === undefined ? world.globalCommands : (world.guildCommands.get(guildId) ?? []);
    const commands = (body as Record<string, unknown>[]).map((command): StoredCommand => {
      const type = enumValue(ApplicationCommandType, command.type) ?? ApplicationCommandType.ChatInput;
      const name = String(command.name);
      const kept = previous.find((existing) => existing.name === name && existing.type === type);
      return {
        ...command,
        id: kept?.id ?? snowflake(),
        application_id: world.applicationId,
        version: snowflake(),
        type,
        name,
        description: command.description ?? '',
        default_member_permissions: command.default_member_permissions ?? null,
        integration_types: command.integration_types ?? [ApplicationIntegrationType.GuildInstall],
        contexts: command.contexts ?? null,
        nsfw: command.nsfw ?? false,
        ...(guildId === undefined ? {} : { guild_id: guildId }),
      };
    });
    if (guildId === undefined) world.globalCommands.splice(0, Infinity, ...commands);
    else world.guildCommands.set(guildId, commands);
    return ok(commands);
  };

  return [
    { method: 'GET', pattern: /^\/gateway$/, botAuth: false, handle: () => ok({ url: gatewayUrl }) },
    { method: 'GET', pattern: /^\/gateway\/bot$/, botAuth: true, handle: () => ok(gatewayBotInfo()) },
    { method: 'GET', pattern: /^\/users\/@me$/, botAuth: true, handle: () => ok(world.botUser) },
    {
      method: 'GET',
      pattern: /^\/users\/(?<user>\d{1,20})$/,
      botAuth: true,
      handle: ({ params }: ApiContext) => ok(world.user(params.user ?? '')),
    },
    {
      method: 'GET',
      pattern: /^\/(?:oauth2\/)?applications\/@me$/,
      botAuth: true,
      handle: () => ok(application()),
    },
    { method: 'GET', pattern: COMMANDS_PATH, botAuth: true, handle: listCommands },
    { method: 'PUT', pattern: COMMANDS_PATH, botAuth: true, handle: overwriteCommands },
  ];
}
