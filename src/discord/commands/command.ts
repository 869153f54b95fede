import type { AudioLimits } from '../../domain/limits.ts';
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { InFlightUploads } from '../../history/in-flight-uploads.ts';
import type { DmxapiClient } from '../../dmxapi/client.ts';
import type { Clock } from '../../domain/clock.ts';
import type { SpeechUsage } from '../../history/speech-usage.ts';
import type { UploadHistory } from '../../history/upload-history.ts';
import type { VoiceStore } from '../../history/voice-store.ts';
import type { Logger } from '../../logger.ts';
import type { BotMetrics } from '../../observability/metrics.ts';
import type { UploadPipeline } from '../../pipeline/upload-pipeline.ts';
import type { UploadSlots } from '../../pipeline/upload-slots.ts';
import type { UploadQuota } from '../access.ts';
import type { AnswerWindow } from '../answer-window.ts';

/** What the bot is doing as a whole: handlers consult it so a shutdown can stop and cut off uploads. */
export interface Lifecycle {
  readonly acceptingUploads: boolean;
  /**
   * Aborted when the shutdown begins: uploads still waiting for a slot leave the queue (with a
   * NotStartedByShutdownError), and open prompts end.
   */
  readonly stoppingSignal: AbortSignal;
  /** Aborted, with an UploadCutOffError, when the shutdown grace period ends. */
  readonly cutOffSignal: AbortSignal;
}

/** Clone and speech on the team's key: DmxapiClient, or a test double. */
export type VoiceApi = Pick<DmxapiClient, 'cloneVoice' | 'synthesizeSpeech'>;

/** The configuration /clone and /say follow. */
export interface VoiceSettings {
  /** DMXAPI_AUDIO_HOSTS: where a clone's preview may be downloaded from. */
  readonly audioHosts: readonly string[];
  readonly downloadTimeoutMs: number;
  /** SPEECH_MAX_CHARS. */
  readonly speechMaxChars: number;
  /** USER_DAILY_SPEECH_CHARS. */
  readonly userDailySpeechChars: number;
}

export interface CommandContext {
  readonly pipeline: UploadPipeline;
  readonly slots: UploadSlots;
  readonly lifecycle: Lifecycle;
  readonly metrics: BotMetrics;
  readonly history: UploadHistory;
  /** Uploads past their duplicate check and not yet finished, so the same bytes are paid once. */
  readonly inFlight: InFlightUploads;
  readonly quota: UploadQuota;
  /** The voices the team cloned through the bot. */
  readonly voices: VoiceStore;
  /** The bot's clock for voice deadlines and speech quotas; tests move it by hand. */
  readonly clock: Clock;
  /** How long the bot may answer an interaction, and how long an upload needs for its answer. */
  readonly answerWindow: AnswerWindow;
  readonly voiceApi: VoiceApi;
  readonly speechUsage: SpeechUsage;
  readonly voiceSettings: VoiceSettings;
  /** How long an interactive prompt waits for its member's choice. */
  readonly promptTimeoutMs: number;
  /** Already bound to this interaction's id, guild and user. */
  readonly logger: Logger;
  /** What the interaction is about, for its error reply: a handler that picks a file names it here. */
  readonly subject: { fileName: string };
}

/** A slash command: the definition Discord registers and the handler that answers it, side by side. */
export interface ChatInputCommand {
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
  /** Suggestions for an option marked `autocomplete`. */
  autocomplete?(interaction: AutocompleteInteraction, context: CommandContext): Promise<void>;
  /** Buttons whose custom id starts with `${data.name}:` come back here. */
  button?(interaction: ButtonInteraction, context: CommandContext): Promise<void>;
  /** Modals whose custom id starts with `${data.name}:` come back here when submitted. */
  modal?(interaction: ModalSubmitInteraction, context: CommandContext): Promise<void>;
}

/** A message context-menu command ("Apps" on a message): its definition and handler. */
export interface MessageCommand {
  readonly data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(interaction: MessageContextMenuCommandInteraction, context: CommandContext): Promise<void>;
}

export type Command = ChatInputCommand | MessageCommand;

/** What command definitions are built from: the part of the configuration the checks read too. */
export interface CommandSettings {
  readonly limits: AudioLimits;
  /** The largest attachment downloaded (MAX_INPUT_BYTES): what /upload states as its size limit. */
  readonly maxInputBytes: number;
  /** SPEECH_MAX_CHARS: the longest text /say's option takes. */
  readonly speechMaxChars: number;
}
