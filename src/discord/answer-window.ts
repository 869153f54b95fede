import { DiscordAPIError, RESTJSONErrorCodes, type BaseInteraction } from 'discord.js';

/** How long the bot may answer an interaction, and how long an upload needs for its answer. */
export interface AnswerWindow {
  /** How long an interaction's token lets the bot edit its reply: 15 minutes on Discord. */
  readonly tokenLifetimeMs: number;
  /**
   * The longest an upload is expected to take from its start to its answer: one that would start
   * with less time left before its token expires waits no longer and is refused instead.
   */
  readonly uploadBudgetMs: number;
}

export const DISCORD_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/** Edits this close to the token's end are not tried (a failed one falls back anyway). */
const SAFETY_MARGIN_MS = 2000;

/**
 * When the interaction's token stops working (epoch ms). Counted from when Discord created it, or
 * from now if the bot's clock runs behind Discord's, so a skewed clock never makes it later.
 */
export function answerDeadline(interaction: BaseInteraction, window: AnswerWindow): number {
  return Math.min(interaction.createdTimestamp, Date.now()) + window.tokenLifetimeMs;
}

/** Whether the reply can still be edited through the interaction's token. */
export function tokenAlive(answerBy: number): boolean {
  return Date.now() < answerBy - SAFETY_MARGIN_MS;
}

/**
 * Whether `error` is Discord saying it no longer knows `interaction` (10062) when the bot answered
 * it: the acknowledgement came after Discord's 3 seconds, and no call on it can succeed any more.
 */
export function isInteractionGone(error: unknown, interaction: BaseInteraction): boolean {
  return (
    error instanceof DiscordAPIError &&
    error.code === RESTJSONErrorCodes.UnknownInteraction &&
    error.url.includes(`/interactions/${interaction.id}/`)
  );
}

/**
 * Discord's answers for a token that no longer works: Invalid Webhook Token, Unknown Webhook,
 * Unknown Interaction.
 */
export function isTokenExpiredError(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.InvalidWebhookToken ||
      error.code === RESTJSONErrorCodes.UnknownWebhook ||
      error.code === RESTJSONErrorCodes.UnknownInteraction)
  );
}
