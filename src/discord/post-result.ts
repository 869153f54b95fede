import {
  DiscordAPIError,
  type ActionRowBuilder,
  type AttachmentBuilder,
  type ButtonBuilder,
  RESTJSONErrorCodes,
  userMention,
  type ChatInputCommandInteraction,
  type EmbedBuilder,
  type Message,
  type MessageContextMenuCommandInteraction,
  type MessageCreateOptions,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Logger } from '../logger.ts';
import { isTokenExpiredError, tokenAlive } from './answer-window.ts';
import { NO_MENTIONS } from './replies.ts';

/** Where a result was posted: as a reply to its sample, in the sample's channel, or as a follow-up. */
export interface PostedResult {
  readonly where: 'reply' | 'channel' | 'follow_up';
  readonly url: string;
}

/** A result's message: its embeds, and the buttons that act on it (the sample's "Clone this voice"). */
export interface ResultMessage {
  readonly embeds: readonly EmbedBuilder[];
  readonly components?: readonly ActionRowBuilder<ButtonBuilder>[] | undefined;
  /** What was paid for as a file (a speech's audio), sent along wherever the result goes. */
  readonly files?: readonly AttachmentBuilder[] | undefined;
}

/** How a result that outlived its interaction is delivered: privately or not, and with what words. */
export interface LateDelivery {
  readonly isPrivate: boolean;
  /** The message's text, given the member's mention. */
  readonly text: (member: string) => string;
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
    components: result.components,
    allowedMentions: result.allowedMentions,
  });
  return { where: 'follow_up', url: posted.url };
}

/**
 * Posts a result whose interaction can no longer be answered (its token expired): in the channel,
 * pinging its member, or for a private upload to the member alone by direct message; a channel
 * the bot may not post in falls back to the direct message too. Never throws: a result it cannot
 * deliver is logged (it is in the history already).
 */
export async function postLateResult(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ModalSubmitInteraction,
  result: ResultMessage,
  { isPrivate, text }: LateDelivery,
  logger: Logger,
): Promise<void> {
  const { user } = interaction;
  const content = text(userMention(user.id));
  if (!isPrivate) {
    try {
      const { channelId } = interaction;
      const channel =
        interaction.channel ??
        (channelId === null ? null : await interaction.client.channels.fetch(channelId));
      if (!channel?.isSendable()) throw new Error(`cannot send to channel ${interaction.channelId}`);
      const posted = await channel.send({
        content,
        embeds: [...result.embeds],
        components: [...(result.components ?? [])],
        files: [...(result.files ?? [])],
        // The member waited past the command's life: this one message pings them, and nobody else.
        allowedMentions: { parse: [], users: [user.id] },
      });
      logger.info({ url: posted.url }, 'token expired; result posted in the channel');
      return;
    } catch (error) {
      logger.warn({ err: error }, 'token expired and the channel refused the result; sending it by DM');
    }
  }
  try {
    await user.send({
      content,
      embeds: [...result.embeds],
      components: [...(result.components ?? [])],
      files: [...(result.files ?? [])],
      allowedMentions: NO_MENTIONS,
    });
    logger.info('token expired; result sent by direct message');
  } catch (error) {
    logger.error({ err: error }, 'token expired and the result could not be delivered; it is in the history');
  }
}

/**
 * Shows a result as the interaction's reply while its token works, else (or when the edit fails)
 * posts it as postLateResult does, so a paid result always reaches its member.
 */
export async function answerOrPostLate(
  interaction: ChatInputCommandInteraction,
  answerBy: number,
  result: ResultMessage,
  late: LateDelivery,
  logger: Logger,
): Promise<void> {
  if (tokenAlive(answerBy)) {
    try {
      await interaction.editReply({
        embeds: [...result.embeds],
        components: [...(result.components ?? [])],
        allowedMentions: NO_MENTIONS,
      });
      return;
    } catch (error) {
      logger.warn(
        { err: error, tokenExpired: isTokenExpiredError(error) },
        'could not show the result as the reply; posting it instead',
      );
    }
  }
  await postLateResult(interaction, result, late, logger);
}
