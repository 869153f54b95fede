/**
 * Channels and their messages: fetching a channel or a message, opening a DM, and posting a channel
 * message (replies, allowed mentions, nonce deduplication, and a switch that denies the permission).
 */
import { MessageReferenceType, MessageType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { APIAllowedMentions, APIMessage } from 'discord-api-types/v10';
import { CHANNEL_MESSAGE_FLAGS, snowflake, type GuildFixture } from '../fixtures.ts';
import type { MessageWriter } from '../messages.ts';
import { asRecord } from '../narrow.ts';
import { FormErrors } from '../validation/form-errors.ts';
import {
  isEmptyMessage,
  readAllowedMentions,
  readMessageBody,
  readMessageReference,
} from '../validation/message-body.ts';
import type { World } from '../world.ts';
import {
  apiError,
  emptyMessage,
  invalidFormBody,
  ok,
  type ApiContext,
  type ApiReply,
  type Route,
} from './router.ts';

export function channelRoutes(world: World, writer: MessageWriter): Route[] {
  const getChannel = ({ params }: ApiContext): ApiReply => {
    const channel = world.channelObject(params.channel ?? '');
    return channel ? ok(channel) : apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
  };

  const createDm = ({ request }: ApiContext): ApiReply => {
    const recipient = asRecord(request.body)?.recipient_id;
    if (typeof recipient !== 'string' || !/^\d{1,20}$/.test(recipient)) {
      const errors = new FormErrors();
      errors.add(['recipient_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      return invalidFormBody(errors);
    }
    return ok(world.dmChannelFor(world.user(recipient)));
  };

  const getMessage = ({ params }: ApiContext): ApiReply => {
    if (!world.channels.has(params.channel ?? '')) {
      return apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
    }
    const message = world.channelMessage(params.channel ?? '', params.message ?? '');
    return message ? ok(message) : apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
  };

  const createMessage = ({ request, params }: ApiContext): ApiReply => {
    const channelId = params.channel ?? '';
    const home = world.channels.get(channelId);
    if (home === undefined) return apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
    if (world.denyChannelMessages) {
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
      const earlier = world
        .channelMessages()
        .find((message) => message.channel_id === channelId && message.nonce === nonce);
      if (earlier) return ok(earlier);
    }
    let referenced: APIMessage | undefined;
    if (reference !== undefined) {
      referenced = world.channelMessage(reference.channelId ?? channelId, reference.messageId);
      if (referenced?.channel_id !== channelId) referenced = undefined;
      if (referenced === undefined && reference.failIfNotExists) {
        errors.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
        return invalidFormBody(errors);
      }
    }

    const blank: APIMessage = {
      ...writer.blank(snowflake(), channelId, world.botUser),
      ...(nonce === undefined ? {} : { nonce }),
    };
    const created = writer.applyEdit(
      blank,
      { ...body, flags: (body.flags ?? 0) & CHANNEL_MESSAGE_FLAGS },
      request.files,
      { isEdit: false },
    );
    if (isEmptyMessage(created)) return emptyMessage();
    const guild = home.kind === 'guild' ? home.guild : undefined;
    const message: APIMessage = {
      ...created,
      ...mentions(world, created.content, allowed, guild, referenced),
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
    world.messages.set(message.id, message);
    world.channelMessageIds.push(message.id);
    return ok(message);
  };

  return [
    { method: 'GET', pattern: /^\/channels\/(?<channel>\d+)$/, botAuth: true, handle: getChannel },
    {
      method: 'POST',
      pattern: /^\/channels\/(?<channel>\d+)\/messages$/,
      botAuth: true,
      handle: createMessage,
    },
    {
      method: 'GET',
      pattern: /^\/channels\/(?<channel>\d+)\/messages\/(?<message>\d+)$/,
      botAuth: true,
      handle: getMessage,
    },
    { method: 'POST', pattern: /^\/users\/@me\/channels$/, botAuth: true, handle: createDm },
  ];
}

/** Who a channel message pings, as allowed_mentions permits (everything when it is absent). */
function mentions(
  world: World,
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
  const roleIds = guild === undefined ? [] : world.guildRoles(guild).map((role) => role.id);
  return {
    mentions: [...new Set(userIds)].flatMap((id) => world.users.get(id) ?? []),
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
