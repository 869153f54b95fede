/** What tests pass to and get back from the Discord stand-in. Payloads are discord-api-types shapes. */
import type { IncomingHttpHeaders } from 'node:http';
import type {
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOptionChoice,
  APIMessage,
  APIModalInteractionResponseCallbackData,
  MessageFlags,
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
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

/** A file part of a multipart request, e.g. an mp3 the bot attached to a reply. */
export interface RecordedFile {
  /** Form field name, e.g. `files[0]`. */
  name: string;
  filename: string;
  size: number;
  contentType: string;
  bytes: Uint8Array;
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
  /** "Public Bot" in the Developer Portal: anyone may add the bot to their server. Off by default. */
  botPublic?: boolean;
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

/** Who sends an interaction, and from where. */
export interface InteractionUser {
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

export interface ChatInputCommand extends InteractionUser {
  name: string;
  options?: APIApplicationCommandInteractionDataOption[];
  attachments?: CommandAttachment[];
}

export interface MessageCommand extends Omit<InteractionUser, 'dm'> {
  /** The context-menu command's name, e.g. `Upload voice`. */
  name: string;
  /** The message the command was used on, e.g. what postChannelMessage() returned. */
  targetMessage: APIMessage;
  /** Must be the guild of the target message's channel, if given. */
  guildId?: string;
}

export interface AutocompleteCommand extends InteractionUser {
  name: string;
  /** Exactly one option (possibly inside a subcommand) must have `focused: true`. */
  options: APIApplicationCommandInteractionDataOption[];
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
  /** A voice message's attachment: its length as the client measured it, and its waveform. */
  voice?: { durationSecs: number; waveform: string };
}

export interface ChannelMessageInput {
  content?: string;
  attachments?: ChannelMessageAttachment[];
  /** Defaults to the user dispatched interactions come from. */
  authorId?: string;
  /** The guild whose text channel gets the message; defaults to the first. */
  guildId?: string;
  /** Message flags, e.g. MessageFlags.IsVoiceMessage (1 << 13) for a voice message. */
  flags?: MessageFlags;
}

/** Who uses a button or select menu. By default, the user of the interaction whose message it is. */
export interface ComponentUse {
  userId?: string;
  locale?: string;
  memberRoles?: string[];
}

/**
 * What the user typed or picked in the modal the bot opened, by custom_id: a string for a text input,
 * the chosen values for a string select. Inputs left out are submitted empty, as Discord does for
 * optional ones; a required one left out is an error in the test.
 */
export type ModalValues = Record<string, string | string[]>;

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
  /** The modal the bot opened in answer (callback type 9), once that callback arrived. */
  modal(): APIModalInteractionResponseCallbackData | undefined;
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
