/** Small readers for untrusted JSON from the bot, and the few facts about Discord's values they need. */
import { Locale, MessageFlags } from 'discord-api-types/v10';
import type { APIMessage } from 'discord-api-types/v10';

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Narrows a raw JSON value to a member of a numeric enum. */
export function enumValue<E extends Record<string, string | number>>(
  enumObject: E,
  value: unknown,
): E[keyof E] | undefined {
  return Object.values(enumObject).find((member) => typeof member === 'number' && member === value) as
    E[keyof E] | undefined;
}

export function isLocale(value: string): value is Locale {
  return (Object.values(Locale) as string[]).includes(value);
}

/** Discord counts lengths in code points. */
export function codePoints(text: string): number {
  return Array.from(text).length;
}

export function hasFlag(message: APIMessage, flag: MessageFlags): boolean {
  return ((message.flags ?? 0) & flag) !== 0;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
