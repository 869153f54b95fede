/**
 * Narrows untrusted message bodies (interaction responses, follow-ups, edits, channel messages) and
 * applies Discord's limits, so a reply Discord would refuse fails here as it would in production.
 */
import { MessageFlags, MessageReferenceType } from 'discord-api-types/v10';
import type {
  APIAllowedMentions,
  APIApplicationCommandOptionChoice,
  APIMessage,
  RESTAPIAttachment,
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
} from 'discord-api-types/v10';
import { asRecord, codePoints, hasFlag } from '../narrow.ts';
import { maxLength, type FieldPath, type FormErrors } from './form-errors.ts';

/** The fields of a message body the stand-in reads, narrowed as far as readMessageBody() checks them. */
export type MessageBody = Pick<RESTPatchAPIWebhookWithTokenMessageJSONBody, 'content' | 'embeds'> & {
  components?: unknown[] | null;
  attachments?: RESTAPIAttachment[] | null;
  flags?: number | null;
  poll?: unknown;
};

export function readMessageBody(raw: unknown, errors: FormErrors, at: FieldPath): MessageBody {
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

function validateEmbeds(embeds: unknown[], errors: FormErrors, at: FieldPath): void {
  if (embeds.length > 10) errors.add(at, 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  const limit = (path: FieldPath, value: unknown, max: number): void => {
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

export function isEmptyMessage(message: APIMessage): boolean {
  if (hasFlag(message, MessageFlags.Loading)) return false;
  return (
    message.content === '' &&
    message.embeds.length === 0 &&
    message.attachments.length === 0 &&
    (message.components ?? []).length === 0 &&
    message.poll === undefined
  );
}

export function readChoices(raw: unknown, errors: FormErrors): APIApplicationCommandOptionChoice[] {
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

export function readAllowedMentions(raw: unknown, errors: FormErrors): APIAllowedMentions | undefined {
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

export interface ReplyReference {
  messageId: string;
  channelId: string | undefined;
  failIfNotExists: boolean;
}

export function readMessageReference(raw: unknown, errors: FormErrors): ReplyReference | undefined {
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
