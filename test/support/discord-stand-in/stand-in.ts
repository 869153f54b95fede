/**
 * DiscordStandIn: a local Discord that the real discord.js Client can log in to, on one port of
 * 127.0.0.1 (REST API, Gateway and CDN), plus what tests use to act as users and to check what the bot
 * sent. Every HTTP request is recorded so tests assert on what the bot actually sent, and wait for it
 * instead of sleeping.
 */
import { GatewayDispatchEvents, GatewayIntentBits } from 'discord-api-types/v10';
import type { APIAttachment, APIMessage, APIRole } from 'discord-api-types/v10';
import { Cdn } from './cdn.ts';
import { DEFAULT_TIMEOUT_MS, DEFAULT_USER_ID, guessContentType, makeRole, snowflake } from './fixtures.ts';
import { Gateway } from './gateway.ts';
import { Interactions } from './interactions.ts';
import { MessageWriter } from './messages.ts';
import { Recorder } from './recorder.ts';
import { applicationRoutes } from './rest/application-routes.ts';
import { channelRoutes } from './rest/channel-routes.ts';
import { interactionRoutes } from './rest/interaction-routes.ts';
import { routeApi, type Route } from './rest/router.ts';
import { openPort, type StandInPort } from './server.ts';
import type {
  AttachmentServeOptions,
  AutocompleteCommand,
  ChannelMessageInput,
  ChatInputCommand,
  ComponentTarget,
  ComponentUse,
  DispatchedAutocomplete,
  DispatchedInteraction,
  GatewayConnectionRecord,
  MessageCommand,
  ModalValues,
  RecordedRequest,
  RoleInput,
  SessionStart,
  StandInOptions,
} from './types.ts';
import { World } from './world.ts';

export class DiscordStandIn {
  /** What the bot gets as `rest.api`. */
  readonly apiUrl: string;
  /** What GET /gateway/bot announces; clients append `?v=10&encoding=json`. */
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly guildIds: readonly string[];
  readonly requests: RecordedRequest[];
  readonly gatewayConnections: GatewayConnectionRecord[];
  /** How each gateway session (re)started, in order. */
  readonly sessionStarts: SessionStart[];

  readonly #port: StandInPort;
  readonly #world: World;
  readonly #recorder: Recorder;
  readonly #gateway: Gateway;
  readonly #cdn: Cdn;
  readonly #interactions: Interactions;
  readonly #writer: MessageWriter;
  #closed = false;

  private constructor(port: StandInPort, options: StandInOptions) {
    this.#port = port;
    this.apiUrl = `${port.origin}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port.port}`;
    const world = new World(options);
    this.#world = world;
    this.applicationId = world.applicationId;
    this.guildIds = world.guildIds;

    this.#gateway = new Gateway({
      world,
      url: this.gatewayUrl,
      origin: port.origin,
      token: options.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      changed: () => {
        this.#recorder.notify();
      },
    });
    this.#recorder = new Recorder(() => this.#gateway.describe());
    this.requests = this.#recorder.requests;
    this.gatewayConnections = this.#gateway.connectionLog;
    this.sessionStarts = this.#gateway.sessionStarts;
    this.#cdn = new Cdn(port.origin);
    this.#interactions = new Interactions({
      world,
      gateway: this.#gateway,
      recorder: this.#recorder,
      createRole: (input) => this.createRole(input),
    });

    const writer = new MessageWriter(world, this.#cdn);
    this.#writer = writer;
    const routes: Route[] = [
      ...applicationRoutes(world, this.gatewayUrl, options.botPublic),
      ...interactionRoutes(world, writer, options.callbackDeadlineMs),
      ...channelRoutes(world, writer),
    ];
    port.attach({
      api: (request, path) => routeApi(routes, request, path, options.token),
      cdn: (pathname, response) => this.#cdn.serve(pathname, response),
      record: (request) => {
        this.#recorder.record(request);
      },
      upgrade: (request, socket, head) => {
        this.#gateway.handleUpgrade(request, socket, head);
      },
    });
  }

  static async start(options: StandInOptions = {}): Promise<DiscordStandIn> {
    return new DiscordStandIn(await openPort(), options);
  }

  get identifyCount(): number {
    return this.sessionStarts.filter((start) => start === 'identify').length;
  }

  get resumeCount(): number {
    return this.sessionStarts.filter((start) => start === 'resume').length;
  }

  /** Puts a file on the CDN (in the first guild's channel) and returns its signed-looking URL. */
  serveAttachment(fileName: string, bytes: Uint8Array, options: AttachmentServeOptions = {}): string {
    const channelId = this.#world.defaultGuild().textChannelId;
    const contentType = options.contentType ?? guessContentType(fileName);
    return this.#cdn.publish(channelId, snowflake(), fileName, bytes, contentType, options);
  }

  /**
   * The bytes the CDN holds for an attachment URL, e.g. an mp3 the bot attached to a reply or
   * follow-up (`message.attachments[0].url`). Undefined when the CDN has nothing there.
   */
  attachmentBytes(attachment: string | Pick<APIAttachment, 'url'>): Uint8Array | undefined {
    return this.#cdn.bytes(typeof attachment === 'string' ? attachment : attachment.url);
  }

  /** Resolves once `count` identifies have happened in all (a restarted bot identifies again). */
  waitForIdentify(timeoutMs = DEFAULT_TIMEOUT_MS, count = 1): Promise<void> {
    return this.#recorder
      .waitUntil(
        () => (this.identifyCount >= count ? true : undefined),
        timeoutMs,
        () => `no client identified within ${timeoutMs}ms`,
      )
      .then(() => undefined);
  }

  /** Resolves with how the client came back after the latest dropGateway(). */
  waitForReconnect(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SessionStart> {
    const mark = this.#gateway.dropMark;
    if (mark === undefined) return Promise.reject(new Error('waitForReconnect() before any dropGateway()'));
    return this.#recorder.waitUntil(
      () => this.sessionStarts[mark],
      timeoutMs,
      () => `the client did not resume or identify within ${timeoutMs}ms of dropGateway()`,
    );
  }

  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<RecordedRequest> {
    return this.#recorder.waitUntil(
      () => this.requests.find(predicate),
      timeoutMs,
      () => `no matching request within ${timeoutMs}ms`,
    );
  }

  dispatchChatInputCommand(command: ChatInputCommand): DispatchedInteraction {
    return this.#interactions.chatInput(command);
  }

  /** A message context-menu command (APPLICATION_COMMAND, data.type 3) used on `targetMessage`. */
  dispatchMessageCommand(command: MessageCommand): DispatchedInteraction {
    return this.#interactions.messageCommand(command);
  }

  /** A click on the button `customId` of the target message (MESSAGE_COMPONENT, component_type 2). */
  dispatchButton(target: ComponentTarget, customId: string, use: ComponentUse = {}): DispatchedInteraction {
    return this.#interactions.component(target, customId, undefined, use);
  }

  /** A choice in the string select menu `customId` of the target message (component_type 3). */
  dispatchSelect(
    target: ComponentTarget,
    customId: string,
    values: string[],
    use: ComponentUse = {},
  ): DispatchedInteraction {
    return this.#interactions.component(target, customId, values, use);
  }

  /** An APPLICATION_COMMAND_AUTOCOMPLETE interaction; the bot answers with a type 8 callback. */
  dispatchAutocomplete(command: AutocompleteCommand): DispatchedAutocomplete {
    return this.#interactions.autocomplete(command);
  }

  /**
   * The user submits the modal the bot opened in answer to `opened` (MODAL_SUBMIT, type 5), with
   * `values` by custom_id: a string per text input, the picked values per string select. Read the
   * modal first with `opened.modal()` once `await opened.callback()` resolved.
   */
  dispatchModalSubmit(
    opened: DispatchedInteraction,
    values: ModalValues = {},
    use: { locale?: string } = {},
  ): DispatchedInteraction {
    return this.#interactions.modalSubmit(opened, values, use.locale);
  }

  /**
   * A message a user posted in a guild's text channel, its attachments served by the stand-in CDN. Nothing
   * is dispatched (the bot's intents do not ask for messages); target it with dispatchMessageCommand().
   */
  postChannelMessage(input: ChannelMessageInput): APIMessage {
    const world = this.#world;
    const channelId = world.guild(input.guildId).textChannelId;
    const id = snowflake();
    const attachments = (input.attachments ?? []).map((file): APIAttachment => {
      const attachmentId = snowflake();
      const contentType = file.contentType ?? guessContentType(file.filename);
      const url = this.#cdn.publish(
        channelId,
        attachmentId,
        file.filename,
        file.bytes,
        contentType,
        file.serve,
      );
      return {
        id: attachmentId,
        filename: file.filename,
        size: file.size ?? file.bytes.length,
        url,
        proxy_url: url,
        content_type: contentType,
        ...(file.voice && { duration_secs: file.voice.durationSecs, waveform: file.voice.waveform }),
      };
    });
    const message: APIMessage = {
      ...this.#writer.blank(id, channelId, world.user(input.authorId ?? DEFAULT_USER_ID)),
      content: input.content ?? '',
      attachments,
      ...(input.flags !== undefined && { flags: input.flags }),
    };
    world.messages.set(id, message);
    return message;
  }

  /**
   * Adds a role to a guild (the first by default), or returns the role that already has `id`. A connected
   * client hears of it through GUILD_ROLE_CREATE, ahead of any interaction dispatched afterwards.
   */
  createRole(input: RoleInput): APIRole {
    const guild = this.#world.guild(input.guildId);
    const existing = this.#world.guildRoles(guild).find((role) => role.id === input.id);
    if (existing) return existing;
    const role = makeRole(
      input.id ?? snowflake(),
      input.name,
      input.permissions ?? 0n,
      guild.roles.length + 2,
    );
    guild.roles.push(role);
    if (this.#gateway.hasIntent(GatewayIntentBits.Guilds)) {
      this.#gateway.dispatch(GatewayDispatchEvents.GuildRoleCreate, { guild_id: guild.id, role });
    }
    return role;
  }

  /** While on, POST /channels/{id}/messages answers 403 Missing Permissions (50013). */
  denyChannelMessages(deny = true): void {
    this.#world.denyChannelMessages = deny;
  }

  /** Messages the bot posted through POST /channels/{id}/messages, as they stand now, oldest first. */
  channelMessages(): APIMessage[] {
    return this.#world.channelMessages();
  }

  /**
   * Every interaction dispatched so far outlives its token, as after Discord's 15 minutes: its
   * callback answers 10062 and its webhook (edits, follow-ups) 401 Invalid Webhook Token (50027).
   */
  expireInteractions(): void {
    for (const state of this.#world.interactions.values()) state.expired = true;
  }

  /** A member (or a moderator) deletes a message: every later request that names it finds nothing. */
  deleteMessage(id: string): void {
    if (!this.#world.messages.delete(id)) throw new Error(`DiscordStandIn knows no message ${id}`);
  }

  /** Any message the stand-in knows (interaction responses included), as it stands now. */
  message(id: string): APIMessage | undefined {
    return this.#world.messages.get(id);
  }

  /** Without a close code the socket is destroyed (the client sees 1006 and resumes); with one it is closed cleanly. */
  dropGateway(closeCode?: number): void {
    this.#gateway.drop(closeCode);
  }

  /** Destroy the discord.js Client first: a client that loses the stand-in keeps trying to reconnect. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#recorder.close();
    this.#cdn.close();
    await this.#gateway.close();
    await this.#port.close();
  }
}
