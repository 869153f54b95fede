/**
 * Schema for issue 13: the voices the team cloned and the speech characters each member used.
 * Appended to the history's migrations, so a database from before upgrades in place. Times are the
 * bot's own clock in Unix seconds; ids are exact digits as text.
 */
export const VOICE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE voices (
     voice_id TEXT NOT NULL PRIMARY KEY,
     guild_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     owner_id TEXT NOT NULL,
     owner_name TEXT NOT NULL,
     private INTEGER NOT NULL CHECK (private IN (0, 1)),
     source_file_id TEXT NOT NULL,
     prompt_file_id TEXT,
     created_at INTEGER NOT NULL,
     deadline_at INTEGER NOT NULL,
     first_used_at INTEGER,
     last_used_at INTEGER,
     use_count INTEGER NOT NULL DEFAULT 0 CHECK (use_count >= 0),
     reminder_sent_at INTEGER
   ) STRICT;
   CREATE INDEX voices_by_guild_time ON voices (guild_id, created_at DESC);
   CREATE INDEX voices_awaiting_reminder ON voices (deadline_at)
     WHERE first_used_at IS NULL AND reminder_sent_at IS NULL;
   CREATE TABLE speech_usage (
     id INTEGER PRIMARY KEY,
     user_id TEXT NOT NULL,
     guild_id TEXT NOT NULL,
     voice_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     characters INTEGER NOT NULL CHECK (characters >= 0),
     settled INTEGER NOT NULL DEFAULT 0 CHECK (settled IN (0, 1))
   ) STRICT;
   CREATE INDEX speech_usage_by_user_time ON speech_usage (user_id, at)`,
];
