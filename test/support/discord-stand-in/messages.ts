/**
 * Building and editing messages as Discord does: blank channel messages, interaction responses with their
 * metadata, edits that keep ephemerality and end the loading state, and attachments uploaded as
 * multipart `files[n]` parts, which land on the CDN so tests can read them back.
 */
import { InteractionType, MessageFlags, MessageType } from 'discord-api-types/v10';
import type {
  APIApplicationCommandInteractionMetadata,
  APIAttachment,
  APIMessage,
  APIMessageComponentInteractionMetadata,
  APIMessageInteractionMetadata,
  APIUser,
} from 'discord-api-types/v10';
import type { Cdn } from './cdn.ts';
import { numberComponents } from './components.ts';
import { guessContentType, snowflake } from './fixtures.ts';
import { hasFlag } from './narrow.ts';
import type { RecordedFile } from './types.ts';
import type { MessageBody } from './validation/message-body.ts';
import type { InteractionKind, InteractionState, World } from './world.ts';

/** The type of a message an interaction's response or follow-up creates. */
const MESSAGE_TYPES: Record<InteractionKind, MessageType> = {
  'chat-input': MessageType.ChatInputCommand,
  'message-command': MessageType.ContextMenuCommand,
  component: MessageType.Default,
  autocomplete: MessageType.Default,
  'modal-submit': MessageType.Default,
};

export class MessageWriter {
  readonly #world: World;
  readonly #cdn: Cdn;

  constructor(world: World, cdn: Cdn) {
    this.#world = world;
    this.#cdn = cdn;
  }

  blank(id: string, channelId: string, author: APIUser): APIMessage {
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

  /** A response or follow-up of the interaction `state`, written by the application's webhook. */
  forInteraction(state: InteractionState, body: MessageBody, files: RecordedFile[]): APIMessage {
    const { applicationId, botUser } = this.#world;
    const message: APIMessage = {
      ...this.blank(snowflake(), state.channelId, botUser),
      type: MESSAGE_TYPES[state.kind],
      webhook_id: applicationId,
      application_id: applicationId,
      interaction_metadata: interactionMetadata(state),
      position: 0,
    };
    return this.applyEdit(message, body, files, { isEdit: false });
  }

  applyEdit(
    message: APIMessage,
    edit: MessageBody,
    files: RecordedFile[],
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

  #resolveAttachments(message: APIMessage, edit: MessageBody, files: RecordedFile[]): APIAttachment[] {
    const upload = (file: RecordedFile, description?: string): APIAttachment => {
      const id = snowflake();
      // Like Discord, trust the file name over a generic part type (discord.js sends octet-stream).
      const generic = file.contentType === '' || file.contentType === 'application/octet-stream';
      const contentType = generic ? guessContentType(file.filename) : file.contentType;
      const url = this.#cdn.publish(message.channel_id, id, file.filename, file.bytes, contentType);
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
}

function interactionMetadata(state: InteractionState): APIMessageInteractionMetadata {
  if (state.kind === 'modal-submit' && state.openedBy !== undefined) {
    return {
      id: state.id,
      user: state.user,
      authorizing_integration_owners: state.owners,
      ...(state.originalId === undefined ? {} : { original_response_message_id: state.originalId }),
      type: InteractionType.ModalSubmit,
      // What opened a modal is a command or a component, never another modal.
      triggering_interaction_metadata: interactionMetadata(state.openedBy) as
        APIApplicationCommandInteractionMetadata | APIMessageComponentInteractionMetadata,
    };
  }
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
