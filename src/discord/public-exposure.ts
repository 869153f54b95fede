import { Routes, type APIApplication, type REST } from 'discord.js';

export const OPEN_TO_ANY_SERVER_WARNING =
  'ALLOWED_GUILD_IDS is empty and the application is public: any server that adds the bot can spend ' +
  'the DMXAPI key. Set ALLOWED_GUILD_IDS to your server ids, or turn off "Public Bot" on the Bot page ' +
  'of the Developer Portal.';

/**
 * Whether strangers can spend the team's key: with no server allowlist, every server the bot is
 * added to may use it, and a public application (`bot_public`) can be added by anyone who has its
 * invite link. Returns the warning to show, or undefined. Asks Discord only when the allowlist is empty.
 */
export async function openToAnyServerWarning(
  rest: REST,
  allowedGuildIds: readonly string[],
): Promise<string | undefined> {
  if (allowedGuildIds.length > 0) return undefined;
  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  return application.bot_public ? OPEN_TO_ANY_SERVER_WARNING : undefined;
}
