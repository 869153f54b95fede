import { cloneCommand } from './clone.ts';
import type { AudioLimits } from '../../domain/limits.ts';
import type { Command } from './command.ts';
import { sayCommand } from './say.ts';
import { uploadFromMessageCommand } from './upload-from-message.ts';
import { uploadCommand } from './upload.ts';
import { uploadsCommand } from './uploads.ts';
import { voicesCommand } from './voices.ts';

export type { ChatInputCommand, Command, CommandContext, Lifecycle, MessageCommand } from './command.ts';

/** What command definitions are built from: the part of the configuration the checks read too. */
export interface CommandSettings {
  readonly limits: AudioLimits;
  /** The largest attachment downloaded (MAX_INPUT_BYTES): what /upload states as its size limit. */
  readonly maxInputBytes: number;
  /** SPEECH_MAX_CHARS: the longest text /say's option takes. */
  readonly speechMaxChars: number;
}

/**
 * Every command, its labels built from the configuration: `npm run register` and the bot's start
 * both call this, so what Discord shows is what the checks apply.
 */
export function buildCommands(settings: CommandSettings): readonly Command[] {
  return [
    uploadCommand(settings),
    uploadsCommand,
    uploadFromMessageCommand(settings.limits),
    voicesCommand,
    cloneCommand(settings),
    sayCommand(settings),
  ];
}
