import type { ChatInputCommand } from './command.ts';
import { uploadCommand } from './upload.ts';

export type { ChatInputCommand, CommandContext, Lifecycle } from './command.ts';

export const commands: readonly ChatInputCommand[] = [uploadCommand];
