import {
  ApplicationCommandType,
  MessageFlags,
  RESTJSONErrorCodes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { DmxapiError } from '../dmxapi/errors.ts';
import { catalogueFor } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import { AudioRejectedError } from '../audio/errors.ts';
import { isInteractionGone } from './answer-window.ts';
import { checkAccess, type AccessRules } from './access.ts';
import type { ChatInputCommand, Command, CommandContext, MessageCommand } from './commands/index.ts';
import { UnknownCommandError } from './errors.ts';
import { errorReplyMessage } from './error-reply-message.ts';

type SharedContext = Omit<CommandContext, 'logger' | 'subject'>;
type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

/**
 * Routes every interaction to its command after the bot's own access check, and is the one place
 * where a failure becomes a reply and a log line. Tracks handlers in flight so a shutdown can wait.
 */
export class InteractionRouter {
  readonly #chatInput = new Map<string, ChatInputCommand>();
  readonly #message = new Map<string, MessageCommand>();
  readonly #context: SharedContext;
  readonly #access: AccessRules;
  readonly #logger: Logger;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(commands: readonly Command[], context: SharedContext, access: AccessRules, logger: Logger) {
    for (const command of commands) {
      if (command.data.type === ApplicationCommandType.Message)
        this.#message.set(command.data.name, command as MessageCommand);
      else this.#chatInput.set(command.data.name, command as ChatInputCommand);
    }
    this.#context = context;
    this.#access = access;
    this.#logger = logger;
  }

  /** The `interactionCreate` listener. Never rejects. */
  readonly handle = (interaction: Interaction): Promise<void> => {
    let handling: Promise<void>;
    if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand())
      handling = this.#run(interaction);
    else if (interaction.isButton() || interaction.isModalSubmit()) handling = this.#component(interaction);
    else if (interaction.isAutocomplete()) handling = this.#autocomplete(interaction);
    else return Promise.resolve();
    const tracked = handling.finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
    return tracked;
  };

  /** Resolves once every interaction being handled has had its final reply. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #run(interaction: CommandInteraction): Promise<void> {
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
    const subject = {
      fileName: interaction.options.data.find((option) => option.attachment)?.attachment?.name ?? '',
    };
    try {
      checkAccess(interaction, this.#access);
      const context = { ...this.#context, logger, subject };
      if (interaction.isChatInputCommand()) {
        const command = this.#chatInput.get(interaction.commandName);
        if (!command) throw new UnknownCommandError(interaction.commandName);
        await command.execute(interaction, context);
      } else {
        const command = this.#message.get(interaction.commandName);
        if (!command) throw new UnknownCommandError(interaction.commandName);
        await command.execute(interaction, context);
      }
    } catch (error) {
      await this.#replyWithError(interaction, error, logger, subject.fileName);
    }
  }

  /**
   * A button or a submitted modal whose custom id starts with a command's name, when that command
   * handles it; other buttons belong to a prompt's own collector and are left to it.
   */
  async #component(interaction: ButtonInteraction | ModalSubmitInteraction): Promise<void> {
    const command = this.#chatInput.get(interaction.customId.split(':')[0] ?? '');
    if (!command || (interaction.isButton() ? !('button' in command) : !('modal' in command))) return;
    const logger = this.#logger.child({
      interactionId: interaction.id,
      [interaction.isButton() ? 'button' : 'modal']: interaction.customId,
      guildId: interaction.guildId,
      userId: interaction.user.id,
    });
    try {
      checkAccess(interaction, this.#access);
      const context = { ...this.#context, logger, subject: { fileName: '' } };
      if (interaction.isButton()) await command.button?.(interaction, context);
      else await command.modal?.(interaction, context);
    } catch (error) {
      await this.#replyWithError(interaction, error, logger, '');
    }
  }

  /** Suggestions are best effort: any failure, a refused member included, suggests nothing. */
  async #autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const logger = this.#logger.child({
      interactionId: interaction.id,
      autocomplete: interaction.commandName,
    });
    try {
      checkAccess(interaction, this.#access);
      const command = this.#chatInput.get(interaction.commandName);
      if (!command?.autocomplete) throw new UnknownCommandError(interaction.commandName);
      await command.autocomplete(interaction, { ...this.#context, logger, subject: { fileName: '' } });
    } catch (error) {
      logger.debug({ err: error }, 'autocomplete answered with no suggestions');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
    }
  }

  async #replyWithError(
    interaction: CommandInteraction | ButtonInteraction | ModalSubmitInteraction,
    error: unknown,
    logger: Logger,
    fileName: string,
  ): Promise<void> {
    if (isInteractionGone(error, interaction)) {
      // Another call on it would fail the same way: say once, as a warning, how late the bot was.
      logger.warn(
        {
          code: RESTJSONErrorCodes.UnknownInteraction,
          delayMs: Date.now() - interaction.createdTimestamp,
          err: error,
        },
        'Discord no longer knows this interaction (10062): the bot acknowledged it too late, so it is left unanswered',
      );
      return;
    }
    const t = catalogueFor(interaction.locale);
    const { message, reference, renderError } = errorReplyMessage(t, error, fileName);
    try {
      if (renderError !== undefined) {
        logger.error({ reference, err: renderError }, 'could not render the error reply; sent a plain one');
      }
      logFailure(logger, error, reference);
      if (interaction.deferred || interaction.replied) await interaction.editReply(message);
      else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
    } catch (replyError) {
      logger.error({ err: replyError }, 'could not send the error reply');
    }
  }
}

/** One log line per failure, at the level its kind deserves. */
function logFailure(logger: Logger, error: unknown, reference: string | undefined): void {
  const code = (error as { code?: unknown }).code;
  if (error instanceof AudioRejectedError) {
    logger.info({ outcome: 'refused', code }, `upload refused: ${error.message}`);
  } else if (error instanceof DmxapiError) {
    logger.warn(
      { outcome: 'failed', code, attempts: error.attempts, err: error },
      `upload failed: ${error.message}`,
    );
  } else if (reference !== undefined) {
    logger.error({ outcome: 'crashed', reference, err: error }, 'handler crashed');
  } else {
    logger.info({ outcome: 'refused', code }, error instanceof Error ? error.message : String(error));
  }
}
