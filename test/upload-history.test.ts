import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HistoryUnavailableError,
  MIGRATIONS,
  UploadHistory,
  type UploadRecord,
} from '../src/history/upload-history.ts';
import { EVERY_UPLOAD } from './support/history-viewers.ts';

let dataDir: string;
const opened: UploadHistory[] = [];

function open(): UploadHistory {
  const history = UploadHistory.open(dataDir);
  opened.push(history);
  return history;
}

function record(overrides: Partial<UploadRecord> = {}): UploadRecord {
  return {
    fileId: '9007199254740993123',
    purpose: 'voice_clone',
    fileName: 'alice take 1.mp3',
    bytes: 203955,
    format: 'mp3',
    durationSeconds: 12.7,
    sha256: 'a'.repeat(64),
    uploaderId: '300000000000000001',
    uploaderName: 'alice',
    guildId: '100',
    channelId: '200',
    messageUrl: 'https://discord.com/channels/100/200/300',
    createdAt: 1_770_876_014,
    totalTokens: 203,
    inputTokens: 0,
    outputTokens: 203,
    private: false,
    ...overrides,
  };
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'history-'));
});

afterEach(async () => {
  for (const history of opened.splice(0)) history.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('UploadHistory on a real SQLite file', () => {
  it('keeps every field, file_id digits exact, across a restart', () => {
    const first = open();
    first.record(record());
    first.close();
    const again = open();
    expect(again.search('100', {}, { offset: 0, limit: 10 }, EVERY_UPLOAD)).toEqual({
      total: 1,
      records: [record()],
    });
  });

  it('finds the earliest upload of the same content and purpose in the same guild only', () => {
    const history = open();
    history.record(record({ fileId: '2', createdAt: 2000 }));
    history.record(record({ fileId: '1', createdAt: 1000 }));
    const viewer = '300000000000000001';
    expect(history.findDuplicate('100', 'a'.repeat(64), 'voice_clone', viewer)?.fileId).toBe('1');
    expect(history.findDuplicate('100', 'a'.repeat(64), 'prompt_audio', viewer)).toBeUndefined();
    expect(history.findDuplicate('999', 'a'.repeat(64), 'voice_clone', viewer)).toBeUndefined();
    expect(history.findDuplicate('100', 'b'.repeat(64), 'voice_clone', viewer)).toBeUndefined();
  });

  it("prefers an upload the member may see over another member's earlier private one", () => {
    const history = open();
    history.record(record({ fileId: '1', createdAt: 1000, uploaderId: 'alice', private: true }));
    history.record(record({ fileId: '2', createdAt: 2000, uploaderId: 'bob', private: true }));
    history.record(record({ fileId: '3', createdAt: 3000, uploaderId: 'carol' }));
    const content = 'a'.repeat(64);
    expect(history.findDuplicate('100', content, 'voice_clone', 'bob')?.fileId).toBe('2');
    expect(history.findDuplicate('100', content, 'voice_clone', 'dave')?.fileId).toBe('3');
    expect(history.findDuplicate('100', content, 'voice_clone', 'alice')?.fileId).toBe('1');

    history.record(record({ fileId: '4', sha256: 'd'.repeat(64), uploaderId: 'alice', private: true }));
    expect(history.findDuplicate('100', 'd'.repeat(64), 'voice_clone', 'dave')).toMatchObject({
      fileId: '4',
      private: true,
    });
  });

  it('searches newest first, filtered by purpose, uploader and file name, paginated', () => {
    const history = open();
    for (let i = 0; i < 12; i++) {
      history.record(
        record({
          fileId: String(i),
          createdAt: 1000 + i,
          purpose: i % 3 === 0 ? 'prompt_audio' : 'voice_clone',
          uploaderId: i % 2 === 0 ? 'u-even' : 'u-odd',
          fileName: `take_${i}%.wav`,
        }),
      );
    }
    const firstPage = history.search('100', {}, { offset: 0, limit: 5 }, EVERY_UPLOAD);
    expect(firstPage.total).toBe(12);
    expect(firstPage.records.map((r) => r.fileId)).toEqual(['11', '10', '9', '8', '7']);
    expect(
      history.search('100', {}, { offset: 10, limit: 5 }, EVERY_UPLOAD).records.map((r) => r.fileId),
    ).toEqual(['1', '0']);
    expect(
      history
        .search('100', { purpose: 'prompt_audio' }, { offset: 0, limit: 20 }, EVERY_UPLOAD)
        .records.map((r) => r.fileId),
    ).toEqual(['9', '6', '3', '0']);
    expect(
      history.search(
        '100',
        { uploaderId: 'u-odd', purpose: 'voice_clone' },
        { offset: 0, limit: 20 },
        EVERY_UPLOAD,
      ).total,
    ).toBe(4);
    expect(
      history
        .search('100', { fileName: 'TAKE_1' }, { offset: 0, limit: 20 }, EVERY_UPLOAD)
        .records.map((r) => r.fileId),
    ).toEqual(['11', '10', '1']);
    // LIKE wildcards in the query are taken literally.
    expect(history.search('100', { fileName: '_1%' }, { offset: 0, limit: 20 }, EVERY_UPLOAD).total).toBe(1);
    expect(history.search('other', {}, { offset: 0, limit: 20 }, EVERY_UPLOAD).total).toBe(0);
  });

  it.each([
    ['Cyrillic', 'Запись Алисы.wav', 'запись алисы'],
    ['Greek, final sigma included', 'ΦΩΝΗ ΟΔΟΣ.mp3', 'φωνη οδοσ'],
    ['accented Latin', 'ÉLODIE À LA MER.m4a', 'élodie à la'],
    ['German sharp s', 'Straße.wav', 'STRASSE'],
    ['decomposed accents (as macOS names files)', 'Cafe\u0301 take.wav', 'CAFÉ'],
    ['full-width Latin', 'ＶＯＩＣＥ１.wav', 'voice1'],
    ['CJK, which has no case', '小明的声音样本.mp3', '声音'],
    ['Japanese kana', 'こえサンプル.wav', 'サンプル'],
  ])('matches a file name whatever its case: %s', (_script, fileName, typed) => {
    const history = open();
    history.record(record({ fileId: '1', fileName }));
    history.record(record({ fileId: '2', fileName: 'unrelated.wav' }));
    expect(
      history
        .search('100', { fileName: typed }, { offset: 0, limit: 10 }, EVERY_UPLOAD)
        .records.map((r) => r.fileId),
    ).toEqual(['1']);
    expect(history.fileNames('100', typed, 25, EVERY_UPLOAD)).toEqual([fileName]);
    // And the other way round: what was typed in capitals finds a name written in small letters.
    history.record(record({ fileId: '3', fileName: typed }));
    expect(
      history.search('100', { fileName: typed.toUpperCase() }, { offset: 0, limit: 10 }, EVERY_UPLOAD).total,
    ).toBe(2);
  });

  it('lists a private upload to its uploader and to managers only, in searches and suggestions', () => {
    const history = open();
    history.record(record({ fileId: '1', fileName: 'shared.wav', uploaderId: 'alice' }));
    history.record(record({ fileId: '2', fileName: 'alice secret.wav', uploaderId: 'alice', private: true }));
    history.record(record({ fileId: '3', fileName: 'bob secret.wav', uploaderId: 'bob', private: true }));
    const page = { offset: 0, limit: 10 };
    const ids = (viewer: { userId: string; seesPrivate: boolean }, filter = {}) =>
      history.search('100', filter, page, viewer).records.map((r) => r.fileId);
    expect(ids({ userId: 'carol', seesPrivate: false })).toEqual(['1']);
    expect(ids({ userId: 'alice', seesPrivate: false })).toEqual(['2', '1']);
    expect(ids({ userId: 'bob', seesPrivate: false }, { uploaderId: 'alice' })).toEqual(['1']);
    expect(ids({ userId: 'carol', seesPrivate: true })).toEqual(['3', '2', '1']);
    expect(history.search('100', {}, page, { userId: 'carol', seesPrivate: false }).total).toBe(1);
    expect(history.fileNames('100', 'secret', 25, { userId: 'carol', seesPrivate: false })).toEqual([]);
    expect(history.fileNames('100', 'secret', 25, { userId: 'bob', seesPrivate: false })).toEqual([
      'bob secret.wav',
    ]);
    const suggested = (viewer: { userId: string; seesPrivate: boolean }) =>
      history.suggest('100', 'voice_clone', '', 25, viewer).map((r) => r.fileId);
    expect(suggested({ userId: 'carol', seesPrivate: false })).toEqual(['1']);
    expect(suggested({ userId: 'bob', seesPrivate: false })).toEqual(['3', '1']);
    expect(suggested(EVERY_UPLOAD)).toEqual(['3', '2', '1']);
  });

  it('keeps a linked upload public when it migrates an older history', () => {
    const old = new DatabaseSync(join(dataDir, 'history.sqlite'));
    old.exec(MIGRATIONS[0] ?? '');
    old.exec('PRAGMA user_version = 1');
    old
      .prepare(
        "INSERT INTO uploads (file_id, purpose, file_name, bytes, format, duration_seconds, sha256, uploader_id, uploader_name, guild_id, channel_id, message_url, created_at) VALUES ('43', 'voice_clone', 'linked.wav', 1, 'wav', 10, 'c', 'u', 'n', '100', '200', 'https://discord.com/channels/100/200/300', 5)",
      )
      .run();
    old.close();
    expect(open().search('100', {}, { offset: 0, limit: 5 }, EVERY_UPLOAD).records[0]?.private).toBe(false);
  });

  it('suggests distinct file names for autocomplete, newest first', () => {
    const history = open();
    history.record(record({ fileId: '1', fileName: 'bob.wav', createdAt: 1 }));
    history.record(record({ fileId: '2', fileName: 'alice.mp3', createdAt: 2 }));
    history.record(record({ fileId: '3', fileName: 'bob.wav', createdAt: 3 }));
    expect(history.fileNames('100', '', 25, EVERY_UPLOAD)).toEqual(['bob.wav', 'alice.mp3']);
    expect(history.fileNames('100', 'ALI', 25, EVERY_UPLOAD)).toEqual(['alice.mp3']);
  });

  it("lists a user's uploads in a window, for the daily limit", () => {
    const history = open();
    for (const [id, at] of [
      ['1', 100],
      ['2', 200],
      ['3', 300],
    ] as const)
      history.record(record({ fileId: id, createdAt: at }));
    expect(history.uploadTimesSince('300000000000000001', 150)).toEqual([200, 300]);
    expect(history.uploadTimesSince('someone-else', 0)).toEqual([]);
  });

  it('migrates a file left at an older schema version, keeping its rows', () => {
    const old = new DatabaseSync(join(dataDir, 'history.sqlite'));
    old.exec(MIGRATIONS[0] ?? '');
    old.exec('PRAGMA user_version = 1');
    old
      .prepare(
        "INSERT INTO uploads (file_id, purpose, file_name, bytes, format, duration_seconds, sha256, uploader_id, uploader_name, guild_id, channel_id, created_at) VALUES ('42', 'voice_clone', 'old.wav', 1, 'wav', 10, 'c', 'u', 'n', '100', '200', 5)",
      )
      .run();
    old.close();

    const history = open();
    expect(history.schemaVersion).toBe(MIGRATIONS.length);
    expect(history.search('100', {}, { offset: 0, limit: 5 }, EVERY_UPLOAD).records[0]).toMatchObject({
      fileId: '42',
      messageUrl: undefined,
      // Recorded with no link to its reply: a private upload's reply was shown to its uploader only.
      private: true,
    });
  });

  it('keeps the file in WAL mode, so reading never waits for a writer', () => {
    open();
    const other = new DatabaseSync(join(dataDir, 'history.sqlite'));
    expect(other.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    other.close();
  });

  it('writes once another connection lets go of the lock, and gives up on one that never does', async () => {
    const history = UploadHistory.open(dataDir, { lockedRetryDelaysMs: [50, 50, 50, 50, 50, 50] });
    opened.push(history);
    const other = new DatabaseSync(join(dataDir, 'history.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    expect(() => history.record(record({ fileId: '1' }))).toThrow(/database is locked/);
    setTimeout(() => other.exec('COMMIT'), 300);
    await history.recordWhenUnlocked(record({ fileId: '1' }));
    expect(history.search('100', {}, { offset: 0, limit: 5 }, EVERY_UPLOAD).total).toBe(1);

    other.exec('BEGIN IMMEDIATE');
    await expect(history.recordWhenUnlocked(record({ fileId: '2' }))).rejects.toThrow(/database is locked/);
    other.exec('ROLLBACK');
    other.close();
  });

  it('refuses a corrupt file with a clear error, leaving the file for inspection', async () => {
    const path = join(dataDir, 'history.sqlite');
    await writeFile(path, 'this is not a database, it is a shopping list\n'.repeat(100));
    expect(() => open()).toThrow(HistoryUnavailableError);
    expect(() => open()).toThrow(
      /history\.sqlite cannot be used \(file is not a database\)\. If the file is damaged, move it aside/,
    );
  });

  it('refuses a file from a newer bot', () => {
    const future = new DatabaseSync(join(dataDir, 'history.sqlite'));
    future.exec(`PRAGMA user_version = ${MIGRATIONS.length + 5}`);
    future.close();
    expect(() => open()).toThrow(/newer than this bot knows/);
  });

  it('refuses a history it cannot create at open, not at the first upload', () => {
    expect(() => UploadHistory.open(join(dataDir, 'missing', 'deeper'))).toThrow(
      /cannot be used \(unable to open database file\)/,
    );
  });
});
