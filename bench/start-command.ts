/**
 * How `npm start` starts the bot, read from package.json's script, so the bench measures the bot with
 * the same memory settings as npm start, the image and the README's process-manager command.
 */
import { readFileSync } from 'node:fs';

export interface StartCommand {
  /** What the script adds to the environment (`env NAME=value …`). */
  readonly env: Readonly<Record<string, string>>;
  /** Node's flags before src/main.ts. */
  readonly nodeArgs: readonly string[];
  /** The command as the README shows it. */
  readonly text: string;
}

export function startCommand(): StartCommand {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const script = pkg.scripts.start ?? '';
  const match = /^exec env ((?:[A-Z_]+=\S+ )*)node ((?:--\S+ )*)src\/main\.ts$/.exec(script);
  if (!match) throw new Error(`the bench cannot read the start script "${script}"`);
  const assignments = (match[1] ?? '').split(' ').filter((part) => part !== '');
  return {
    env: Object.fromEntries(assignments.map((assignment) => assignment.split('=', 2) as [string, string])),
    nodeArgs: (match[2] ?? '').split(' ').filter((part) => part !== ''),
    text: script.replace(/^exec env /, ''),
  };
}
