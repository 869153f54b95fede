import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { FOLD_FOR_SEARCH_SQL, foldForSearch, registerSearchFolding } from './search-text.ts';
import { SAVED_SEARCH_MIGRATIONS, SavedSearches } from './saved-searches.ts';
import { VOICE_MIGRATIONS } from './voice-migrations.ts';
import type { Purpose } from '../domain/purposes.ts';

/** One successful upload, as the team will look for it weeks later. */
export interface UploadRecord {
  /** The DMXAPI file id as exact decimal digits. */
  readonly fileId: string;
  readonly purpose: Purpose;
  readonly fileName: string;
  readonly bytes: number;
  readonly format: string;
  readonly durationSeconds: number;
  /** sha256 (hex) of the uploaded content: what "the same file" means for deduplication. */
  readonly sha256: string;
  readonly uploaderId: string;
  readonly uploaderName: string;
  readonly guildId: string;
  readonly channelId: string;
  /** Link to the message that holds the sample, when there is one the whole channel can open. */
  readonly messageUrl: string | undefined;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly totalTokens: number | undefined;
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
  /** Its reply was shown to the uploader only: nobody else learns the file_id through the bot. */
  readonly private: boolean;
}

export interface HistoryFilter {
  readonly purpose?: Purpose | undefined;
  readonly uploaderId?: string | undefined;
  /** Part of the file name, matched without regard to case in any script (see foldForSearch). */
  readonly fileName?: string | undefined;
}

/** Who looks at the history: a private upload is listed only to its uploader and to server managers. */
export interface HistoryViewer {
  readonly userId: string;
  /** Manage Server: sees every upload, the private ones marked. */
  readonly seesPrivate: boolean;
}

const VISIBLE_TO_VIEWER = '(private = 0 OR uploader_id = :viewerId OR :seesPrivate = 1)';

function viewerParams(viewer: HistoryViewer): Record<string, SQLInputValue> {
  return { viewerId: viewer.userId, seesPrivate: viewer.seesPrivate ? 1 : 0 };
}

export interface HistoryPage {
  readonly total: number;
  readonly records: UploadRecord[];
}

/** A history file the bot cannot use; the start fails with this message rather than losing records. */
export class HistoryUnavailableError extends Error {
  constructor(path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `the upload history at ${path} cannot be used (${reason}). ` +
        'If the file is damaged, move it aside to start a new history; if DATA_DIR is read-only, make it writable.',
      { cause },
    );
  }
}

/**
 * Versioned schema: migration N takes a file from user_version N-1 to N. Never edit one that has
 * shipped; add the next.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE uploads (
     file_id TEXT NOT NULL PRIMARY KEY,
     purpose TEXT NOT NULL,
     file_name TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     format TEXT NOT NULL,
     duration_seconds REAL NOT NULL,
     sha256 TEXT NOT NULL,
     uploader_id TEXT NOT NULL,
     uploader_name TEXT NOT NULL,
     guild_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     message_url TEXT,
     created_at INTEGER NOT NULL,
     total_tokens INTEGER,
     input_tokens INTEGER,
     output_tokens INTEGER
   ) STRICT`,
  `CREATE INDEX uploads_by_content ON uploads (guild_id, sha256, purpose);
   CREATE INDEX uploads_by_guild_time ON uploads (guild_id, created_at DESC);
   CREATE INDEX uploads_by_uploader_time ON uploads (uploader_id, created_at)`,
  ...VOICE_MIGRATIONS,
  // Uploads recorded before this knew nothing of privacy; their replies were public.
  `ALTER TABLE uploads ADD COLUMN private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1))`,
  ...SAVED_SEARCH_MIGRATIONS,
  // Before migration 4, a private upload (its reply shown to the uploader only) was recorded with
  // no link to that reply, and every link-less row was then taken as public: those are private.
  `UPDATE uploads SET private = 1 WHERE message_url IS NULL`,
];

interface Row {
  file_id: string;
  purpose: string;
  file_name: string;
  bytes: number;
  format: string;
  duration_seconds: number;
  sha256: string;
  uploader_id: string;
  uploader_name: string;
  guild_id: string;
  channel_id: string;
  message_url: string | null;
  created_at: number;
  total_tokens: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  private: number;
}

/**
 * How long SQLite itself waits for another connection's write lock. node:sqlite is synchronous, so
 * this wait blocks the event loop: it stays short, and longer waits happen between attempts instead.
 */
const BUSY_TIMEOUT_MS = 250;
/** Pauses between attempts to write a record while another connection holds the lock: about 5 s in all. */
const DEFAULT_LOCKED_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000];
const SQLITE_BUSY = 5;

export interface HistoryOptions {
  /** Pauses between attempts of recordWhenUnlocked (for tests). */
  readonly lockedRetryDelaysMs?: readonly number[] | undefined;
}

/** Every successful upload, in an embedded SQLite file in DATA_DIR (node:sqlite: no server to run). */
export class UploadHistory {
  /** The filters behind /uploads' paging buttons. */
  readonly searches: SavedSearches;
  readonly #db: DatabaseSync;
  readonly #lockedRetryDelaysMs: readonly number[];

  private constructor(db: DatabaseSync, options: HistoryOptions) {
    this.#db = db;
    this.#lockedRetryDelaysMs = options.lockedRetryDelaysMs ?? DEFAULT_LOCKED_RETRY_DELAYS_MS;
    this.searches = new SavedSearches(db);
  }

  /**
   * Opens (or creates) the history and brings its schema up to date. WAL lets readers and the
   * writer work at once; the busy timeout makes a write wait for another connection's lock instead
   * of failing at once.
   */
  static open(dataDir: string, options: HistoryOptions = {}): UploadHistory {
    const path = join(dataDir, 'history.sqlite');
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(path);
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.exec('PRAGMA journal_mode = WAL');
      registerSearchFolding(db);
      migrate(db);
      // Proves the file is writable now, not at the first upload.
      db.exec('BEGIN IMMEDIATE; ROLLBACK');
      return new UploadHistory(db, options);
    } catch (error) {
      db?.close();
      throw new HistoryUnavailableError(path, error);
    }
  }

  /** The open database, for the other stores that live in the same file (voices, speech usage). */
  get database(): DatabaseSync {
    return this.#db;
  }

  get schemaVersion(): number {
    return userVersion(this.#db);
  }

  record(upload: UploadRecord): void {
    this.#db
      .prepare(
        `INSERT INTO uploads VALUES (:fileId, :purpose, :fileName, :bytes, :format, :durationSeconds, :sha256,
           :uploaderId, :uploaderName, :guildId, :channelId, :messageUrl, :createdAt, :totalTokens, :inputTokens,
           :outputTokens, :private)
         ON CONFLICT (file_id) DO NOTHING`,
      )
      .run(toParams(upload));
  }

  /**
   * record(), tried again after a pause while another connection (an operator's sqlite3 shell, a
   * backup) holds the write lock; any other failure, or a lock held through every pause, throws.
   */
  async recordWhenUnlocked(upload: UploadRecord): Promise<void> {
    for (const delayMs of [...this.#lockedRetryDelaysMs, undefined]) {
      try {
        this.record(upload);
        return;
      } catch (error) {
        if (delayMs === undefined || (error as { errcode?: unknown }).errcode !== SQLITE_BUSY) throw error;
        await sleep(delayMs);
      }
    }
  }

  /**
   * The earliest upload of the same content for the same purpose in a guild, preferring one that
   * `viewerId` may see (public, or their own) over another member's private one.
   */
  findDuplicate(
    guildId: string,
    sha256: string,
    purpose: Purpose,
    viewerId: string,
  ): UploadRecord | undefined {
    const row = this.#db
      .prepare(
        `SELECT * FROM uploads WHERE guild_id = ? AND sha256 = ? AND purpose = ?
         ORDER BY (private = 0 OR uploader_id = ?) DESC, created_at LIMIT 1`,
      )
      .get(guildId, sha256, purpose, viewerId) as Row | undefined;
    return row && fromRow(row);
  }

  /** The upload that produced `fileId`, in any guild. */
  get(fileId: string): UploadRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM uploads WHERE file_id = ?').get(fileId) as Row | undefined;
    return row && fromRow(row);
  }

  /**
   * A guild's uploads for one purpose that `viewer` may see, whose file name contains `typed` or
   * whose file_id starts with it, newest first: for the sample and prompt autocomplete of /clone.
   */
  suggest(
    guildId: string,
    purpose: Purpose,
    typed: string,
    limit: number,
    viewer: HistoryViewer,
  ): UploadRecord[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM uploads WHERE guild_id = :guildId AND purpose = :purpose AND ${VISIBLE_TO_VIEWER}
           AND (instr(${FOLD_FOR_SEARCH_SQL}(file_name), :name) > 0 OR substr(file_id, 1, length(:id)) = :id)
         ORDER BY created_at DESC, rowid DESC LIMIT :limit`,
      )
      .all({
        guildId,
        purpose,
        name: foldForSearch(typed),
        id: typed,
        limit,
        ...viewerParams(viewer),
      }) as unknown as Row[];
    return rows.map(fromRow);
  }

  /** A guild's uploads that `viewer` may see, newest first. */
  search(
    guildId: string,
    filter: HistoryFilter,
    page: { offset: number; limit: number },
    viewer: HistoryViewer,
  ): HistoryPage {
    const where = ['guild_id = :guildId', VISIBLE_TO_VIEWER];
    const params: Record<string, SQLInputValue> = { guildId, ...viewerParams(viewer) };
    if (filter.purpose) {
      where.push('purpose = :purpose');
      params.purpose = filter.purpose;
    }
    if (filter.uploaderId) {
      where.push('uploader_id = :uploaderId');
      params.uploaderId = filter.uploaderId;
    }
    if (filter.fileName) {
      where.push(`instr(${FOLD_FOR_SEARCH_SQL}(file_name), :fileName) > 0`);
      params.fileName = foldForSearch(filter.fileName);
    }
    const clause = where.join(' AND ');
    const { total } = this.#db
      .prepare(`SELECT count(*) AS total FROM uploads WHERE ${clause}`)
      .get(params) as {
      total: number;
    };
    const rows = this.#db
      .prepare(
        `SELECT * FROM uploads WHERE ${clause} ORDER BY created_at DESC, rowid DESC LIMIT :limit OFFSET :offset`,
      )
      .all({ ...params, limit: page.limit, offset: page.offset }) as unknown as Row[];
    return { total, records: rows.map(fromRow) };
  }

  /** Distinct names of the files `viewer` may see in a guild containing `text`, most recent first. */
  fileNames(guildId: string, text: string, limit: number, viewer: HistoryViewer): string[] {
    const rows = this.#db
      .prepare(
        `SELECT file_name, max(created_at) AS latest FROM uploads
         WHERE guild_id = :guildId AND ${VISIBLE_TO_VIEWER} AND instr(${FOLD_FOR_SEARCH_SQL}(file_name), :text) > 0
         GROUP BY file_name ORDER BY latest DESC LIMIT :limit`,
      )
      .all({ guildId, text: foldForSearch(text), limit, ...viewerParams(viewer) }) as unknown as {
      file_name: string;
    }[];
    return rows.map((row) => row.file_name);
  }

  /** Creation times (Unix seconds) of a user's uploads since `since`, oldest first: for the daily limit. */
  uploadTimesSince(uploaderId: string, since: number): number[] {
    const rows = this.#db
      .prepare('SELECT created_at FROM uploads WHERE uploader_id = ? AND created_at >= ? ORDER BY created_at')
      .all(uploaderId, since) as unknown as { created_at: number }[];
    return rows.map((row) => row.created_at);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

function migrate(db: DatabaseSync): void {
  const from = userVersion(db);
  if (from > MIGRATIONS.length) {
    throw new Error(
      `schema version ${from} is newer than this bot knows (${MIGRATIONS.length}); upgrade the bot`,
    );
  }
  for (let version = from; version < MIGRATIONS.length; version++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[version] ?? '');
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

function userVersion(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}

function toParams(upload: UploadRecord): Record<string, SQLInputValue> {
  return {
    fileId: upload.fileId,
    purpose: upload.purpose,
    fileName: upload.fileName,
    bytes: upload.bytes,
    format: upload.format,
    durationSeconds: upload.durationSeconds,
    sha256: upload.sha256,
    uploaderId: upload.uploaderId,
    uploaderName: upload.uploaderName,
    guildId: upload.guildId,
    channelId: upload.channelId,
    messageUrl: upload.messageUrl ?? null,
    createdAt: upload.createdAt,
    totalTokens: upload.totalTokens ?? null,
    inputTokens: upload.inputTokens ?? null,
    outputTokens: upload.outputTokens ?? null,
    private: upload.private ? 1 : 0,
  };
}

function fromRow(row: Row): UploadRecord {
  return {
    fileId: row.file_id,
    purpose: row.purpose as Purpose,
    fileName: row.file_name,
    bytes: row.bytes,
    format: row.format,
    durationSeconds: row.duration_seconds,
    sha256: row.sha256,
    uploaderId: row.uploader_id,
    uploaderName: row.uploader_name,
    guildId: row.guild_id,
    channelId: row.channel_id,
    messageUrl: row.message_url ?? undefined,
    createdAt: row.created_at,
    totalTokens: row.total_tokens ?? undefined,
    inputTokens: row.input_tokens ?? undefined,
    outputTokens: row.output_tokens ?? undefined,
    private: row.private === 1,
  };
}
