import {
  DiscordAPIError,
  RESTJSONErrorCodes,
  type MessageContextMenuCommandInteraction,
  type MessageCreateOptions,
  type Message,
} from 'discord.js';
import type { Logger } from '../logger.ts';

/** Where a result was posted: as a reply to its sample, in the sample's channel, or as a follow-up. */
export interface PostedResult {
  readonly where: 'reply' | 'channel' | 'follow_up';
  readonly url: string;
}

/** "The bot may not post there": Missing Access, Missing Permissions. */
const CANNOT_POST_HERE: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
]);
/** "The message to reply to is gone": Unknown Message, or the form error Discord gives for a reference. */
const SAMPLE_GONE: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.InvalidFormBodyOrContentType,
]);

function discordCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === 'number' ? error.code : undefined;
}

/**
 * Posts a paid result next to its sample, so the thread holds both, and never loses it: a sample
 * deleted meanwhile gets the result in its channel without the reference; where the bot may not
 * post (or the channel is not cached), it goes through the interaction as a follow-up.
 */
export async function postNextToSample(
  interaction: MessageContextMenuCommandInteraction,
  sample: Message,
  result: MessageCreateOptions,
  logger: Logger,
): Promise<PostedResult> {
  try {
    // failIfNotExists: false tells Discord to post without the reference when the sample is gone.
    const posted = await sample.reply({ ...result, failIfNotExists: false });
    return { where: posted.reference === null ? 'channel' : 'reply', url: posted.url };
  } catch (error) {
    const code = discordCode(error);
    if (code !== undefined && SAMPLE_GONE.has(code)) {
      logger.info({ code }, 'the sample message is gone; posting the result without a reference');
      try {
        const { channel } = sample;
        if (!channel.isSendable()) {
          throw new Error(`cannot send to channel ${sample.channelId}`, { cause: error });
        }
        return { where: 'channel', url: (await channel.send(result)).url };
      } catch (sendError) {
        return followUp(interaction, result, logger, sendError);
      }
    }
    return followUp(interaction, result, logger, error);
  }
}

async function followUp(
  interaction: MessageContextMenuCommandInteraction,
  result: MessageCreateOptions,
  logger: Logger,
  cause: unknown,
): Promise<PostedResult> {
  const code = discordCode(cause);
  if (code !== undefined && CANNOT_POST_HERE.has(code)) {
    logger.info({ code }, 'cannot post next to the sample; answering through the interaction');
  } else {
    logger.warn({ err: cause }, 'posting next to the sample failed; answering through the interaction');
  }
  const posted = await interaction.followUp({
    embeds: result.embeds,
    allowedMentions: result.allowedMentions,
  });
  return { where: 'follow_up', url: posted.url };
}
