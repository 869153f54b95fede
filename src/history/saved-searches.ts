import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { isPurpose } from '../domain/purposes.ts';
import type { HistoryFilter } from './upload-history.ts';

/**
 * The filters of /uploads lists, kept so a paging button can name one with a short key: a custom id
 * holds 100 characters, and a file-name filter alone may hold 100. Appended to the history's
 * migrations; rows are dropped 30 days after their last use.
 */
export const SAVED_SEARCH_MIGRATIONS: readonly string[] = [
  `CREATE TABLE upload_searches (
     key TEXT NOT NULL PRIMARY KEY,
     guild_id TEXT NOT NULL,
     purpose TEXT,
     uploader_id TEXT,
     file_name TEXT,
     used_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX upload_searches_by_use ON upload_searches (used_at)`,
];

const KEEP_SECONDS = 30 * 24 * 60 * 60;

interface Row {
  purpose: string | null;
  uploader_id: string | null;
  file_name: string | null;
}

export class SavedSearches {
  readonly #db: DatabaseSync;
  readonly #now: () => number;

  constructor(db: DatabaseSync, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /**
   * Keeps `filter` and returns its key (16 characters). The same filter in the same guild always
   * gets the same key, so repeating a search adds no row.
   */
  save(guildId: string, filter: HistoryFilter): string {
    const values = [guildId, filter.purpose ?? null, filter.uploaderId ?? null, filter.fileName ?? null];
    const key = createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 16);
    const now = this.#seconds();
    this.#db.prepare('DELETE FROM upload_searches WHERE used_at < ?').run(now - KEEP_SECONDS);
    this.#db
      .prepare(
        `INSERT INTO upload_searches VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET used_at = excluded.used_at`,
      )
      .run(key, ...values, now);
    return key;
  }

  /** The filter saved under `key` in this guild, or undefined once it was dropped. */
  find(guildId: string, key: string): HistoryFilter | undefined {
    const row = this.#db
      .prepare('SELECT purpose, uploader_id, file_name FROM upload_searches WHERE key = ? AND guild_id = ?')
      .get(key, guildId) as Row | undefined;
    if (row === undefined) return undefined;
    this.#db.prepare('UPDATE upload_searches SET used_at = ? WHERE key = ?').run(this.#seconds(), key);
    return {
      purpose: row.purpose !== null && isPurpose(row.purpose) ? row.purpose : undefined,
      uploaderId: row.uploader_id ?? undefined,
      fileName: row.file_name ?? undefined,
    };
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }
}
