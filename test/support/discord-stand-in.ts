/**
 * A local stand-in for Discord that the real discord.js Client can log in to.
 *
 * One node:http server on 127.0.0.1 plays three roles:
 * - the REST API under /api/v10 (gateway discovery, interaction callbacks, webhook edits and follow-ups,
 *   command registration, channel messages and DMs), answering the way Discord does, errors included;
 * - the Gateway, a WebSocket upgrade on the same port;
 * - the attachment CDN, serving bytes that tests register (or that the bot uploaded in a reply).
 *
 * Every HTTP request is recorded so tests assert on what the bot actually sent, and wait for it
 * instead of sleeping.
 */
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { constants as zlibConstants, deflateRawSync, deflateSync } from 'node:zlib';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationFlags,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageReferenceType,
  MessageType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import type {
  APIAllowedMentions,
  APIApplication,
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOptionChoice,
  APIAttachment,
  APIAuthorizingIntegrationOwnersMap,
  APIChatInputApplicationCommandDMInteraction,
  APIChatInputApplicationCommandGuildInteraction,
  APIChatInputApplicationCommandInteraction,
  APIDMChannel,
  APIEmbed,
  APIGatewayBotInfo,
  APIGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageApplicationCommandInteraction,
  APIMessageComponentInteraction,
  APIMessageInteractionMetadata,
  APIRole,
  APITextChannel,
  APIUser,
  GatewayGuildCreateDispatchData,
  GatewayReadyDispatchData,
  GuildMemberFlags,
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
  RESTPostAPIInteractionCallbackWithResponseResult,
  RoleFlags,
} from 'discord-api-types/v10';

export interface RecordedRequest {
  method: string;
  /** Full, percent-decoded path, e.g. `/api/v10/webhooks/1/tok/messages/@original` or `/attachments/…`. */
  path: string;
  query: URLSearchParams;
  /** performance.now() when the request arrived. */
  at: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the parsed `payload_json` part of a multipart body; the raw text if it was not JSON. */
  body: unknown;
  files: RecordedFile[];
}

export interface RecordedFile {
  /** Form field name, e.g. `files[0]`. */
  name: string;
  filename: string;
  size: number;
  contentType: string;
}

export interface StandInOptions {
  applicationId?: string;
  /** Defaults to the application id, as for every bot created since 2020. */
  botUserId?: string;
  guildIds?: string[];
  /** When set, REST calls and IDENTIFY must carry exactly this token; otherwise any token is accepted. */
  token?: string;
  /** Discord uses ~41 s; tests only need a short one to exercise heartbeats. */
  heartbeatIntervalMs?: number;
  /** Discord rejects a callback that arrives more than 3 s after the interaction was sent. */
  callbackDeadlineMs?: number;
}

export interface AttachmentServeOptions {
  /** Answer with this status (and a short text body) instead of the bytes. */
  status?: number;
  /** Never answer; the request stays open until close(). */
  hang?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
  /**
   * Content-Length to claim. A number that differs from the byte count makes the framing lie (the connection
   * is closed after the write): larger than the bytes means the body ends early; smaller means a
   * well-behaved HTTP client stops reading at the claimed length. `null` omits the header (chunked encoding).
   */
  contentLength?: number | null;
  /** Defaults to a type guessed from the file name. */
  contentType?: string;
}

export interface CommandAttachment {
  id?: string;
  filename: string;
  /** The size Discord claims; may differ from what the CDN really serves. */
  size: number;
  contentType?: string;
  url: string;
  /** Also add an attachment option (type 11) with this name whose value is this attachment's id. */
  optionName?: string;
}

export interface ChatInputCommand {
  name: string;
  options?: APIApplicationCommandInteractionDataOption[];
  attachments?: CommandAttachment[];
  userId?: string;
  locale?: string;
  guildId?: string;
  /**
   * Role ids the member has. Ids the guild does not know yet become roles first (announced with
   * GUILD_ROLE_CREATE, as Discord would have done when they were created), so discord.js can resolve them.
   */
  memberRoles?: string[];
  /** Sent from the user's DM with the bot: no guild, `user` instead of `member`, context 1 (BotDM). */
  dm?: boolean;
}

export interface MessageCommand {
  /** The context-menu command's name, e.g. `Upload voice`. */
  name: string;
  /** The message the command was used on, e.g. what postChannelMessage() returned. */
  targetMessage: APIMessage;
  userId?: string;
  locale?: string;
  /** Must be the guild of the target message's channel, if given. */
  guildId?: string;
  memberRoles?: string[];
}

export interface AutocompleteCommand {
  name: string;
  /** Exactly one option (possibly inside a subcommand) must have `focused: true`. */
  options: APIApplicationCommandInteractionDataOption[];
  userId?: string;
  locale?: string;
  guildId?: string;
  memberRoles?: string[];
  dm?: boolean;
}

export interface ChannelMessageAttachment {
  filename: string;
  bytes: Uint8Array;
  /** Defaults to a type guessed from the file name. */
  contentType?: string;
  /** The size Discord claims; defaults to the byte count. */
  size?: number;
  /** How the CDN answers for this file (status, hang, delay, …), as for serveAttachment(). */
  serve?: Omit<AttachmentServeOptions, 'contentType'>;
}

export interface ChannelMessageInput {
  content?: string;
  attachments?: ChannelMessageAttachment[];
  /** Defaults to the user dispatched interactions come from. */
  authorId?: string;
  /** The guild whose text channel gets the message; defaults to the first. */
  guildId?: string;
}

/** Who uses a button or select menu. By default, the user of the interaction whose message it is. */
export interface ComponentUse {
  userId?: string;
  locale?: string;
  memberRoles?: string[];
}

/** A message that carries components: an interaction's original response, or any message by id. */
export type ComponentTarget = DispatchedInteraction | { messageId: string };

export interface RoleInput {
  name: string;
  id?: string;
  permissions?: bigint;
  guildId?: string;
}

export type EditBody = RESTPatchAPIWebhookWithTokenMessageJSONBody;

export interface DispatchedInteraction {
  readonly id: string;
  readonly token: string;
  /** performance.now() when the INTERACTION_CREATE was sent (or queued while the gateway was down). */
  readonly dispatchedAt: number;
  /** The POST …/callback for this interaction (waits for it). */
  callback(timeoutMs?: number): Promise<RecordedRequest>;
  /** Every request for this interaction: the callback plus webhook calls with its token. */
  requests(): RecordedRequest[];
  /** The first PATCH of @original whose body matches. */
  waitForEdit(predicate: (body: EditBody) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  lastEdit(): RecordedRequest | undefined;
  /**
   * The original response as it stands after every callback and edit so far. For a component interaction
   * answered with type 6 or 7, that is the message the component is on.
   */
  originalMessage(): APIMessage | undefined;
  /** Follow-up messages sent with this interaction's token, as they stand now, oldest first. */
  followUpMessages(): APIMessage[];
}

export interface DispatchedAutocomplete extends DispatchedInteraction {
  /** The choices of the type 8 callback, once it arrived. */
  choices(): APIApplicationCommandOptionChoice[] | undefined;
}

export interface GatewayConnectionRecord {
  path: string;
  query: URLSearchParams;
  at: number;
  /** Why the upgrade was refused, if it was. */
  rejected?: string;
}

export type SessionStart = 'identify' | 'resume';

const DEFAULT_TIMEOUT_MS = 10_000;
const API_PREFIX = '/api/v10';
const GUILD_TEXT_CHANNEL_NAME = 'general';
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak;
const BOT_ROLE_PERMISSIONS = EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageMessages;
/** What a bot may do in its DM with a user. */
const DM_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands;
const APPLICATION_FLAGS = ApplicationFlags.ApplicationCommandBadge;
const DEFAULT_USER_ID = '300000000000000001';
/** Flags a bot may set on a channel message; Discord ignores the rest. */
const CHANNEL_MESSAGE_FLAGS =
  MessageFlags.SuppressEmbeds |
  MessageFlags.SuppressNotifications |
  MessageFlags.IsVoiceMessage |
  MessageFlags.IsComponentsV2;

interface GuildFixture {
  id: string;
  name: string;
  ownerId: string;
  textChannelId: string;
  botRoleId: string;
  joinedAt: string;
  /** Roles besides @everyone and the bot's managed role. */
  roles: APIRole[];
}

type ChannelHome =
  { kind: 'guild'; guild: GuildFixture } | { kind: 'dm'; channel: APIDMChannel; user: APIUser };

type InteractionKind = 'chat-input' | 'message-command' | 'component' | 'autocomplete';

interface Audience {
  user: APIUser;
  locale: Locale;
  /** The channel object the interaction carries. */
  channel: APITextChannel | APIDMChannel;
  /** Undefined in a DM. */
  guild: GuildFixture | undefined;
  memberRoles: string[];
}

type GuildEnvelope = Omit<APIChatInputApplicationCommandGuildInteraction, 'type' | 'data'>;
type DMEnvelope = Omit<APIChatInputApplicationCommandDMInteraction, 'type' | 'data'>;
/** The fields every interaction shares, for a guild or a DM. */
type InteractionEnvelope = GuildEnvelope | DMEnvelope;

interface UploadedFile extends RecordedFile {
  bytes: Uint8Array;
}

interface CdnEntry {
  bytes: Uint8Array;
  contentType: string;
  options: AttachmentServeOptions;
}

interface MessageBody {
  content?: string | null;
  embeds?: APIEmbed[] | null;
  components?: unknown[] | null;
  attachments?: { id: string | number; filename?: string; description?: string }[] | null;
  flags?: number | null;
  poll?: unknown;
}

interface InteractionState {
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
  owners: APIAuthorizingIntegrationOwnersMap;
  acknowledged: boolean;
  /** Messages live in DiscordStandIn#messages, so an update through one token shows through every other. */
  originalId: string | undefined;
  followUpIds: string[];
  /** The message a component was used on, or a message command's target. */
  targetMessageId: string | undefined;
  choices: APIApplicationCommandOptionChoice[] | undefined;
}

interface StoredCommand {
  id: string;
  name: string;
  type: ApplicationCommandType;
  [field: string]: unknown;
}

interface GatewayConnection {
  socket: WebSocket;
  encode: (payload: string) => string | Buffer;
  session: Session | undefined;
}

interface Session {
  id: string;
  sequence: number;
  connection: GatewayConnection | undefined;
  intents: number;
  /** Dispatches kept so a RESUME can replay what the client missed, as Discord does. */
  history: { op: GatewayOpcodes.Dispatch; t: string; s: number; d: unknown }[];
}

interface Waiter {
  check(): void;
  abort(reason: string): void;
}

interface ApiReply {
  status: number;
  body?: unknown;
}

interface ApiContext {
  request: RecordedRequest;
  params: Record<string, string>;
  files: UploadedFile[];
}

interface Route {
  method: string;
  pattern: RegExp;
  /** Interaction callbacks and webhook calls are authorised by the token in the path, not by a header. */
  botAuth: boolean;
  handle: (context: ApiContext) => ApiReply;
}

export class DiscordStandIn {
  /** What the bot gets as `rest.api`. */
  readonly apiUrl: string;
  /** What GET /gateway/bot announces; clients append `?v=10&encoding=json`. */
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly guildIds: readonly string[];
  readonly requests: RecordedRequest[] = [];
  readonly gatewayConnections: GatewayConnectionRecord[] = [];
  /** How each gateway session (re)started, in order. */
  readonly sessionStarts: SessionStart[] = [];

  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #origin: string;
  readonly #options: StandInOptions;
  readonly #botUser: APIUser;
  readonly #owner: APIUser;
  readonly #guilds: GuildFixture[];
  readonly #connections = new Set<GatewayConnection>();
  readonly #interactions = new Map<string, InteractionState>();
  /** Every message the stand-in knows, by id: interaction responses, channel messages, posted fixtures. */
  readonly #messages = new Map<string, APIMessage>();
  /** Messages the bot posted through POST /channels/{id}/messages, in order. */
  readonly #channelMessageIds: string[] = [];
  readonly #channels = new Map<string, ChannelHome>();
  readonly #dmChannelIds = new Map<string, string>();
  readonly #users = new Map<string, APIUser>();
  readonly #cdn = new Map<string, CdnEntry>();
  readonly #globalCommands: StoredCommand[] = [];
  readonly #guildCommands = new Map<string, StoredCommand[]>();
  readonly #waiters = new Set<Waiter>();
  readonly #pendingResponses = new Set<ServerResponse>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #session: Session | undefined;
  #dropMark: number | undefined;
  #denyChannelMessages = false;
  #closed = false;

  private constructor(server: Server, options: StandInOptions) {
    const { port } = server.address() as AddressInfo;
    this.#server = server;
    this.#origin = `http://127.0.0.1:${port}`;
    this.#options = options;
    this.apiUrl = `${this.#origin}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}`;
    this.applicationId = options.applicationId ?? snowflake();
    this.#botUser = {
      id: options.botUserId ?? this.applicationId,
      username: 'stand-in-bot',
      discriminator: '4721',
      global_name: null,
      avatar: null,
      bot: true,
      verified: true,
      mfa_enabled: true,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
    };
    this.#owner = makeUser(snowflake(), 'guild-owner');
    this.#guilds = (options.guildIds ?? [snowflake()]).map((id, index) => ({
      id,
      name: `Stand-in Guild ${index + 1}`,
      ownerId: this.#owner.id,
      textChannelId: snowflake(),
      botRoleId: snowflake(),
      joinedAt: new Date().toISOString(),
      roles: [],
    }));
    this.guildIds = this.#guilds.map((guild) => guild.id);
    for (const guild of this.#guilds) this.#channels.set(guild.textChannelId, { kind: 'guild', guild });
    for (const user of [this.#botUser, this.#owner]) this.#users.set(user.id, user);

    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.#handleHttp(request, response).catch((error: unknown) => {
        // A bug in the stand-in must surface in the bot's error path, not as a hung request.
        if (response.headersSent) response.destroy();
        else sendJson(response, 500, { message: `DiscordStandIn failed: ${describeError(error)}`, code: 0 });
      });
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.#handleUpgrade(request, socket, head);
    });
  }

  static async start(options: StandInOptions = {}): Promise<DiscordStandIn> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new DiscordStandIn(server, options);
  }

  get identifyCount(): number {
    return this.sessionStarts.filter((start) => start === 'identify').length;
  }

  get resumeCount(): number {
    return this.sessionStarts.filter((start) => start === 'resume').length;
  }

  serveAttachment(fileName: string, bytes: Uint8Array, options: AttachmentServeOptions = {}): string {
    const channelId = this.#defaultGuild().textChannelId;
    return this.#publish(
      channelId,
      snowflake(),
      fileName,
      bytes,
      options.contentType ?? guessContentType(fileName),
      options,
    );
  }

  waitForIdentify(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.#waitUntil(
      () => (this.identifyCount > 0 ? true : undefined),
      timeoutMs,
      () => `no client identified within ${timeoutMs}ms`,
    ).then(() => undefined);
  }

  /** Resolves with how the client came back after the latest dropGateway(). */
  waitForReconnect(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SessionStart> {
    const mark = this.#dropMark;
    if (mark === undefined) return Promise.reject(new Error('waitForReconnect() before any dropGateway()'));
    return this.#waitUntil(
      () => this.sessionStarts[mark],
      timeoutMs,
      () => `the client did not resume or identify within ${timeoutMs}ms of dropGateway()`,
    );
  }

  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<RecordedRequest> {
    return this.#waitUntil(
      () => this.requests.find(predicate),
      timeoutMs,
      () => `no matching request within ${timeoutMs}ms`,
    );
  }

  dispatchChatInputCommand(command: ChatInputCommand): DispatchedInteraction {
    const audience = this.#audience(command);
    const options = [...(command.options ?? [])];
    const attachments: Record<string, APIAttachment> = {};
    for (const attachment of command.attachments ?? []) {
      const id = attachment.id ?? snowflake();
      attachments[id] = {
        id,
        filename: attachment.filename,
        size: attachment.size,
        url: attachment.url,
        proxy_url: attachment.url,
        content_type: attachment.contentType ?? guessContentType(attachment.filename),
        // Files uploaded through a command option are ephemeral attachments on Discord.
        ephemeral: true,
      };
      if (attachment.optionName !== undefined) {
        options.push({
          name: attachment.optionName,
          type: ApplicationCommandOptionType.Attachment,
          value: id,
        });
      }
    }

    const label = `/${command.name}`;
    const registered = this.#commandFor(command.name, ApplicationCommandType.ChatInput, audience, label);
    const state = this.#startInteraction(
      { kind: 'chat-input', type: InteractionType.ApplicationCommand, label, audience },
      (envelope): APIChatInputApplicationCommandInteraction => ({
        ...envelope,
        type: InteractionType.ApplicationCommand,
        data: {
          id: registered?.id ?? stableId(command.name),
          name: command.name,
          type: ApplicationCommandType.ChatInput,
          ...(registered?.guildId === undefined ? {} : { guild_id: registered.guildId }),
          ...(options.length > 0 ? { options } : {}),
          ...(Object.keys(attachments).length > 0 ? { resolved: { attachments } } : {}),
        },
      }),
    );
    return this.#handleFor(state);
  }

  /** A message context-menu command (APPLICATION_COMMAND, data.type 3) used on `targetMessage`. */
  dispatchMessageCommand(command: MessageCommand): DispatchedInteraction {
    const target = this.#messages.get(command.targetMessage.id) ?? command.targetMessage;
    const home = this.#channels.get(target.channel_id);
    if (home === undefined) {
      throw new Error(
        `message ${target.id} is in channel ${target.channel_id}, which DiscordStandIn does not know; post it with postChannelMessage()`,
      );
    }
    if (command.guildId !== undefined && (home.kind !== 'guild' || home.guild.id !== command.guildId)) {
      throw new Error(`message ${target.id} is not in guild ${command.guildId}`);
    }
    const audience =
      home.kind === 'guild'
        ? this.#audience({ ...command, guildId: home.guild.id })
        : this.#audience({ ...command, dm: true, userId: command.userId ?? home.user.id });
    const label = `message command "${command.name}"`;
    const registered = this.#commandFor(command.name, ApplicationCommandType.Message, audience, label);
    const state = this.#startInteraction(
      {
        kind: 'message-command',
        type: InteractionType.ApplicationCommand,
        label,
        audience,
        targetMessageId: target.id,
      },
      (envelope): APIMessageApplicationCommandInteraction => ({
        ...envelope,
        type: InteractionType.ApplicationCommand,
        data: {
          id: registered?.id ?? stableId(command.name),
          name: command.name,
          type: ApplicationCommandType.Message,
          target_id: target.id,
          resolved: { messages: { [target.id]: target } },
          ...(registered?.guildId === undefined ? {} : { guild_id: registered.guildId }),
        },
      }),
    );
    return this.#handleFor(state);
  }

  /** A click on the button `customId` of the target message (MESSAGE_COMPONENT, component_type 2). */
  dispatchButton(target: ComponentTarget, customId: string, use: ComponentUse = {}): DispatchedInteraction {
    return this.#dispatchComponent(target, customId, undefined, use);
  }

  /** A choice in the string select menu `customId` of the target message (component_type 3). */
  dispatchSelect(
    target: ComponentTarget,
    customId: string,
    values: string[],
    use: ComponentUse = {},
  ): DispatchedInteraction {
    return this.#dispatchComponent(target, customId, values, use);
  }

  /** An APPLICATION_COMMAND_AUTOCOMPLETE interaction; the bot answers with a type 8 callback. */
  dispatchAutocomplete(command: AutocompleteCommand): DispatchedAutocomplete {
    const focused = countFocused(command.options);
    if (focused !== 1) {
      throw new Error(`an autocomplete interaction has exactly one focused option; these have ${focused}`);
    }
    const audience = this.#audience(command);
    const label = `autocomplete for /${command.name}`;
    const registered = this.#commandFor(command.name, ApplicationCommandType.ChatInput, audience, label);
    const state = this.#startInteraction(
      { kind: 'autocomplete', type: InteractionType.ApplicationCommandAutocomplete, label, audience },
      (envelope): APIApplicationCommandAutocompleteInteraction => ({
        ...envelope,
        type: InteractionType.ApplicationCommandAutocomplete,
        data: {
          id: registered?.id ?? stableId(command.name),
          name: command.name,
          type: ApplicationCommandType.ChatInput,
          options: command.options,
          ...(registered?.guildId === undefined ? {} : { guild_id: registered.guildId }),
        },
      }),
    );
    return { ...this.#handleFor(state), choices: () => state.choices };
  }

  /**
   * A message a user posted in a guild's text channel, its attachments served by the stand-in CDN. Nothing
   * is dispatched (the bot's intents do not ask for messages); target it with dispatchMessageCommand().
   */
  postChannelMessage(input: ChannelMessageInput): APIMessage {
    const guild = this.#guild(input.guildId);
    const channelId = guild.textChannelId;
    const id = snowflake();
    const attachments = (input.attachments ?? []).map((file): APIAttachment => {
      const attachmentId = snowflake();
      const contentType = file.contentType ?? guessContentType(file.filename);
      const url = this.#publish(channelId, attachmentId, file.filename, file.bytes, contentType, file.serve);
      return {
        id: attachmentId,
        filename: file.filename,
        size: file.size ?? file.bytes.length,
        url,
        proxy_url: url,
        content_type: contentType,
      };
    });
    const message: APIMessage = {
      ...this.#blankMessage(id, channelId, this.#user(input.authorId ?? DEFAULT_USER_ID)),
      type: MessageType.Default,
      content: input.content ?? '',
      attachments,
    };
    this.#messages.set(id, message);
    return message;
  }

  /**
   * Adds a role to a guild (the first by default), or returns the role that already has `id`. A connected
   * client hears of it through GUILD_ROLE_CREATE, ahead of any interaction dispatched afterwards.
   */
  createRole(input: RoleInput): APIRole {
    const guild = this.#guild(input.guildId);
    const existing = this.#guildRoles(guild).find((role) => role.id === input.id);
    if (existing) return existing;
    const role = makeRole(
      input.id ?? snowflake(),
      input.name,
      input.permissions ?? 0n,
      guild.roles.length + 2,
    );
    guild.roles.push(role);
    if (this.#session !== undefined && (this.#session.intents & GatewayIntentBits.Guilds) !== 0) {
      this.#dispatch(GatewayDispatchEvents.GuildRoleCreate, { guild_id: guild.id, role });
    }
    return role;
  }

  /** While on, POST /channels/{id}/messages answers 403 Missing Permissions (50013). */
  denyChannelMessages(deny = true): void {
    this.#denyChannelMessages = deny;
  }

  /** Messages the bot posted through POST /channels/{id}/messages, as they stand now, oldest first. */
  channelMessages(): APIMessage[] {
    return this.#channelMessageIds.flatMap((id) => this.#messages.get(id) ?? []);
  }

  /** Any message the stand-in knows (interaction responses included), as it stands now. */
  message(id: string): APIMessage | undefined {
    return this.#messages.get(id);
  }

  /** Without a close code the socket is destroyed (the client sees 1006 and resumes); with one it is closed cleanly. */
  dropGateway(closeCode?: number): void {
    this.#dropMark = this.sessionStarts.length;
    for (const connection of this.#connections) {
      this.#detach(connection);
      if (closeCode === undefined) connection.socket.terminate();
      else connection.socket.close(closeCode, 'dropped by DiscordStandIn');
    }
  }

  /** Destroy the discord.js Client first: a client that loses the stand-in keeps trying to reconnect. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const waiter of [...this.#waiters]) waiter.abort('DiscordStandIn was closed');
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const response of this.#pendingResponses) response.destroy();
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => {
      this.#wss.close(() => {
        resolve();
      });
    });
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) => {
      this.#server.close((error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  // ---------------------------------------------------------------- interactions

  #audience(input: {
    userId?: string;
    locale?: string;
    guildId?: string;
    memberRoles?: string[];
    dm?: boolean;
  }): Audience {
    const locale = input.locale ?? Locale.EnglishUS;
    if (!isLocale(locale)) throw new Error(`"${locale}" is not a Discord locale`);
    const user = this.#user(input.userId ?? DEFAULT_USER_ID);
    if (input.dm === true) {
      if (input.guildId !== undefined) throw new Error('a DM interaction has no guild: pass dm or guildId');
      if ((input.memberRoles ?? []).length > 0) throw new Error('memberRoles need a guild; a DM has none');
      return { user, locale, channel: this.#dmChannelFor(user), guild: undefined, memberRoles: [] };
    }
    const guild = this.#guild(input.guildId);
    return { user, locale, channel: this.#textChannel(guild), guild, memberRoles: input.memberRoles ?? [] };
  }

  #user(id: string): APIUser {
    let user = this.#users.get(id);
    if (user === undefined) {
      user = makeUser(id, 'tester');
      this.#users.set(id, user);
    }
    return user;
  }

  #dmChannelFor(user: APIUser): APIDMChannel {
    const known = this.#channels.get(this.#dmChannelIds.get(user.id) ?? '');
    if (known?.kind === 'dm') return known.channel;
    const channel: APIDMChannel = {
      id: snowflake(),
      type: ChannelType.DM,
      name: null,
      last_message_id: null,
      recipients: [user],
    };
    this.#dmChannelIds.set(user.id, channel.id);
    this.#channels.set(channel.id, { kind: 'dm', channel, user });
    return channel;
  }

  #channelObject(channelId: string): APITextChannel | APIDMChannel | undefined {
    const home = this.#channels.get(channelId);
    if (home === undefined) return undefined;
    return home.kind === 'guild' ? this.#textChannel(home.guild) : home.channel;
  }

  #guildRoles(guild: GuildFixture): APIRole[] {
    const everyone = makeRole(guild.id, '@everyone', EVERYONE_PERMISSIONS, 0);
    const botRole: APIRole = {
      ...makeRole(guild.botRoleId, this.#botUser.username, BOT_ROLE_PERMISSIONS, 1),
      managed: true,
      tags: { bot_id: this.#botUser.id },
    };
    return [everyone, botRole, ...guild.roles];
  }

  #ensureRoles(guild: GuildFixture, roleIds: readonly string[]): void {
    for (const roleId of roleIds) {
      if (roleId === guild.id) {
        throw new Error('memberRoles never lists @everyone (the guild id): Discord leaves it implicit');
      }
      if (!this.#guildRoles(guild).some((role) => role.id === roleId)) {
        this.createRole({ id: roleId, name: `role-${guild.roles.length + 1}`, guildId: guild.id });
      }
    }
  }

  /** The registered command a user could pick here, checking that Discord would offer it in a DM. */
  #commandFor(
    name: string,
    type: ApplicationCommandType,
    audience: Audience,
    label: string,
  ): { id: string; guildId?: string } | undefined {
    const matches = (command: StoredCommand): boolean => command.name === name && command.type === type;
    const { guild } = audience;
    if (guild !== undefined) {
      const guildCommand = this.#guildCommands.get(guild.id)?.find(matches);
      if (guildCommand) return { id: guildCommand.id, guildId: guild.id };
    }
    const globalCommand = this.#globalCommands.find(matches);
    if (guild !== undefined) return globalCommand ? { id: globalCommand.id } : undefined;
    if (globalCommand === undefined) {
      const guildOnly = [...this.#guildCommands.values()].some((commands) => commands.some(matches));
      if (guildOnly) throw new Error(`${label} is only registered as a guild command; DMs have none`);
      return undefined;
    }
    const { contexts } = globalCommand;
    const offered = Array.isArray(contexts)
      ? contexts.includes(InteractionContextType.BotDM)
      : globalCommand.dm_permission !== false;
    if (!offered)
      throw new Error(`${label} is registered without the BotDM context; Discord would not offer it`);
    return { id: globalCommand.id };
  }

  #startInteraction(
    init: {
      kind: InteractionKind;
      type: InteractionType;
      label: string;
      audience: Audience;
      targetMessageId?: string;
    },
    build: (envelope: InteractionEnvelope) => unknown,
  ): InteractionState {
    if (this.#session === undefined) {
      throw new Error(
        `cannot dispatch ${GatewayDispatchEvents.InteractionCreate}: no client has identified yet (await waitForIdentify() first)`,
      );
    }
    const { audience } = init;
    if (audience.guild !== undefined) this.#ensureRoles(audience.guild, audience.memberRoles);
    const id = snowflake();
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('hex')}`).toString('base64url');
    const envelope = this.#envelope(id, token, audience);
    const payload = build(envelope);
    const state: InteractionState = {
      id,
      token,
      dispatchedAt: performance.now(),
      kind: init.kind,
      type: init.type,
      label: init.label,
      guildId: audience.guild?.id,
      channelId: audience.channel.id,
      user: audience.user,
      owners: envelope.authorizing_integration_owners,
      acknowledged: false,
      originalId: undefined,
      followUpIds: [],
      targetMessageId: init.targetMessageId,
      choices: undefined,
    };
    this.#interactions.set(token, state);
    this.#dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return state;
  }

  #envelope(id: string, token: string, audience: Audience): InteractionEnvelope {
    const { guild, user, locale, channel } = audience;
    const common = {
      id,
      application_id: this.applicationId,
      token,
      version: 1 as const,
      channel_id: channel.id,
      channel,
      locale,
      entitlements: [],
      attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
    };
    if (guild === undefined) {
      const dm: DMEnvelope = {
        ...common,
        user,
        app_permissions: DM_PERMISSIONS.toString(),
        // A guild-installed app used in its bot's DM: the guild slot holds "0".
        authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' },
        context: InteractionContextType.BotDM,
      };
      return dm;
    }
    let permissions = 0n;
    for (const role of this.#guildRoles(guild)) {
      if (role.id === guild.id || audience.memberRoles.includes(role.id))
        permissions |= BigInt(role.permissions);
    }
    const member: APIInteractionGuildMember = {
      ...makeMember(user, audience.memberRoles, new Date(Date.now() - 86_400_000).toISOString()),
      permissions: permissions.toString(),
    };
    const inGuild: GuildEnvelope = {
      ...common,
      guild_id: guild.id,
      guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
      member,
      app_permissions: BOT_ROLE_PERMISSIONS.toString(),
      guild_locale: Locale.EnglishUS,
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild.id },
      context: InteractionContextType.Guild,
    };
    return inGuild;
  }

  #dispatchComponent(
    target: ComponentTarget,
    customId: string,
    values: string[] | undefined,
    use: ComponentUse,
  ): DispatchedInteraction {
    const { message, origin } = this.#componentMessage(target);
    const kind = values === undefined ? 'button' : 'select menu';
    const componentType = values === undefined ? ComponentType.Button : ComponentType.StringSelect;
    const component = findComponent(message.components ?? [], customId);
    if (component === undefined) {
      const known = componentCustomIds(message.components ?? []);
      throw new Error(
        `message ${message.id} has no component with custom_id "${customId}" (it has: ${known.length > 0 ? known.join(', ') : 'none'})`,
      );
    }
    if (component.type !== componentType) {
      throw new Error(`"${customId}" is a component of type ${String(component.type)}, not a ${kind}`);
    }
    if (component.disabled === true) {
      throw new Error(`the ${kind} "${customId}" is disabled; Discord sends no interaction for it`);
    }
    if (values !== undefined) checkSelectValues(component, customId, values);

    const home = this.#channels.get(message.channel_id);
    if (home === undefined)
      throw new Error(`message ${message.id} is in a channel DiscordStandIn does not know`);
    const userId = use.userId ?? origin?.user.id ?? (home.kind === 'dm' ? home.user.id : undefined);
    if (hasFlag(message, MessageFlags.Ephemeral) && origin !== undefined && userId !== origin.user.id) {
      throw new Error(`message ${message.id} is ephemeral: only user ${origin.user.id} sees its components`);
    }
    if (home.kind === 'dm' && userId !== home.user.id) {
      throw new Error(`message ${message.id} is in the DM with user ${home.user.id}; nobody else can use it`);
    }
    const audience =
      home.kind === 'guild'
        ? this.#audience({ ...use, userId, guildId: home.guild.id })
        : this.#audience({ ...use, userId, dm: true });
    const state = this.#startInteraction(
      {
        kind: 'component',
        type: InteractionType.MessageComponent,
        label: `${kind} "${customId}"`,
        audience,
        targetMessageId: message.id,
      },
      (envelope): APIMessageComponentInteraction => ({
        ...envelope,
        type: InteractionType.MessageComponent,
        message,
        data:
          values === undefined
            ? { custom_id: customId, component_type: ComponentType.Button }
            : { custom_id: customId, component_type: ComponentType.StringSelect, values },
      }),
    );
    return this.#handleFor(state);
  }

  #componentMessage(target: ComponentTarget): { message: APIMessage; origin: InteractionState | undefined } {
    if ('messageId' in target) {
      const message = this.#messages.get(target.messageId);
      if (message === undefined) throw new Error(`DiscordStandIn knows no message ${target.messageId}`);
      const origin = [...this.#interactions.values()].find(
        (state) => state.originalId === message.id || state.followUpIds.includes(message.id),
      );
      return { message, origin };
    }
    const origin = this.#interactions.get(target.token);
    if (origin === undefined) throw new Error(`interaction ${target.id} is not one of this DiscordStandIn's`);
    const message = this.#messages.get(origin.originalId ?? '');
    if (message === undefined) {
      throw new Error(
        `interaction ${origin.id} (${origin.label}) has no original response yet; wait for its callback or edit first`,
      );
    }
    return { message, origin };
  }

  // ---------------------------------------------------------------- waiting

  #waitUntil<T>(probe: () => T | undefined, timeoutMs: number, explain: () => string): Promise<T> {
    const immediate = probe();
    if (immediate !== undefined) return Promise.resolve(immediate);
    if (this.#closed) return Promise.reject(new Error(`${explain()} (DiscordStandIn is closed)`));
    // Created here so the stack trace points at the test that waited, not at a timer.
    const failure = new Error('pending');
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const fail = (reason: string): void => {
        finish();
        failure.message = `${reason}\n${this.#describeState()}`;
        reject(failure);
      };
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value === undefined) return;
          finish();
          resolve(value);
        },
        abort: fail,
      };
      const timer = setTimeout(() => {
        fail(explain());
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }

  #describeState(): string {
    const starts = this.sessionStarts.length > 0 ? this.sessionStarts.join(', ') : 'none';
    const recent = this.requests.slice(-20).map((request) => `  ${describeRequest(request)}`);
    return [
      `gateway: ${this.#connections.size} open connection(s); session starts: ${starts}`,
      `last ${recent.length} of ${this.requests.length} request(s):`,
      ...recent,
    ].join('\n');
  }

  // ---------------------------------------------------------------- HTTP

  async #handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(request.url ?? '/', this.#origin);
    const { body, files } = await parseBody(await readAll(request), request.headers['content-type']);
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: decodePath(url.pathname),
      query: url.searchParams,
      at,
      headers: request.headers,
      body,
      files: files.map(({ name, filename, size, contentType }) => ({ name, filename, size, contentType })),
    };

    if (recorded.path.startsWith(`${API_PREFIX}/`)) {
      // State changes before the request is published, so a test woken by it sees their effect.
      const reply = this.#routeApi(recorded, recorded.path.slice(API_PREFIX.length), files);
      this.#record(recorded);
      sendJson(response, reply.status, reply.body);
      return;
    }

    this.#record(recorded);
    const entry = this.#cdn.get(url.pathname);
    if (entry === undefined) {
      sendJson(response, 404, { message: '404: Not Found', code: 0 });
      return;
    }
    this.#serveCdn(response, entry);
  }

  #record(request: RecordedRequest): void {
    this.requests.push(request);
    this.#notify();
  }

  #serveCdn(response: ServerResponse, entry: CdnEntry): void {
    const { options } = entry;
    if (options.hang === true) {
      this.#trackUntilClosed(response);
      return;
    }
    const respond = (): void => {
      if (options.status !== undefined && options.status !== 200) {
        const text = `${options.status} ${STATUS_CODES[options.status] ?? ''}`.trim();
        response.writeHead(options.status, {
          'content-type': 'text/plain',
          'content-length': Buffer.byteLength(text),
        });
        response.end(text);
        return;
      }
      const { contentLength = entry.bytes.length } = options;
      response.statusCode = 200;
      response.setHeader('content-type', entry.contentType);
      if (contentLength === null) {
        // Writing before end() makes Node send the body chunked instead of computing a length.
        response.write(entry.bytes);
        response.end();
        return;
      }
      response.setHeader('content-length', contentLength);
      // Once the framing lies the connection cannot be reused, and closing it is what ends a short body.
      if (contentLength !== entry.bytes.length) response.setHeader('connection', 'close');
      response.end(entry.bytes);
    };
    if (options.delayMs === undefined) {
      respond();
      return;
    }
    this.#trackUntilClosed(response);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      respond();
    }, options.delayMs);
    this.#timers.add(timer);
  }

  #trackUntilClosed(response: ServerResponse): void {
    this.#pendingResponses.add(response);
    response.on('close', () => this.#pendingResponses.delete(response));
  }

  #publish(
    channelId: string,
    attachmentId: string,
    fileName: string,
    bytes: Uint8Array,
    contentType: string,
    options: AttachmentServeOptions = {},
  ): string {
    const url = new URL(
      `/attachments/${channelId}/${attachmentId}/${encodeURIComponent(fileName)}`,
      this.#origin,
    );
    this.#cdn.set(url.pathname, { bytes, contentType, options });
    // Real CDN links are signed and expire; bots must keep the query string intact.
    const issued = Math.floor(Date.now() / 1000);
    url.search = `ex=${(issued + 86_400).toString(16)}&is=${issued.toString(16)}&hm=${randomBytes(32).toString('hex')}&`;
    return url.href;
  }

  // ---------------------------------------------------------------- REST API

  readonly #routes: Route[] = [
    { method: 'GET', pattern: /^\/gateway$/, botAuth: false, handle: () => ok({ url: this.gatewayUrl }) },
    { method: 'GET', pattern: /^\/gateway\/bot$/, botAuth: true, handle: () => ok(this.#gatewayBotInfo()) },
    { method: 'GET', pattern: /^\/users\/@me$/, botAuth: true, handle: () => ok(this.#botUser) },
    {
      method: 'GET',
      pattern: /^\/(?:oauth2\/)?applications\/@me$/,
      botAuth: true,
      handle: () => ok(this.#application()),
    },
    {
      method: 'GET',
      pattern: /^\/applications\/(?<app>\d+)(?:\/guilds\/(?<guild>\d+))?\/commands$/,
      botAuth: true,
      handle: ({ params }) => this.#listCommands(params),
    },
    {
      method: 'PUT',
      pattern: /^\/applications\/(?<app>\d+)(?:\/guilds\/(?<guild>\d+))?\/commands$/,
      botAuth: true,
      handle: ({ params, request }) => this.#overwriteCommands(params, request.body),
    },
    {
      method: 'POST',
      pattern: /^\/interactions\/(?<id>\d+)\/(?<token>[^/]+)\/callback$/,
      botAuth: false,
      handle: (context) => this.#interactionCallback(context),
    },
    {
      method: 'POST',
      pattern: /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)$/,
      botAuth: false,
      handle: (context) => this.#followUp(context),
    },
    {
      method: 'GET',
      pattern: /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)\/messages\/(?<message>@original|\d+)$/,
      botAuth: false,
      handle: ({ params }) => this.#withMessage(params, (message) => ok(message)),
    },
    {
      method: 'PATCH',
      pattern: /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)\/messages\/(?<message>@original|\d+)$/,
      botAuth: false,
      handle: (context) => this.#editMessage(context),
    },
    {
      method: 'DELETE',
      pattern: /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)\/messages\/(?<message>@original|\d+)$/,
      botAuth: false,
      handle: ({ params }) => this.#deleteMessage(params),
    },
    {
      method: 'GET',
      pattern: /^\/channels\/(?<channel>\d+)$/,
      botAuth: true,
      handle: ({ params }) => this.#getChannel(params),
    },
    {
      method: 'POST',
      pattern: /^\/channels\/(?<channel>\d+)\/messages$/,
      botAuth: true,
      handle: (context) => this.#createChannelMessage(context),
    },
    {
      method: 'GET',
      pattern: /^\/channels\/(?<channel>\d+)\/messages\/(?<message>\d+)$/,
      botAuth: true,
      handle: ({ params }) => this.#getChannelMessage(params),
    },
    {
      method: 'POST',
      pattern: /^\/users\/@me\/channels$/,
      botAuth: true,
      handle: ({ request }) => this.#createDm(request.body),
    },
  ];

  #routeApi(request: RecordedRequest, path: string, files: UploadedFile[]): ApiReply {
    const matching = this.#routes.filter((route) => route.pattern.test(path));
    const route = matching.find((candidate) => candidate.method === request.method);
    if (route === undefined) {
      return matching.length > 0
        ? { status: 405, body: { message: '405: Method Not Allowed', code: 0 } }
        : { status: 404, body: { message: '404: Not Found', code: 0 } };
    }
    if (route.botAuth && !this.#authorised(request.headers.authorization)) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    }
    if (typeof request.body === 'string') {
      return apiError(
        400,
        RESTJSONErrorCodes.RequestBodyContainsInvalidJSON,
        'The request body contains invalid JSON.',
      );
    }
    const params = { ...route.pattern.exec(path)?.groups };
    return route.handle({ request, params, files });
  }

  #authorised(header: string | undefined): boolean {
    if (header === undefined || !header.startsWith('Bot ')) return false;
    return this.#options.token === undefined || header === `Bot ${this.#options.token}`;
  }

  #gatewayBotInfo(): APIGatewayBotInfo {
    return {
      url: this.gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
    };
  }

  #application(): APIApplication {
    return {
      id: this.applicationId,
      name: 'Stand-in Application',
      icon: null,
      description: '',
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- Discord still sends it
      summary: '',
      bot: this.#botUser,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: randomBytes(32).toString('hex'),
      owner: this.#owner,
      team: null,
      flags: APPLICATION_FLAGS,
      flags_new: APPLICATION_FLAGS.toString(),
      approximate_guild_count: this.#guilds.length,
      redirect_uris: [],
      interactions_endpoint_url: null,
    };
  }

  #listCommands(params: Record<string, string>): ApiReply {
    const denied = this.#commandScopeError(params);
    if (denied) return denied;
    return ok(
      params.guild === undefined ? this.#globalCommands : (this.#guildCommands.get(params.guild) ?? []),
    );
  }

  #overwriteCommands(params: Record<string, string>, body: unknown): ApiReply {
    const denied = this.#commandScopeError(params);
    if (denied) return denied;
    const errors = validateCommands(body);
    if (!Array.isArray(body) || errors.size > 0) return invalidFormBody(errors);

    const guildId = params.guild;
    const previous = guildId === undefined ? this.#globalCommands : (this.#guildCommands.get(guildId) ?? []);
    const commands = (body as Record<string, unknown>[]).map((command): StoredCommand => {
      const type = enumValue(ApplicationCommandType, command.type) ?? ApplicationCommandType.ChatInput;
      const name = String(command.name);
      const kept = previous.find((existing) => existing.name === name && existing.type === type);
      return {
        ...command,
        id: kept?.id ?? snowflake(),
        application_id: this.applicationId,
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
    if (guildId === undefined) this.#globalCommands.splice(0, Infinity, ...commands);
    else this.#guildCommands.set(guildId, commands);
    return ok(commands);
  }

  #commandScopeError(params: Record<string, string>): ApiReply | undefined {
    const foreignGuild = params.guild !== undefined && !this.guildIds.includes(params.guild);
    if (params.app === this.applicationId && !foreignGuild) return undefined;
    return apiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
  }

  #interactionCallback({ request, params, files }: ApiContext): ApiReply {
    const state = params.token === undefined ? undefined : this.#interactions.get(params.token);
    const deadline = this.#options.callbackDeadlineMs ?? 3000;
    if (state === undefined || state.id !== params.id || request.at - state.dispatchedAt > deadline) {
      return apiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
    }
    if (state.acknowledged) {
      return apiError(
        400,
        RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
        'Interaction has already been acknowledged.',
      );
    }
    const callback = asRecord(request.body);
    const type = enumValue(InteractionResponseType, callback?.type);
    const errors = new FormErrors();
    if (type === undefined || !RESPONSE_TYPES[state.kind].includes(type)) {
      // E.g. update responses to a command, or anything but choices to an autocomplete interaction.
      errors.add(
        ['type'],
        'INTERACTION_RESPONSE_TYPE_INVALID',
        `Response type ${String(type)} is not valid here.`,
      );
      return invalidFormBody(errors);
    }
    /** The message @original names from now on. */
    let message: APIMessage | undefined;
    let choices: APIApplicationCommandOptionChoice[] | undefined;
    if (type === InteractionResponseType.ChannelMessageWithSource) {
      const data = readMessageBody(callback?.data, errors, ['data']);
      if (errors.size > 0) return invalidFormBody(errors);
      message = this.#newMessage(state, data, files);
      if (isEmptyMessage(message)) return emptyMessage();
    } else if (type === InteractionResponseType.DeferredChannelMessageWithSource) {
      const data = readMessageBody(callback?.data ?? {}, errors, ['data']);
      if (errors.size > 0) return invalidFormBody(errors);
      const flags = ((data.flags ?? 0) & MessageFlags.Ephemeral) | MessageFlags.Loading;
      message = this.#newMessage(state, { flags }, []);
    } else if (
      type === InteractionResponseType.DeferredMessageUpdate ||
      type === InteractionResponseType.UpdateMessage
    ) {
      const target = this.#messages.get(state.targetMessageId ?? '');
      if (target === undefined) return apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
      message = target;
      if (type === InteractionResponseType.UpdateMessage) {
        const data = readMessageBody(callback?.data ?? {}, errors, ['data']);
        if (errors.size > 0) return invalidFormBody(errors);
        message = this.#applyEdit(target, data, files);
        if (isEmptyMessage(message)) return emptyMessage();
      }
    } else if (type === InteractionResponseType.ApplicationCommandAutocompleteResult) {
      choices = readChoices(callback?.data, errors);
      if (errors.size > 0) return invalidFormBody(errors);
    }

    state.acknowledged = true;
    state.choices = choices;
    if (message !== undefined) {
      this.#messages.set(message.id, message);
      state.originalId = message.id;
    }
    if (request.query.get('with_response') !== 'true') return { status: 204 };
    // Discord returns the message for a new or updated one, not for a deferred update.
    const resourceMessage = type === InteractionResponseType.DeferredMessageUpdate ? undefined : message;
    const result: RESTPostAPIInteractionCallbackWithResponseResult = {
      interaction: {
        id: state.id,
        type: state.type,
        ...(message === undefined
          ? {}
          : {
              response_message_id: message.id,
              response_message_loading: hasFlag(message, MessageFlags.Loading),
              response_message_ephemeral: hasFlag(message, MessageFlags.Ephemeral),
            }),
      },
      resource: { type, ...(resourceMessage === undefined ? {} : { message: resourceMessage }) },
    };
    return ok(result);
  }

  #followUp({ request, params, files }: ApiContext): ApiReply {
    const state = this.#webhookInteraction(params);
    if (state === undefined || !state.acknowledged) {
      return apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    }
    const errors = new FormErrors();
    const data = readMessageBody(request.body, errors, []);
    if (errors.size > 0) return invalidFormBody(errors);
    const message = this.#newMessage(state, data, files);
    if (isEmptyMessage(message)) return emptyMessage();
    this.#messages.set(message.id, message);
    state.followUpIds.push(message.id);
    return request.query.get('wait') === 'true' ? ok(message) : { status: 204 };
  }

  #editMessage({ request, params, files }: ApiContext): ApiReply {
    return this.#withMessage(params, (message) => {
      const errors = new FormErrors();
      const edit = readMessageBody(request.body, errors, []);
      if (errors.size > 0) return invalidFormBody(errors);
      const edited = this.#applyEdit(message, edit, files);
      if (isEmptyMessage(edited)) return emptyMessage();
      this.#messages.set(edited.id, edited);
      return ok(edited);
    });
  }

  #deleteMessage(params: Record<string, string>): ApiReply {
    return this.#withMessage(params, (message, state) => {
      this.#messages.delete(message.id);
      if (message.id === state.originalId) state.originalId = undefined;
      else state.followUpIds = state.followUpIds.filter((id) => id !== message.id);
      return { status: 204 };
    });
  }

  #withMessage(
    params: Record<string, string>,
    use: (message: APIMessage, state: InteractionState) => ApiReply,
  ): ApiReply {
    const state = this.#webhookInteraction(params);
    if (state === undefined) return apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    const id =
      params.message === '@original'
        ? state.originalId
        : state.followUpIds.find((followUp) => followUp === params.message);
    const message = id === undefined ? undefined : this.#messages.get(id);
    if (message === undefined) return apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    return use(message, state);
  }

  #webhookInteraction(params: Record<string, string>): InteractionState | undefined {
    if (params.app !== this.applicationId || params.token === undefined) return undefined;
    const state = this.#interactions.get(params.token);
    // Autocomplete interactions get no webhook: their only answer is the choices.
    return state?.kind === 'autocomplete' ? undefined : state;
  }

  #getChannel(params: Record<string, string>): ApiReply {
    const channel = this.#channelObject(params.channel ?? '');
    return channel ? ok(channel) : apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
  }

  #createDm(body: unknown): ApiReply {
    const recipient = asRecord(body)?.recipient_id;
    if (typeof recipient !== 'string' || !/^\d{1,20}$/.test(recipient)) {
      const errors = new FormErrors();
      errors.add(['recipient_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      return invalidFormBody(errors);
    }
    return ok(this.#dmChannelFor(this.#user(recipient)));
  }

  #getChannelMessage(params: Record<string, string>): ApiReply {
    if (!this.#channels.has(params.channel ?? '')) {
      return apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
    }
    const message = this.#channelMessage(params.channel ?? '', params.message ?? '');
    return message ? ok(message) : apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
  }

  /** A message of that channel as anyone can see it: ephemeral messages are not in any channel. */
  #channelMessage(channelId: string, messageId: string): APIMessage | undefined {
    const message = this.#messages.get(messageId);
    if (message?.channel_id !== channelId || hasFlag(message, MessageFlags.Ephemeral)) return undefined;
    return message;
  }

  #createChannelMessage({ request, params, files }: ApiContext): ApiReply {
    const channelId = params.channel ?? '';
    const home = this.#channels.get(channelId);
    if (home === undefined) return apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
    if (this.#denyChannelMessages) {
      return apiError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
    }
    const errors = new FormErrors();
    const body = readMessageBody(request.body, errors, []);
    const raw = asRecord(request.body) ?? {};
    const allowed = readAllowedMentions(raw.allowed_mentions, errors);
    const reference = readMessageReference(raw.message_reference, errors);
    if (errors.size > 0) return invalidFormBody(errors);

    const nonce = typeof raw.nonce === 'string' || typeof raw.nonce === 'number' ? raw.nonce : undefined;
    if (nonce !== undefined && raw.enforce_nonce === true) {
      // Discord answers a retried send with the message the first attempt created.
      const earlier = this.channelMessages().find(
        (message) => message.channel_id === channelId && message.nonce === nonce,
      );
      if (earlier) return ok(earlier);
    }
    let referenced: APIMessage | undefined;
    if (reference !== undefined) {
      referenced = this.#channelMessage(reference.channelId ?? channelId, reference.messageId);
      if (referenced?.channel_id !== channelId) referenced = undefined;
      if (referenced === undefined && reference.failIfNotExists) {
        errors.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
        return invalidFormBody(errors);
      }
    }

    const blank: APIMessage = {
      ...this.#blankMessage(snowflake(), channelId, this.#botUser),
      ...(nonce === undefined ? {} : { nonce }),
    };
    const created = this.#applyEdit(
      blank,
      { ...body, flags: (body.flags ?? 0) & CHANNEL_MESSAGE_FLAGS },
      files,
      { isEdit: false },
    );
    if (isEmptyMessage(created)) return emptyMessage();
    const guild = home.kind === 'guild' ? home.guild : undefined;
    const message: APIMessage = {
      ...created,
      ...this.#mentions(created.content, allowed, guild, referenced),
      ...(referenced === undefined
        ? {}
        : {
            type: MessageType.Reply,
            message_reference: {
              type: MessageReferenceType.Default,
              channel_id: channelId,
              message_id: referenced.id,
              ...(guild === undefined ? {} : { guild_id: guild.id }),
            },
            referenced_message: { ...referenced, referenced_message: undefined },
          }),
    };
    this.#messages.set(message.id, message);
    this.#channelMessageIds.push(message.id);
    return ok(message);
  }

  /** Who a channel message pings, as allowed_mentions permits (everything when it is absent). */
  #mentions(
    content: string,
    allowed: APIAllowedMentions | undefined,
    guild: GuildFixture | undefined,
    referenced: APIMessage | undefined,
  ): Pick<APIMessage, 'mentions' | 'mention_roles' | 'mention_everyone'> {
    const parse = new Set<string>(
      allowed === undefined ? ['users', 'roles', 'everyone'] : (allowed.parse ?? []),
    );
    const userIds = [...content.matchAll(/<@!?(\d{1,20})>/g)]
      .map((match) => match[1] ?? '')
      .filter((id) => parse.has('users') || (allowed?.users ?? []).includes(id));
    if (referenced !== undefined && (allowed === undefined || allowed.replied_user === true)) {
      userIds.push(referenced.author.id);
    }
    const roleIds = guild === undefined ? [] : this.#guildRoles(guild).map((role) => role.id);
    return {
      mentions: [...new Set(userIds)].flatMap((id) => this.#users.get(id) ?? []),
      mention_roles: [
        ...new Set(
          [...content.matchAll(/<@&(\d{1,20})>/g)]
            .map((match) => match[1] ?? '')
            .filter((id) => roleIds.includes(id))
            .filter((id) => parse.has('roles') || (allowed?.roles ?? []).includes(id)),
        ),
      ],
      mention_everyone: parse.has('everyone') && /@(?:everyone|here)\b/.test(content),
    };
  }

  #blankMessage(id: string, channelId: string, author: APIUser): APIMessage {
    return {
      id,
      type: MessageType.Default,
      channel_id: channelId,
      author,
      content: '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
    };
  }

  #newMessage(state: InteractionState, body: MessageBody, files: UploadedFile[]): APIMessage {
    const message: APIMessage = {
      id: snowflake(),
      type: MESSAGE_TYPES[state.kind],
      channel_id: state.channelId,
      author: this.#botUser,
      content: '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      interaction_metadata: this.#interactionMetadata(state),
      position: 0,
    };
    return this.#applyEdit(message, body, files, { isEdit: false });
  }

  #interactionMetadata(state: InteractionState): APIMessageInteractionMetadata {
    const base = {
      id: state.id,
      user: state.user,
      authorizing_integration_owners: state.owners,
      // Follow-ups point back at the response they follow.
      ...(state.originalId === undefined ? {} : { original_response_message_id: state.originalId }),
    };
    if (state.kind === 'component') {
      return {
        ...base,
        type: InteractionType.MessageComponent,
        interacted_message_id: state.targetMessageId ?? '',
      };
    }
    return {
      ...base,
      type: InteractionType.ApplicationCommand,
      ...(state.targetMessageId === undefined ? {} : { target_message_id: state.targetMessageId }),
    };
  }

  #applyEdit(
    message: APIMessage,
    edit: MessageBody,
    files: UploadedFile[],
    { isEdit } = { isEdit: true },
  ): APIMessage {
    const loading = hasFlag(message, MessageFlags.Loading);
    const requested = edit.flags ?? message.flags ?? 0;
    // Ephemerality is fixed at creation, and the loading state of a deferred reply ends with its first edit.
    const flags = isEdit
      ? (requested & ~MessageFlags.Loading & ~MessageFlags.Ephemeral) |
        ((message.flags ?? 0) & MessageFlags.Ephemeral)
      : requested;
    return {
      ...message,
      content: edit.content === undefined ? message.content : (edit.content ?? ''),
      embeds: edit.embeds === undefined ? message.embeds : (edit.embeds ?? []),
      components:
        edit.components === undefined ? message.components : numberComponents(edit.components ?? []),
      attachments: this.#resolveAttachments(message, edit, files),
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- a bitfield, not one member
      flags,
      edited_timestamp: isEdit && !loading ? new Date().toISOString() : message.edited_timestamp,
    };
  }

  #resolveAttachments(message: APIMessage, edit: MessageBody, files: UploadedFile[]): APIAttachment[] {
    const upload = (file: UploadedFile, description?: string): APIAttachment => {
      const id = snowflake();
      // Like Discord, trust the file name over a generic part type (discord.js sends octet-stream).
      const generic = file.contentType === '' || file.contentType === 'application/octet-stream';
      const contentType = generic ? guessContentType(file.filename) : file.contentType;
      const url = this.#publish(message.channel_id, id, file.filename, file.bytes, contentType);
      return {
        id,
        filename: file.filename,
        size: file.size,
        url,
        proxy_url: url,
        content_type: contentType,
        ...(description === undefined ? {} : { description }),
        ...(hasFlag(message, MessageFlags.Ephemeral) ? { ephemeral: true } : {}),
      };
    };
    if (edit.attachments === undefined || edit.attachments === null) {
      return [...message.attachments, ...files.map((file) => upload(file))];
    }
    // Entries name either an attachment the message already has (kept) or the index of a new file part.
    const kept: APIAttachment[] = [];
    for (const entry of edit.attachments) {
      const existing = message.attachments.find((attachment) => attachment.id === String(entry.id));
      const file = files.find((part) => part.name === `files[${String(entry.id)}]`);
      if (existing) kept.push(existing);
      else if (file) kept.push(upload(file, entry.description));
    }
    return kept;
  }

  #handleFor(state: InteractionState): DispatchedInteraction {
    const callbackPath = `${API_PREFIX}/interactions/${state.id}/${state.token}/callback`;
    const webhookPath = `${API_PREFIX}/webhooks/${this.applicationId}/${state.token}`;
    const originalPath = `${webhookPath}/messages/@original`;
    const isEdit = (request: RecordedRequest): boolean =>
      request.method === 'PATCH' && request.path === originalPath;
    return {
      id: state.id,
      token: state.token,
      dispatchedAt: state.dispatchedAt,
      callback: (timeoutMs = DEFAULT_TIMEOUT_MS) =>
        this.#waitUntil(
          () => this.requests.find((request) => request.method === 'POST' && request.path === callbackPath),
          timeoutMs,
          () => `interaction ${state.id} (${state.label}) got no callback within ${timeoutMs}ms`,
        ),
      requests: () =>
        this.requests.filter(
          (request) =>
            request.path === callbackPath ||
            request.path === webhookPath ||
            request.path.startsWith(`${webhookPath}/`),
        ),
      waitForEdit: (predicate, timeoutMs = DEFAULT_TIMEOUT_MS) =>
        this.#waitUntil(
          () => this.requests.find((request) => isEdit(request) && predicate(request.body as EditBody)),
          timeoutMs,
          () =>
            `interaction ${state.id} (${state.label}) got no matching edit of @original within ${timeoutMs}ms`,
        ),
      lastEdit: () => this.requests.findLast(isEdit),
      originalMessage: () =>
        state.originalId === undefined ? undefined : this.#messages.get(state.originalId),
      followUpMessages: () => state.followUpIds.flatMap((id) => this.#messages.get(id) ?? []),
    };
  }

  // ---------------------------------------------------------------- Gateway

  #handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', this.#origin);
    const record: GatewayConnectionRecord = {
      path: url.pathname,
      query: url.searchParams,
      at: performance.now(),
    };
    this.gatewayConnections.push(record);
    const rejected = gatewayRequestProblem(url);
    if (rejected !== undefined) {
      record.rejected = rejected;
      const body = JSON.stringify({ message: rejected, code: 0 });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      this.#notify();
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      this.#openGateway(ws, url.searchParams.get('compress') === 'zlib-stream');
    });
  }

  #openGateway(socket: WebSocket, zlibStream: boolean): void {
    const connection: GatewayConnection = {
      socket,
      encode: zlibStream ? zlibStreamEncoder() : (payload) => payload,
      session: undefined,
    };
    this.#connections.add(connection);
    socket.on('message', (data, isBinary) => {
      this.#onGatewayMessage(connection, data, isBinary);
    });
    socket.on('close', () => {
      this.#connections.delete(connection);
      this.#detach(connection);
    });
    // A reset from a client that vanished is expected; 'close' follows and cleans up.
    socket.on('error', () => undefined);
    this.#send(connection, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.#options.heartbeatIntervalMs ?? 41_250 },
    });
  }

  #detach(connection: GatewayConnection): void {
    if (connection.session?.connection === connection) connection.session.connection = undefined;
    connection.session = undefined;
  }

  #onGatewayMessage(connection: GatewayConnection, data: RawData, isBinary: boolean): void {
    const payload = isBinary ? undefined : parseJson(rawDataToString(data));
    const op = asRecord(payload)?.op;
    const d = asRecord(asRecord(payload)?.d);
    if (op === undefined) {
      connection.socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        this.#send(connection, { op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(connection, d);
        return;
      case GatewayOpcodes.Resume:
        this.#resume(connection, d);
        return;
      default:
        // Presence, voice state and member requests need no answer for the bot's flows.
        return;
    }
  }

  #identify(connection: GatewayConnection, d: Record<string, unknown> | undefined): void {
    if (connection.session) {
      connection.socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    if (!this.#tokenAccepted(d?.token)) {
      connection.socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    if (d?.compress === true) {
      // Identify-compression: every later payload is a complete zlib stream of its own.
      connection.encode = (text) => deflateSync(text);
    }
    const intents = typeof d?.intents === 'number' ? d.intents : 0;
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      sequence: 0,
      connection,
      intents,
      history: [],
    };
    connection.session = session;
    this.#session = session;

    const shard = Array.isArray(d?.shard) ? (d.shard as [number, number]) : undefined;
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.#botUser,
      guilds: this.#guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: `${this.gatewayUrl}/resume`,
      ...(shard ? { shard } : {}),
      application: {
        id: this.applicationId,
        flags: APPLICATION_FLAGS,
        flags_new: APPLICATION_FLAGS.toString(),
      },
    };
    this.#dispatch(GatewayDispatchEvents.Ready, ready);
    // Without the GUILDS intent Discord never sends GUILD_CREATE; neither do we.
    if ((intents & GatewayIntentBits.Guilds) !== 0) {
      for (const guild of this.#guilds) {
        this.#dispatch(GatewayDispatchEvents.GuildCreate, this.#guildCreate(guild));
      }
    }
    this.sessionStarts.push('identify');
    this.#notify();
  }

  #resume(connection: GatewayConnection, d: Record<string, unknown> | undefined): void {
    const session = this.#session;
    if (!this.#tokenAccepted(d?.token) || session === undefined || d?.session_id !== session.id) {
      this.#send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    const seen = typeof d.seq === 'number' ? d.seq : 0;
    if (session.connection && session.connection !== connection) this.#detach(session.connection);
    connection.session = session;
    session.connection = connection;
    for (const missed of session.history) {
      if (missed.s > seen) this.#send(connection, missed);
    }
    this.#dispatch(GatewayDispatchEvents.Resumed, null);
    this.sessionStarts.push('resume');
    this.#notify();
  }

  #tokenAccepted(token: unknown): boolean {
    if (typeof token !== 'string' || token === '') return false;
    const expected = this.#options.token;
    return expected === undefined || token === expected || token === `Bot ${expected}`;
  }

  #dispatch(event: string, data: unknown): void {
    const session = this.#session;
    if (session === undefined) {
      throw new Error(
        `cannot dispatch ${event}: no client has identified yet (await waitForIdentify() first)`,
      );
    }
    session.sequence += 1;
    const payload = { op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data } as const;
    session.history.push(payload);
    // While the client is away the event waits in the history for its RESUME.
    if (session.connection) this.#send(session.connection, payload);
  }

  #send(connection: GatewayConnection, payload: object): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.socket.send(connection.encode(JSON.stringify(payload)));
  }

  // ---------------------------------------------------------------- fixtures

  #defaultGuild(): GuildFixture {
    const guild = this.#guilds[0];
    if (guild === undefined) throw new Error('DiscordStandIn needs at least one guild');
    return guild;
  }

  #guild(id: string | undefined): GuildFixture {
    if (id === undefined) return this.#defaultGuild();
    const guild = this.#guilds.find((candidate) => candidate.id === id);
    if (guild === undefined) throw new Error(`guild ${id} is not one of ${this.guildIds.join(', ')}`);
    return guild;
  }

  #textChannel(guild: GuildFixture): APITextChannel {
    return {
      id: guild.textChannelId,
      type: ChannelType.GuildText,
      guild_id: guild.id,
      name: GUILD_TEXT_CHANNEL_NAME,
      position: 0,
      permission_overwrites: [],
      parent_id: null,
      topic: null,
      nsfw: false,
      last_message_id: null,
      last_pin_timestamp: null,
      rate_limit_per_user: 0,
      default_thread_rate_limit_per_user: 0,
      default_auto_archive_duration: ThreadAutoArchiveDuration.ThreeDays,
    };
  }

  #guildCreate(guild: GuildFixture): GatewayGuildCreateDispatchData {
    const members: APIGuildMember[] = [
      makeMember(this.#botUser, [guild.botRoleId], guild.joinedAt),
      makeMember(this.#owner, [], guild.joinedAt),
    ];
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: GuildVerificationLevel.Low,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.AllMembers,
      roles: this.#guildRoles(guild),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: guild.textChannelId,
      system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      max_members: 500_000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      vanity_url_code: null,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: Locale.EnglishUS,
      nsfw_level: GuildNSFWLevel.Default,
      hub_type: null,
      incidents_data: null,
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      member_count: members.length,
      voice_states: [],
      members,
      channels: [this.#textChannel(guild)],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }
}

// ---------------------------------------------------------------- helpers

/** The callback types Discord accepts for each kind of interaction (PONG aside). */
const RESPONSE_TYPES: Record<InteractionKind, readonly InteractionResponseType[]> = {
  'chat-input': [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  'message-command': [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  component: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  autocomplete: [InteractionResponseType.ApplicationCommandAutocompleteResult],
};

/** The type of a message an interaction's response or follow-up creates. */
const MESSAGE_TYPES: Record<InteractionKind, MessageType> = {
  'chat-input': MessageType.ChatInputCommand,
  'message-command': MessageType.ContextMenuCommand,
  component: MessageType.Default,
  autocomplete: MessageType.Default,
};

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

function snowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | snowflakeIncrement).toString();
}

/** Gives an unregistered command the same id in every dispatch, as a registered one would have. */
function stableId(name: string): string {
  let hash = 0n;
  for (const char of name) hash = (hash * 31n + BigInt(char.codePointAt(0) ?? 0)) & 0x3fffffn;
  return ((1_000_000_000n << 22n) | hash).toString();
}

function makeUser(id: string, username: string): APIUser {
  return {
    id,
    username,
    discriminator: '0',
    global_name: username,
    avatar: null,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

function makeMember(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the empty bitfield has no member
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

function makeRole(id: string, name: string, permissions: bigint, position: number): APIRole {
  return {
    id,
    name,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- Discord still sends it
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the empty bitfield has no member
    flags: 0 as RoleFlags,
  };
}

const CONTENT_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  m4a: 'audio/mp4',
  flac: 'audio/flac',
  aac: 'audio/aac',
  mp4: 'video/mp4',
  webm: 'video/webm',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
};

function guessContentType(fileName: string): string {
  const extension = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/** Discord counts lengths in code points. */
function codePoints(text: string): number {
  return Array.from(text).length;
}

/** Narrows a raw JSON value to a member of a numeric enum. */
function enumValue<E extends Record<string, string | number>>(
  enumObject: E,
  value: unknown,
): E[keyof E] | undefined {
  return Object.values(enumObject).find((member) => typeof member === 'number' && member === value) as
    E[keyof E] | undefined;
}

function isLocale(value: string): value is Locale {
  return (Object.values(Locale) as string[]).includes(value);
}

function hasFlag(message: APIMessage, flag: MessageFlags): boolean {
  return ((message.flags ?? 0) & flag) !== 0;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

/** discord.js percent-encodes path segments (`@original` arrives as `%40original`). */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function describeRequest(request: RecordedRequest): string {
  const query = request.query.size > 0 ? `?${request.query.toString()}` : '';
  const body = request.body === undefined ? '' : ` ${JSON.stringify(request.body).slice(0, 160)}`;
  const files = request.files.map((file) => ` [${file.name}: ${file.filename}, ${file.size} B]`).join('');
  return `${request.at.toFixed(0)}ms ${request.method} ${request.path}${query}${body}${files}`;
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'multipart/form-data' && contentType !== undefined) {
    // Deprecated for untrusted server input; for a test's own bot, the platform parser beats a hand-rolled one.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    let body: unknown;
    const files: UploadedFile[] = [];
    for (const [name, value] of form) {
      if (typeof value === 'string') {
        if (name === 'payload_json') body = parseJson(value) ?? value;
        continue;
      }
      files.push({
        name,
        filename: value.name,
        size: value.size,
        contentType: value.type,
        bytes: new Uint8Array(await value.arrayBuffer()),
      });
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  return { body: mediaType === 'application/json' ? (parseJson(text) ?? text) : text, files: [] };
}

function sendJson(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function ok(body: unknown): ApiReply {
  return { status: 200, body };
}

function apiError(status: number, code: RESTJSONErrorCodes, message: string): ApiReply {
  return { status, body: { message, code } };
}

function emptyMessage(): ApiReply {
  return apiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
}

function invalidFormBody(errors: FormErrors): ApiReply {
  return {
    status: 400,
    body: {
      message: 'Invalid Form Body',
      code: RESTJSONErrorCodes.InvalidFormBodyOrContentType,
      errors: errors.toJSON(),
    },
  };
}

/** Gateway query parameters discord.js may send; anything else is refused so a mismatch is loud. */
function gatewayRequestProblem(url: URL): string | undefined {
  if (url.pathname !== '/' && url.pathname !== '/resume') return `no gateway at ${url.pathname}`;
  const version = url.searchParams.get('v');
  if (version !== '10') return `gateway version ${String(version)} is not supported (v=10 only)`;
  const encoding = url.searchParams.get('encoding') ?? 'json';
  if (encoding !== 'json') return `encoding=${encoding} is not supported (json only)`;
  const compress = url.searchParams.get('compress');
  if (compress !== null && compress !== 'zlib-stream')
    return `compress=${compress} is not supported (zlib-stream only)`;
  return undefined;
}

/**
 * Transport compression as zlib-sync expects it: one zlib stream per connection, each payload ending in a
 * sync flush (00 00 ff ff). Compressing every payload independently keeps this synchronous; the
 * concatenation is still one valid stream because no payload refers back to an earlier one.
 */
function zlibStreamEncoder(): (text: string) => Buffer {
  let headerSent = false;
  return (text) => {
    const blocks = deflateRawSync(text, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    if (headerSent) return blocks;
    headerSent = true;
    return Buffer.concat([Buffer.from([0x78, 0x9c]), blocks]);
  };
}

// ---------------------------------------------------------------- validation

/** Collects errors in Discord's Invalid Form Body shape: nested by field path, leaves under `_errors`. */
class FormErrors {
  readonly #root: ErrorNode = { errors: [], children: new Map() };
  size = 0;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node = this.#root;
    for (const key of path) {
      let child = node.children.get(String(key));
      if (child === undefined) {
        child = { errors: [], children: new Map() };
        node.children.set(String(key), child);
      }
      node = child;
    }
    node.errors.push({ code, message });
    this.size += 1;
  }

  toJSON(): Record<string, unknown> {
    return serializeErrors(this.#root);
  }
}

interface ErrorNode {
  errors: { code: string; message: string }[];
  children: Map<string, ErrorNode>;
}

function serializeErrors(node: ErrorNode): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (node.errors.length > 0) result._errors = node.errors;
  for (const [key, child] of node.children) result[key] = serializeErrors(child);
  return result;
}

function maxLength(errors: FormErrors, path: (string | number)[], value: unknown, limit: number): void {
  if (typeof value === 'string' && codePoints(value) > limit) {
    errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${limit} or fewer in length.`);
  }
}

/** Narrows an untrusted message body and applies Discord's message and embed limits. */
function readMessageBody(raw: unknown, errors: FormErrors, at: (string | number)[]): MessageBody {
  const body = asRecord(raw);
  if (body === undefined) {
    errors.add(at, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return {};
  }
  const { content, embeds, components, attachments, flags } = body;
  if (content !== undefined && content !== null && typeof content !== 'string') {
    errors.add([...at, 'content'], 'BASE_TYPE_STRING', 'Must be a string.');
  }
  maxLength(errors, [...at, 'content'], content, 2000);
  for (const [field, value] of Object.entries({ embeds, components, attachments })) {
    if (value !== undefined && value !== null && !Array.isArray(value)) {
      errors.add([...at, field], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    }
  }
  if (flags !== undefined && flags !== null && typeof flags !== 'number') {
    errors.add([...at, 'flags'], 'NUMBER_TYPE_COERCE', 'Value is not int.');
  }
  if (Array.isArray(attachments)) {
    attachments.forEach((entry, index) => {
      if (asRecord(entry)?.id === undefined)
        errors.add([...at, 'attachments', index, 'id'], 'BASE_TYPE_REQUIRED', 'This field is required');
    });
  }
  if (Array.isArray(embeds)) validateEmbeds(embeds, errors, [...at, 'embeds']);
  // Callers use the body only when no error was added, so its fields have the shapes checked above.
  return body;
}

function validateEmbeds(embeds: unknown[], errors: FormErrors, at: (string | number)[]): void {
  if (embeds.length > 10) errors.add(at, 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  const limit = (path: (string | number)[], value: unknown, max: number): void => {
    maxLength(errors, path, value, max);
    if (typeof value === 'string') total += codePoints(value);
  };
  embeds.forEach((raw, index) => {
    const embed = asRecord(raw);
    const path = [...at, index];
    if (embed === undefined) {
      errors.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      return;
    }
    limit([...path, 'title'], embed.title, 256);
    limit([...path, 'description'], embed.description, 4096);
    limit([...path, 'footer', 'text'], asRecord(embed.footer)?.text, 2048);
    limit([...path, 'author', 'name'], asRecord(embed.author)?.name, 256);
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    if (fields.length > 25)
      errors.add([...path, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    fields.forEach((rawField, fieldIndex) => {
      const field = asRecord(rawField);
      for (const [key, max] of [
        ['name', 256],
        ['value', 1024],
      ] as const) {
        const fieldPath = [...path, 'fields', fieldIndex, key];
        const value = field?.[key];
        if (typeof value !== 'string' || value === '')
          errors.add(fieldPath, 'BASE_TYPE_REQUIRED', 'This field is required');
        limit(fieldPath, value, max);
      }
    });
  });
  if (total > 6000) errors.add(at, 'BASE_TYPE_MAX_LENGTH', 'Embed size exceeds maximum size of 6000');
}

function isEmptyMessage(message: APIMessage): boolean {
  if (hasFlag(message, MessageFlags.Loading)) return false;
  return (
    message.content === '' &&
    message.embeds.length === 0 &&
    message.attachments.length === 0 &&
    (message.components ?? []).length === 0 &&
    message.poll === undefined
  );
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateCommands(body: unknown): FormErrors {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    return errors;
  }
  if (body.length > 100) errors.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  const seen = new Set<string>();
  body.forEach((raw, index) => {
    const command = asRecord(raw);
    if (command === undefined) {
      errors.add([index], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      return;
    }
    const type =
      command.type === undefined
        ? ApplicationCommandType.ChatInput
        : enumValue(ApplicationCommandType, command.type);
    if (type === undefined) {
      errors.add(
        [index, 'type'],
        'ENUM_TYPE_COERCE',
        `Value "${String(command.type)}" is not a valid enum value.`,
      );
      return;
    }
    const chatInput = type === ApplicationCommandType.ChatInput;
    validateNamed(command, errors, [index], { lowercase: chatInput, needsDescription: chatInput });
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key)) {
      errors.add(
        [index, 'name'],
        'APPLICATION_COMMANDS_DUPLICATE_NAME',
        'Application command names must be unique',
      );
    }
    seen.add(key);
    if (!chatInput && typeof command.description === 'string' && command.description !== '') {
      errors.add(
        [index, 'description'],
        'APPLICATION_COMMAND_DESCRIPTION_INVALID',
        'Context menu commands cannot have a description',
      );
    }
    validateOptions(command.options, errors, [index, 'options']);
  });
  return errors;
}

function validateOptions(raw: unknown, errors: FormErrors, at: (string | number)[]): void {
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) {
    errors.add(at, 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    return;
  }
  if (raw.length > 25) errors.add(at, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  const names = new Set<string>();
  let optionalSeen = false;
  raw.forEach((entry, index) => {
    const option = asRecord(entry);
    if (option === undefined) {
      errors.add([...at, index], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      return;
    }
    validateNamed(option, errors, [...at, index], { lowercase: true, needsDescription: true });
    const name = String(option.name);
    if (names.has(name)) {
      errors.add(
        [...at, index, 'name'],
        'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
        `Option name ${name} is already used in these options`,
      );
    }
    names.add(name);
    if (option.required === true && optionalSeen) {
      errors.add(
        [...at, index, 'required'],
        'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options',
      );
    }
    if (option.required !== true) optionalSeen = true;
    if (Array.isArray(option.choices) && option.choices.length > 25) {
      errors.add([...at, index, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    }
    validateOptions(option.options, errors, [...at, index, 'options']);
  });
}

function validateNamed(
  item: Record<string, unknown>,
  errors: FormErrors,
  at: (string | number)[],
  rules: { lowercase: boolean; needsDescription: boolean },
): void {
  const checkName = (value: unknown, path: (string | number)[]): void => {
    const valid =
      typeof value === 'string' &&
      (rules.lowercase
        ? COMMAND_NAME.test(value) && value === value.toLowerCase()
        : value.length >= 1 && value.length <= 32);
    if (!valid) errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  };
  const checkDescription = (value: unknown, path: (string | number)[]): void => {
    if (typeof value !== 'string' || codePoints(value) < 1 || codePoints(value) > 100) {
      errors.add(path, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
  };
  checkName(item.name, [...at, 'name']);
  if (rules.needsDescription) checkDescription(item.description, [...at, 'description']);
  for (const [field, check] of [
    ['name_localizations', checkName],
    ['description_localizations', checkDescription],
  ] as const) {
    const localizations = asRecord(item[field]);
    if (localizations === undefined) continue;
    if (field === 'description_localizations' && !rules.needsDescription) continue;
    for (const [locale, value] of Object.entries(localizations)) {
      if (!isLocale(locale))
        errors.add([...at, field, locale], 'LOCALE_INVALID', `"${locale}" is not a valid locale`);
      else check(value, [...at, field, locale]);
    }
  }
}

// ---------------------------------------------------------------- components, choices, mentions

function countFocused(options: readonly unknown[] | undefined): number {
  let count = 0;
  for (const raw of options ?? []) {
    const option = asRecord(raw);
    if (option?.focused === true) count += 1;
    if (Array.isArray(option?.options)) count += countFocused(option.options);
  }
  return count;
}

/** Every component of a message, depth first: rows and containers, their children, section accessories. */
function walkComponents(components: readonly unknown[]): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (raw: unknown): void => {
    const component = asRecord(raw);
    if (component === undefined) return;
    found.push(component);
    if (Array.isArray(component.components)) component.components.forEach(visit);
    if (component.accessory !== undefined) visit(component.accessory);
  };
  components.forEach(visit);
  return found;
}

function findComponent(
  components: readonly unknown[],
  customId: string,
): Record<string, unknown> | undefined {
  return walkComponents(components).find((component) => component.custom_id === customId);
}

function componentCustomIds(components: readonly unknown[]): string[] {
  return walkComponents(components).flatMap((component) =>
    typeof component.custom_id === 'string' ? [component.custom_id] : [],
  );
}

/** Discord only sends values a user could pick: options of the menu, between min_values and max_values. */
function checkSelectValues(component: Record<string, unknown>, customId: string, values: string[]): void {
  const min = typeof component.min_values === 'number' ? component.min_values : 1;
  const max = typeof component.max_values === 'number' ? component.max_values : 1;
  if (values.length < min || values.length > max) {
    throw new Error(`select menu "${customId}" takes ${min} to ${max} value(s), not ${values.length}`);
  }
  const offered = (Array.isArray(component.options) ? component.options : []).map((option) =>
    String(asRecord(option)?.value),
  );
  const unknown = values.filter((value) => !offered.includes(value));
  if (unknown.length > 0) {
    throw new Error(
      `select menu "${customId}" offers ${offered.join(', ')}; it has no ${unknown.join(', ')}`,
    );
  }
}

/** Like Discord, gives every component without an `id` the next free number, depth first. */
function numberComponents(components: unknown[]): APIMessage['components'] {
  let next =
    Math.max(0, ...walkComponents(components).map((component) => Number(component.id ?? 0) || 0)) + 1;
  const visit = (raw: unknown): unknown => {
    const component = asRecord(raw);
    if (component === undefined) return raw;
    const copy: Record<string, unknown> = { ...component };
    if (typeof copy.type === 'number' && copy.id === undefined) copy.id = next++;
    if (Array.isArray(copy.components)) copy.components = copy.components.map(visit);
    if (copy.accessory !== undefined) copy.accessory = visit(copy.accessory);
    return copy;
  };
  return components.map(visit) as APIMessage['components'];
}

function readChoices(raw: unknown, errors: FormErrors): APIApplicationCommandOptionChoice[] {
  const choices = asRecord(raw)?.choices;
  if (!Array.isArray(choices)) {
    errors.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return [];
  }
  if (choices.length > 25) {
    errors.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  }
  choices.forEach((entry, index) => {
    const choice = asRecord(entry);
    const path = ['data', 'choices', index];
    if (typeof choice?.name !== 'string' || codePoints(choice.name) < 1 || codePoints(choice.name) > 100) {
      errors.add([...path, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    const value = choice?.value;
    if (typeof value === 'string') maxLength(errors, [...path, 'value'], value, 100);
    else if (typeof value !== 'number')
      errors.add([...path, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
  });
  return choices as APIApplicationCommandOptionChoice[];
}

const MENTION_TYPES = ['users', 'roles', 'everyone'];

function readAllowedMentions(raw: unknown, errors: FormErrors): APIAllowedMentions | undefined {
  if (raw === undefined || raw === null) return undefined;
  const allowed = asRecord(raw);
  if (allowed === undefined) {
    errors.add(['allowed_mentions'], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return undefined;
  }
  const lists: Record<string, unknown[]> = {};
  for (const field of ['parse', 'users', 'roles']) {
    const value = allowed[field];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) {
      errors.add(
        ['allowed_mentions', field],
        'LIST_TYPE_CONVERT',
        'Only iterables may be used in a ListType',
      );
      continue;
    }
    if (value.length > 100) {
      errors.add(['allowed_mentions', field], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    }
    lists[field] = value;
  }
  (lists.parse ?? []).forEach((value, index) => {
    if (typeof value !== 'string' || !MENTION_TYPES.includes(value)) {
      errors.add(
        ['allowed_mentions', 'parse', index],
        'ENUM_TYPE_COERCE',
        `Value "${String(value)}" is not a valid enum value.`,
      );
    }
  });
  for (const field of ['users', 'roles']) {
    const ids = lists[field] ?? [];
    if ((lists.parse ?? []).includes(field) && ids.length > 0) {
      errors.add(
        ['allowed_mentions'],
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${field}"] and ${field}: [ids...] are mutually exclusive.`,
      );
    }
  }
  // Used only when no error was added, so the lists have the shapes checked above.
  return allowed;
}

interface ReplyReference {
  messageId: string;
  channelId: string | undefined;
  failIfNotExists: boolean;
}

function readMessageReference(raw: unknown, errors: FormErrors): ReplyReference | undefined {
  if (raw === undefined || raw === null) return undefined;
  const reference = asRecord(raw);
  if (reference === undefined) {
    errors.add(['message_reference'], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return undefined;
  }
  if (reference.type !== undefined && reference.type !== MessageReferenceType.Default) {
    errors.add(
      ['message_reference', 'type'],
      'UNSUPPORTED_BY_STAND_IN',
      'DiscordStandIn only supports replies (type 0), not forwards.',
    );
    return undefined;
  }
  const { message_id: messageId, channel_id: channelId, fail_if_not_exists: failIfNotExists } = reference;
  if (typeof messageId !== 'string' || !/^\d{1,20}$/.test(messageId)) {
    errors.add(['message_reference', 'message_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return undefined;
  }
  return {
    messageId,
    channelId: typeof channelId === 'string' ? channelId : undefined,
    // Discord's default: a reply to a missing message is an error.
    failIfNotExists: failIfNotExists !== false,
  };
}
