import { MessageFlags, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { DmxapiError } from '../dmxapi/errors.ts';
import { catalogueFor } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import { AudioRejectedError } from '../pipeline/errors.ts';
import type { ChatInputCommand, CommandContext } from './commands/index.ts';
import { UnknownCommandError } from './errors.ts';
import { describeError, errorEmbed, NO_MENTIONS } from './replies.ts';

/**
 * Routes every interaction to its command, and is the one place where a failure becomes a reply
 * and a log line. Tracks handlers in flight so a shutdown can wait for them.
 */
export class InteractionRouter {
  readonly #commands: ReadonlyMap<string, ChatInputCommand>;
  readonly #context: Omit<CommandContext, 'logger'>;
  readonly #logger: Logger;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(
    commands: readonly ChatInputCommand[],
    context: Omit<CommandContext, 'logger'>,
    logger: Logger,
  ) {
    this.#commands = new Map(commands.map((command) => [command.data.name, command]));
    this.#context = context;
    this.#logger = logger;
  }

  /** The `interactionCreate` listener. Never rejects. */
  readonly handle = (interaction: Interaction): Promise<void> => {
    if (!interaction.isChatInputCommand()) return Promise.resolve();
    const handling = this.#run(interaction).finally(() => this.#inFlight.delete(handling));
    this.#inFlight.add(handling);
    return handling;
  };

  /** Resolves once every interaction being handled has had its final reply. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #run(interaction: ChatInputCommandInteraction): Promise<void> {
    const logger = this.#logger.child({
      interactionId: interaction.id,
      command: interaction.commandName,
      guildId: interaction.guildId,
      userId: interaction.user.id,
      // What the user asked for, so a refusal's log line says which file and purpose it was about.
      options: Object.fromEntries(
        interaction.options.data.map((option) => [
          option.name,
          option.attachment ? { name: option.attachment.name, bytes: option.attachment.size } : option.value,
        ]),
      ),
    });
    try {
      const command = this.#commands.get(interaction.commandName);
      if (!command) throw new UnknownCommandError(interaction.commandName);
      await command.execute(interaction, { ...this.#context, logger });
    } catch (error) {
      await this.#replyWithError(interaction, error, logger);
    }
  }

  async #replyWithError(
    interaction: ChatInputCommandInteraction,
    error: unknown,
    logger: Logger,
  ): Promise<void> {
    const t = catalogueFor(interaction.locale);
    const fileName = interaction.options.data.find((option) => option.attachment)?.attachment?.name ?? '';
    const reply = describeError(t, error, fileName);

    const code = (error as { code?: unknown }).code;
    if (error instanceof AudioRejectedError) {
      logger.info({ outcome: 'refused', code }, `upload refused: ${error.message}`);
    } else if (error instanceof DmxapiError) {
      logger.warn(
        { outcome: 'failed', code, attempts: error.attempts, err: error },
        `upload failed: ${error.message}`,
      );
    } else if (reply.reference !== undefined) {
      logger.error({ outcome: 'crashed', reference: reply.reference, err: error }, 'handler crashed');
    } else {
      logger.info({ outcome: 'refused', code }, error instanceof Error ? error.message : String(error));
    }

    const message = { embeds: [errorEmbed(t, reply)], allowedMentions: NO_MENTIONS };
    try {
      if (interaction.deferred || interaction.replied) await interaction.editReply(message);
      else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
    } catch (replyError) {
      logger.error({ err: replyError }, 'could not send the error reply');
    }
  }
}
