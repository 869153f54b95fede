import type { DatabaseSync } from 'node:sqlite';

const DAY_SECONDS = 24 * 60 * 60;

export interface SpeechReservationRequest {
  readonly userId: string;
  readonly guildId: string;
  readonly voiceId: string;
  /** Characters to hold: an upper bound of what MiniMax will bill. */
  readonly characters: number;
  /** Unix seconds, the bot's clock. */
  readonly nowSeconds: number;
  /** USER_DAILY_SPEECH_CHARS. */
  readonly dailyLimit: number;
}

export type SpeechReservation =
  | { readonly ok: true; readonly id: number; readonly usedBefore: number }
  | {
      readonly ok: false;
      /** Characters counted in the last 24 hours. */
      readonly used: number;
      /** When enough of them leave the window for this request to fit; undefined if it never can. */
      readonly retryAt: number | undefined;
    };

/**
 * Each member's speech characters over a rolling 24 hours (USER_DAILY_SPEECH_CHARS). A request
 * reserves its estimate before it is sent, so requests running at once can never pass the limit
 * together; the reservation is settled to what MiniMax billed, or released if nothing was billed.
 * A reservation left by a crash is counted until it leaves the window: the safe side.
 */
export class SpeechUsage {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Characters the member used (or holds) in the 24 hours before `nowSeconds`. */
  used(userId: string, nowSeconds: number): number {
    const row = this.#db
      .prepare('SELECT coalesce(sum(characters), 0) AS used FROM speech_usage WHERE user_id = ? AND at > ?')
      .get(userId, nowSeconds - DAY_SECONDS) as { used: number };
    return row.used;
  }

  reserve(request: SpeechReservationRequest): SpeechReservation {
    const { userId, nowSeconds, characters, dailyLimit } = request;
    // IMMEDIATE: the check and the insert happen under one write lock, whatever else runs.
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const rows = this.#db
        .prepare('SELECT at, characters FROM speech_usage WHERE user_id = ? AND at > ? ORDER BY at')
        .all(userId, nowSeconds - DAY_SECONDS) as unknown as { at: number; characters: number }[];
      const used = rows.reduce((sum, row) => sum + row.characters, 0);
      if (used + characters > dailyLimit) {
        this.#db.exec('ROLLBACK');
        return { ok: false, used, retryAt: retryAt(rows, used, characters, dailyLimit) };
      }
      const { lastInsertRowid } = this.#db
        .prepare(
          'INSERT INTO speech_usage (user_id, guild_id, voice_id, at, characters) VALUES (?, ?, ?, ?, ?)',
        )
        .run(userId, request.guildId, request.voiceId, nowSeconds, characters);
      this.#db.exec('COMMIT');
      return { ok: true, id: Number(lastInsertRowid), usedBefore: used };
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Replaces a reservation's estimate by the characters MiniMax billed. */
  settle(id: number, billedCharacters: number): void {
    this.#db
      .prepare('UPDATE speech_usage SET characters = ?, settled = 1 WHERE id = ?')
      .run(billedCharacters, id);
  }

  /** Drops a reservation for a request that surely billed nothing. */
  release(id: number): void {
    this.#db.prepare('DELETE FROM speech_usage WHERE id = ? AND settled = 0').run(id);
  }
}

/** The moment enough old usage leaves the window for `characters` more to fit. */
function retryAt(
  rows: readonly { at: number; characters: number }[],
  used: number,
  characters: number,
  dailyLimit: number,
): number | undefined {
  if (characters > dailyLimit) return undefined;
  let remaining = used;
  for (const row of rows) {
    remaining -= row.characters;
    if (remaining + characters <= dailyLimit) return row.at + DAY_SECONDS;
  }
  return undefined;
}
