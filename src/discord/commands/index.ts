import { cloneCommand } from './clone.ts';
import type { Command, CommandSettings } from './command.ts';
import { sayCommand } from './say.ts';
import { uploadFromMessageCommand } from './upload-from-message.ts';
import { uploadCommand } from './upload.ts';
import { uploadsCommand } from './uploads.ts';
import { voicesCommand } from './voices.ts';

export type {
  ChatInputCommand,
  Command,
  CommandContext,
  CommandSettings,
  Lifecycle,
  MessageCommand,
} from './command.ts';

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
