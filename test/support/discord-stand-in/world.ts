/**
 * What the stand-in's Discord holds: the application and its bot, guilds, users, channels, messages,
 * registered commands and live interactions. REST routes, the gateway and the interaction builders all
 * read and change this one world, so an update through one path shows through every other.
 */
import { ChannelType, InteractionType, MessageFlags } from 'discord-api-types/v10';
import type {
  APIApplicationCommand,
  APIApplicationCommandOptionChoice,
  APIAuthorizingIntegrationOwnersMap,
  APIModalInteractionResponseCallbackData,
  APIDMChannel,
  APIMessage,
  APIRole,
  APITextChannel,
  APIUser,
} from 'discord-api-types/v10';
import {
  BOT_ROLE_PERMISSIONS,
  EVERYONE_PERMISSIONS,
  makeBotUser,
  makeRole,
  makeUser,
  snowflake,
  textChannel,
  type GuildFixture,
} from './fixtures.ts';
import { hasFlag } from './narrow.ts';
import type { StandInOptions } from './types.ts';

export type ChannelHome =
  { kind: 'guild'; guild: GuildFixture } | { kind: 'dm'; channel: APIDMChannel; user: APIUser };

export type InteractionKind =
  'chat-input' | 'message-command' | 'component' | 'autocomplete' | 'modal-submit';

export interface InteractionState {
  id: string;
  token: string;
  dispatchedAt: number;
  kind: InteractionKind;
  type: InteractionType;
  /** How errors name it, e.g. `/upload` or `button "retry"`. */
  label: string;
  guildId: string | undefined;
  channelId: string;
  user: APIUser;
  locale: string;
  /** The member's roles; none in a DM. */
  memberRoles: string[];
  owners: APIAuthorizingIntegrationOwnersMap;
  acknowledged: boolean;
  /** Messages live in World#messages, so an update through one token shows through every other. */
  originalId: string | undefined;
  followUpIds: string[];
  /** The message a component was used on, or a message command's target. */
  targetMessageId: string | undefined;
  choices: APIApplicationCommandOptionChoice[] | undefined;
  /** The modal the bot opened in answer (callback type 9), and whether the user submitted it yet. */
  modal: APIModalInteractionResponseCallbackData | undefined;
  modalSubmitted: boolean;
  /** For a modal submit: the interaction whose callback opened the modal. */
  openedBy: InteractionState | undefined;
  /** Its token has expired (15 minutes on Discord): callbacks and webhook calls are refused. */
  expired: boolean;
}

/** A registered command as the bot sent it, plus the fields Discord adds. */
export type StoredCommand = Pick<APIApplicationCommand, 'id' | 'name' | 'type'> & Record<string, unknown>;

export class World {
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly owner: APIUser;
  readonly guilds: GuildFixture[];
  readonly guildIds: readonly string[];
  /** Every message the stand-in knows, by id: interaction responses, channel messages, posted fixtures. */
  readonly messages = new Map<string, APIMessage>();
  /** Messages the bot posted through POST /channels/{id}/messages, in order. */
  readonly channelMessageIds: string[] = [];
  readonly channels = new Map<string, ChannelHome>();
  readonly users = new Map<string, APIUser>();
  /** Live interactions by token. */
  readonly interactions = new Map<string, InteractionState>();
  readonly globalCommands: StoredCommand[] = [];
  readonly guildCommands = new Map<string, StoredCommand[]>();
  /** While on, POST /channels/{id}/messages answers 403 Missing Permissions. */
  denyChannelMessages = false;
  readonly #dmChannelIds = new Map<string, string>();

  constructor(options: StandInOptions) {
    this.applicationId = options.applicationId ?? snowflake();
    this.botUser = makeBotUser(options.botUserId ?? this.applicationId);
    this.owner = makeUser(snowflake(), 'guild-owner');
    this.guilds = (options.guildIds ?? [snowflake()]).map((id, index) => ({
      id,
      name: `Stand-in Guild ${index + 1}`,
      ownerId: this.owner.id,
      textChannelId: snowflake(),
      botRoleId: snowflake(),
      joinedAt: new Date().toISOString(),
      roles: [],
    }));
    this.guildIds = this.guilds.map((guild) => guild.id);
    for (const guild of this.guilds) this.channels.set(guild.textChannelId, { kind: 'guild', guild });
    for (const user of [this.botUser, this.owner]) this.users.set(user.id, user);
  }

  defaultGuild(): GuildFixture {
    const guild = this.guilds[0];
    if (guild === undefined) throw new Error('DiscordStandIn needs at least one guild');
    return guild;
  }

  guild(id: string | undefined): GuildFixture {
    if (id === undefined) return this.defaultGuild();
    const guild = this.guilds.find((candidate) => candidate.id === id);
    if (guild === undefined) throw new Error(`guild ${id} is not one of ${this.guildIds.join(', ')}`);
    return guild;
  }

  /** The user with this id; one the stand-in has not seen yet is made up on the spot. */
  user(id: string): APIUser {
    let user = this.users.get(id);
    if (user === undefined) {
      user = makeUser(id, 'tester');
      this.users.set(id, user);
    }
    return user;
  }

  dmChannelFor(user: APIUser): APIDMChannel {
    const known = this.channels.get(this.#dmChannelIds.get(user.id) ?? '');
    if (known?.kind === 'dm') return known.channel;
    const channel: APIDMChannel = {
      id: snowflake(),
      type: ChannelType.DM,
      name: null,
      last_message_id: null,
      recipients: [user],
    };
    this.#dmChannelIds.set(user.id, channel.id);
    this.channels.set(channel.id, { kind: 'dm', channel, user });
    return channel;
  }

  channelObject(channelId: string): APITextChannel | APIDMChannel | undefined {
    const home = this.channels.get(channelId);
    if (home === undefined) return undefined;
    return home.kind === 'guild' ? textChannel(home.guild) : home.channel;
  }

  /** @everyone, the bot's managed role, then the roles tests created. */
  guildRoles(guild: GuildFixture): APIRole[] {
    const everyone = makeRole(guild.id, '@everyone', EVERYONE_PERMISSIONS, 0);
    const botRole: APIRole = {
      ...makeRole(guild.botRoleId, this.botUser.username, BOT_ROLE_PERMISSIONS, 1),
      managed: true,
      tags: { bot_id: this.botUser.id },
    };
    return [everyone, botRole, ...guild.roles];
  }

  /** A message of that channel as anyone can see it: ephemeral messages are not in any channel. */
  channelMessage(channelId: string, messageId: string): APIMessage | undefined {
    const message = this.messages.get(messageId);
    if (message?.channel_id !== channelId || hasFlag(message, MessageFlags.Ephemeral)) return undefined;
    return message;
  }

  /** Messages the bot posted through POST /channels/{id}/messages, as they stand now, oldest first. */
  channelMessages(): APIMessage[] {
    return this.channelMessageIds.flatMap((id) => this.messages.get(id) ?? []);
  }
}
