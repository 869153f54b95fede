import { cloneCommand } from './clone.ts';
import type { Command } from './command.ts';
import { sayCommand } from './say.ts';
import { uploadFromMessageCommand } from './upload-from-message.ts';
import { uploadCommand } from './upload.ts';
import { uploadsCommand } from './uploads.ts';
import { voicesCommand } from './voices.ts';

export type { ChatInputCommand, Command, CommandContext, Lifecycle, MessageCommand } from './command.ts';

export const commands: readonly Command[] = [
  uploadCommand,
  uploadsCommand,
  uploadFromMessageCommand,
  voicesCommand,
  cloneCommand,
  sayCommand,
];
