import type { DatabaseSync, SQLInputValue } from 'node:sqlite';

/** MiniMax deletes a cloned voice not used for speech within this long of its creation. */
export const VOICE_LIFETIME_SECONDS = 7 * 24 * 60 * 60;

/** A voice cloned through the bot, as the team needs it until MiniMax deletes it and after. */
export interface VoiceRecord {
  readonly voiceId: string;
  readonly guildId: string;
  /** Where it was cloned: the reminder is posted there (a private clone's goes to its owner). */
  readonly channelId: string;
  readonly ownerId: string;
  readonly ownerName: string;
  /** Cloned with `private`: listed and reminded only to its owner. */
  readonly private: boolean;
  readonly sourceFileId: string;
  readonly promptFileId: string | undefined;
  /** Unix seconds, the bot's clock. */
  readonly createdAt: number;
  /** When MiniMax deletes it unless it was used: `createdAt` + 7 days. */
  readonly deadlineAt: number;
  readonly firstUsedAt: number | undefined;
  readonly lastUsedAt: number | undefined;
  readonly useCount: number;
  readonly reminderSentAt: number | undefined;
}

export type NewVoice = Omit<
  VoiceRecord,
  'deadlineAt' | 'firstUsedAt' | 'lastUsedAt' | 'useCount' | 'reminderSentAt'
>;

/** `pending`: unused, deleted at the deadline unless used; `kept`: used for speech; `expired`: deleted. */
export type VoiceState = 'pending' | 'kept' | 'expired';

export function voiceState(voice: VoiceRecord, nowSeconds: number): VoiceState {
  if (voice.firstUsedAt !== undefined) return 'kept';
  return nowSeconds < voice.deadlineAt ? 'pending' : 'expired';
}

/** Who is looking: a private voice is shown to its owner only. */
export interface VoiceViewer {
  readonly userId: string;
}

interface Row {
  voice_id: string;
  guild_id: string;
  channel_id: string;
  owner_id: string;
  owner_name: string;
  private: number;
  source_file_id: string;
  prompt_file_id: string | null;
  created_at: number;
  deadline_at: number;
  first_used_at: number | null;
  last_used_at: number | null;
  use_count: number;
  reminder_sent_at: number | null;
}

const VISIBLE = '(private = 0 OR owner_id = :viewerId)';

/** The voices table of the history database (see voice-migrations.ts). */
export class VoiceStore {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Records a voice MiniMax just created; its deadline starts now. */
  record(voice: NewVoice): VoiceRecord {
    const params: Record<string, SQLInputValue> = {
      voiceId: voice.voiceId,
      guildId: voice.guildId,
      channelId: voice.channelId,
      ownerId: voice.ownerId,
      ownerName: voice.ownerName,
      private: voice.private ? 1 : 0,
      sourceFileId: voice.sourceFileId,
      promptFileId: voice.promptFileId ?? null,
      createdAt: voice.createdAt,
      deadlineAt: voice.createdAt + VOICE_LIFETIME_SECONDS,
    };
    this.#db
      .prepare(
        `INSERT INTO voices (voice_id, guild_id, channel_id, owner_id, owner_name, private, source_file_id,
           prompt_file_id, created_at, deadline_at)
         VALUES (:voiceId, :guildId, :channelId, :ownerId, :ownerName, :private, :sourceFileId, :promptFileId,
           :createdAt, :deadlineAt)`,
      )
      .run(params);
    return { ...voice, deadlineAt: voice.createdAt + VOICE_LIFETIME_SECONDS, ...NEVER_USED };
  }

  get(voiceId: string): VoiceRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM voices WHERE voice_id = ?').get(voiceId) as Row | undefined;
    return row && fromRow(row);
  }

  /** A short number for a voice, for custom ids (a voice_id may be longer than a custom id can hold). */
  keyOf(voiceId: string): number | undefined {
    const row = this.#db.prepare('SELECT rowid AS key FROM voices WHERE voice_id = ?').get(voiceId) as
      { key: number } | undefined;
    return row?.key;
  }

  getByKey(key: number): VoiceRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM voices WHERE rowid = ?').get(key) as Row | undefined;
    return row && fromRow(row);
  }

  /** Whether the bot already made a voice with this id (MiniMax would refuse it: 2039). */
  has(voiceId: string): boolean {
    return this.#db.prepare('SELECT 1 FROM voices WHERE voice_id = ?').get(voiceId) !== undefined;
  }

  /**
   * Notes one speech with the voice, which keeps MiniMax from deleting it. Returns whether it was
   * the first (when MiniMax charges the clone fee), or undefined for a voice the bot did not clone.
   */
  recordUse(voiceId: string, atSeconds: number): { readonly firstUse: boolean } | undefined {
    const row = this.#db
      .prepare(
        `UPDATE voices SET use_count = use_count + 1, last_used_at = :at, first_used_at = coalesce(first_used_at, :at)
         WHERE voice_id = :voiceId RETURNING use_count`,
      )
      .get({ voiceId, at: atSeconds }) as { use_count: number } | undefined;
    return row && { firstUse: row.use_count === 1 };
  }

  /** A guild's voices the viewer may see, newest first. */
  list(
    guildId: string,
    viewer: VoiceViewer,
    page: { readonly offset: number; readonly limit: number },
  ): { readonly total: number; readonly voices: VoiceRecord[] } {
    const params = { guildId, viewerId: viewer.userId };
    const where = `guild_id = :guildId AND ${VISIBLE}`;
    const { total } = this.#db.prepare(`SELECT count(*) AS total FROM voices WHERE ${where}`).get(params) as {
      total: number;
    };
    const rows = this.#db
      .prepare(
        `SELECT * FROM voices WHERE ${where} ORDER BY created_at DESC, rowid DESC LIMIT :limit OFFSET :offset`,
      )
      .all({ ...params, limit: page.limit, offset: page.offset }) as unknown as Row[];
    return { total, voices: rows.map(fromRow) };
  }

  /** Voice ids containing `text` (any case) the viewer may use, newest first: for autocomplete. */
  search(guildId: string, viewer: VoiceViewer, text: string, limit: number): VoiceRecord[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM voices WHERE guild_id = :guildId AND ${VISIBLE}
           AND instr(lower(voice_id), lower(:text)) > 0
         ORDER BY created_at DESC, rowid DESC LIMIT :limit`,
      )
      .all({ guildId, viewerId: viewer.userId, text, limit }) as unknown as Row[];
    return rows.map(fromRow);
  }

  /** Unused voices not yet reminded whose deadline falls in (now, now + window], soonest first. */
  dueForReminder(nowSeconds: number, windowSeconds: number): VoiceRecord[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM voices WHERE first_used_at IS NULL AND reminder_sent_at IS NULL
           AND deadline_at > :now AND deadline_at <= :until
         ORDER BY deadline_at`,
      )
      .all({ now: nowSeconds, until: nowSeconds + windowSeconds }) as unknown as Row[];
    return rows.map(fromRow);
  }

  /**
   * Marks a voice's reminder as sent, once: false when it already was (another run, an earlier
   * process) or the voice was used meanwhile. Claimed before sending, so a restart never repeats it.
   */
  claimReminder(voiceId: string, atSeconds: number): boolean {
    const { changes } = this.#db
      .prepare(
        `UPDATE voices SET reminder_sent_at = :at
         WHERE voice_id = :voiceId AND reminder_sent_at IS NULL AND first_used_at IS NULL`,
      )
      .run({ voiceId, at: atSeconds });
    return changes === 1;
  }

  /** Gives a claim back after the reminder could not be posted, so a later run tries again. */
  releaseReminder(voiceId: string): void {
    this.#db.prepare('UPDATE voices SET reminder_sent_at = NULL WHERE voice_id = ?').run(voiceId);
  }
}

const NEVER_USED = {
  firstUsedAt: undefined,
  lastUsedAt: undefined,
  useCount: 0,
  reminderSentAt: undefined,
} as const;

function fromRow(row: Row): VoiceRecord {
  return {
    voiceId: row.voice_id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    private: row.private === 1,
    sourceFileId: row.source_file_id,
    promptFileId: row.prompt_file_id ?? undefined,
    createdAt: row.created_at,
    deadlineAt: row.deadline_at,
    firstUsedAt: row.first_used_at ?? undefined,
    lastUsedAt: row.last_used_at ?? undefined,
    useCount: row.use_count,
    reminderSentAt: row.reminder_sent_at ?? undefined,
  };
}
