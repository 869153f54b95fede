import type { Interaction } from 'discord.js';
import type { UploadHistory } from '../history/upload-history.ts';
import { AccessDeniedError, UploadRateLimitedError } from './errors.ts';

export interface AccessRules {
  readonly allowedGuildIds: readonly string[];
  readonly allowedRoleIds: readonly string[];
}

/**
 * Who may spend the team's key. Checked by the bot for every interaction, so a server's own command
 * permissions can narrow access but never widen it.
 */
export function checkAccess(interaction: Interaction, rules: AccessRules): void {
  if (!interaction.inGuild()) throw new AccessDeniedError('direct_message');
  if (rules.allowedGuildIds.length > 0 && !rules.allowedGuildIds.includes(interaction.guildId)) {
    throw new AccessDeniedError('guild_not_allowed');
  }
  if (rules.allowedRoleIds.length > 0) {
    const roles = interaction.member.roles;
    const roleIds = Array.isArray(roles) ? roles : [...roles.cache.keys()];
    if (!roleIds.some((id) => rules.allowedRoleIds.includes(id))) throw new AccessDeniedError('missing_role');
  }
}

export interface QuotaRules {
  readonly userDailyUploadLimit: number;
  readonly userCooldownSeconds: number;
}

const DAY_SECONDS = 24 * 60 * 60;

/** A short cooldown between one user's uploads, and a rolling 24-hour cap on their successful ones. */
export class UploadQuota {
  readonly #rules: QuotaRules;
  readonly #history: UploadHistory;
  readonly #now: () => number;
  readonly #lastStart = new Map<string, number>();

  constructor(rules: QuotaRules, history: UploadHistory, now: () => number = Date.now) {
    this.#rules = rules;
    this.#history = history;
    this.#now = now;
  }

  /** Throws UploadRateLimitedError, or counts this as the user's latest start. */
  claim(userId: string): void {
    const now = this.#now();
    const last = this.#lastStart.get(userId);
    const cooldownMs = this.#rules.userCooldownSeconds * 1000;
    if (last !== undefined && now - last < cooldownMs) {
      throw new UploadRateLimitedError(
        'cooldown',
        new Date(last + cooldownMs),
        this.#rules.userDailyUploadLimit,
      );
    }
    const limit = this.#rules.userDailyUploadLimit;
    const recent = this.#history.uploadTimesSince(userId, Math.floor(now / 1000) - DAY_SECONDS);
    if (recent.length >= limit) {
      // The window frees a place when the oldest upload that counts against the limit turns 24 hours old.
      const freesAt = (recent[recent.length - limit] ?? 0) + DAY_SECONDS;
      throw new UploadRateLimitedError('daily_limit', new Date(freesAt * 1000), limit);
    }
    this.#lastStart.set(userId, now);
  }
}
