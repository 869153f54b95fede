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

/** A place in a member's daily quota, held from the moment an upload is accepted. */
export interface QuotaReservation {
  /** Nothing reached DMXAPI: the place is free again. */
  release(): void;
  /** The upload is in the history now, which counts it from here on. */
  recorded(): void;
  /** DMXAPI may have stored the file but the history does not hold it: keep counting it for a day. */
  keep(): void;
}

interface HeldPlace {
  /** Unix seconds. */
  readonly at: number;
  running: boolean;
}

/**
 * A short cooldown between one member's uploads, and a rolling 24-hour cap on what they spend.
 * The cap counts the history plus places held by uploads still running (and, for a day, by uploads
 * whose outcome is unknown), so uploads sent at once can never spend past it.
 */
export class UploadQuota {
  readonly #rules: QuotaRules;
  readonly #history: UploadHistory;
  readonly #now: () => number;
  readonly #lastStart = new Map<string, number>();
  /** Places counted outside the history, per member. */
  readonly #held = new Map<string, HeldPlace[]>();

  constructor(rules: QuotaRules, history: UploadHistory, now: () => number = Date.now) {
    this.#rules = rules;
    this.#history = history;
    this.#now = now;
  }

  /** Throws UploadRateLimitedError, or holds a place for this upload and counts it as the latest start. */
  reserve(userId: string): QuotaReservation {
    const now = this.#now();
    const last = this.#lastStart.get(userId);
    const cooldownMs = this.#rules.userCooldownSeconds * 1000;
    const limit = this.#rules.userDailyUploadLimit;
    if (last !== undefined && now - last < cooldownMs) {
      throw new UploadRateLimitedError('cooldown', new Date(last + cooldownMs), limit);
    }
    const since = Math.floor(now / 1000) - DAY_SECONDS;
    const held = (this.#held.get(userId) ?? []).filter((place) => place.running || place.at >= since);
    const counted = [...this.#history.uploadTimesSince(userId, since), ...held.map((place) => place.at)];
    if (counted.length >= limit) {
      counted.sort((a, b) => a - b);
      // A place frees when the oldest use that counts against the limit turns 24 hours old.
      const freesAt = (counted[counted.length - limit] ?? 0) + DAY_SECONDS;
      const running = held.filter((place) => place.running).length;
      throw new UploadRateLimitedError('daily_limit', new Date(freesAt * 1000), limit, running);
    }
    const place: HeldPlace = { at: Math.floor(now / 1000), running: true };
    held.push(place);
    this.#held.set(userId, held);
    this.#lastStart.set(userId, now);

    const drop = (): void => {
      if (!place.running) return;
      const places = this.#held.get(userId) ?? [];
      places.splice(places.indexOf(place), 1);
      if (places.length === 0) this.#held.delete(userId);
      place.running = false;
    };
    return {
      release: drop,
      recorded: drop,
      keep: () => {
        place.running = false;
      },
    };
  }
}
