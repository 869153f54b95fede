import { randomUUID } from 'node:crypto';
import type { InteractionEditReplyOptions, InteractionReplyOptions } from 'discord.js';
import type { Catalogue } from '../i18n/index.ts';
import { describeError } from './error-replies.ts';
import { errorEmbed, NO_MENTIONS } from './replies.ts';

export interface ErrorReplyMessage {
  readonly message: InteractionEditReplyOptions & InteractionReplyOptions;
  /** The id shown to the user for a failure worth looking up in the log. */
  readonly reference: string | undefined;
  /** Set when the reply itself could not be drawn and the plain one was made instead. */
  readonly renderError: unknown;
}

/**
 * The message that answers `error`. Describing and drawing it can fail too (a value no check
 * caught, a bug); that must still end in a reply, so it falls back to one short plain text, with
 * no embed and nothing taken from the input.
 */
export function errorReplyMessage(t: Catalogue, error: unknown, fileName: string): ErrorReplyMessage {
  try {
    const reply = describeError(t, error, fileName);
    return {
      message: { embeds: [errorEmbed(t, reply)], components: [], allowedMentions: NO_MENTIONS },
      reference: reply.reference,
      renderError: undefined,
    };
  } catch (renderError) {
    const reference = randomUUID().slice(0, 8);
    return {
      message: {
        content: t.replyFailed(reference),
        embeds: [],
        components: [],
        allowedMentions: NO_MENTIONS,
      },
      reference,
      renderError,
    };
  }
}
