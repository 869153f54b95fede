import type { ChatInputCommandInteraction, EmbedBuilder, ModalSubmitInteraction } from 'discord.js';
import type { CallOptions } from '../dmxapi/client.ts';
import type { Logger } from '../logger.ts';
import type { Lifecycle } from './commands/command.ts';
import { postLateResult, type LateDelivery, type ResultMessage } from './post-result.ts';
import { withThrottledEdits } from './progress.ts';
import { NO_MENTIONS } from './replies.ts';

/** A deferred command or modal whose work spends the key: a clone or a speech request. */
export type PaidWorkInteraction = ChatInputCommandInteraction | ModalSubmitInteraction;

/**
 * How a paid DMXAPI call follows the bot's life: a request already sent runs until the shutdown's
 * grace ends; one still waiting in the rate limiter's line when the bot begins to stop is answered
 * at once and never sent.
 */
export function paidCallOptions(lifecycle: Lifecycle, onQueued: (position: number) => void): CallOptions {
  return { signal: lifecycle.cutOffSignal, notSentSignal: lifecycle.stoppingSignal, onQueued };
}

/** Runs `work`, showing its progress in the deferred reply, one edit a second at most. */
export async function withProgress<State, Outcome>(
  interaction: PaidWorkInteraction,
  logger: Logger,
  render: (state: State) => EmbedBuilder,
  work: (update: (state: State) => void) => Promise<Outcome>,
): Promise<Outcome> {
  return withThrottledEdits(
    (state: State) => interaction.editReply({ embeds: [render(state)] }),
    logger,
    work,
  );
}

/**
 * Shows a paid result as the reply, and makes sure it reaches its member whatever Discord does:
 * a reply refused with its attachments (a preview Discord will not take) goes again without
 * them; a reply that cannot be edited at all (the token expired, the message was deleted) is
 * posted in the channel, pinging the member, or sent by direct message when it was private.
 */
export async function deliverPaidResult(
  interaction: PaidWorkInteraction,
  result: ResultMessage,
  late: LateDelivery,
  logger: Logger,
): Promise<void> {
  const reply = (files: ResultMessage['files']) =>
    interaction.editReply({
      embeds: [...result.embeds],
      components: [...(result.components ?? [])],
      files: [...(files ?? [])],
      allowedMentions: NO_MENTIONS,
    });
  try {
    await reply(result.files);
    return;
  } catch (error) {
    logger.warn({ err: error }, 'the paid result could not be shown as the reply');
  }
  if ((result.files?.length ?? 0) > 0) {
    try {
      await reply([]);
      logger.warn('the paid result was shown without its attachments');
      return;
    } catch (error) {
      logger.warn({ err: error }, 'the paid result could not be shown without its attachments either');
    }
  }
  await postLateResult(interaction, result, late, logger);
}
