import type {
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from '../../logger.ts';
import type { BotMetrics } from '../../observability/metrics.ts';
import type { UploadPipeline } from '../../pipeline/upload-pipeline.ts';
import type { UploadSlots } from '../../pipeline/upload-slots.ts';

/** What the bot is doing as a whole: handlers consult it so a shutdown can stop and cut off uploads. */
export interface Lifecycle {
  readonly acceptingUploads: boolean;
  /** Aborted, with an UploadCutOffError, when the shutdown grace period ends. */
  readonly cutOffSignal: AbortSignal;
}

export interface CommandContext {
  readonly pipeline: UploadPipeline;
  readonly slots: UploadSlots;
  readonly lifecycle: Lifecycle;
  readonly metrics: BotMetrics;
  /** Already bound to this interaction's id, guild and user. */
  readonly logger: Logger;
}

/** A slash command: the definition Discord registers and the handler that answers it, side by side. */
export interface ChatInputCommand {
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
}
