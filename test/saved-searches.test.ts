import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAVED_SEARCH_MIGRATIONS, SavedSearches } from '../src/history/saved-searches.ts';

let db: DatabaseSync;
let now: number;
let searches: SavedSearches;

beforeEach(() => {
  db = new DatabaseSync(':memory:');
  for (const migration of SAVED_SEARCH_MIGRATIONS) db.exec(migration);
  now = Date.UTC(2026, 11, 1);
  searches = new SavedSearches(db, () => now);
});
afterEach(() => db.close());

const DAY = 24 * 60 * 60 * 1000;
const longest = {
  purpose: 'prompt_audio',
  uploaderId: '18446744073709551615',
  fileName: 'ж'.repeat(100),
} as const;

describe('SavedSearches', () => {
  it('gives the whole filter back under a short key, the same key for the same search', () => {
    const key = searches.save('100', longest);
    expect(key).toMatch(/^[\w-]{16}$/);
    expect(searches.find('100', key)).toEqual(longest);
    expect(searches.save('100', longest)).toBe(key);
    expect(searches.save('100', {})).not.toBe(key);
    expect(searches.find('100', searches.save('100', {}))).toEqual({
      purpose: undefined,
      uploaderId: undefined,
      fileName: undefined,
    });
    expect(db.prepare('SELECT count(*) AS n FROM upload_searches').get()).toEqual({ n: 2 });
  });

  it('keeps each guild to its own searches', () => {
    const key = searches.save('100', longest);
    expect(searches.find('200', key)).toBeUndefined();
    expect(searches.save('200', longest)).not.toBe(key);
  });

  it('drops a search 30 days after its last use, and a use keeps it', () => {
    const used = searches.save('100', { fileName: 'used' });
    const idle = searches.save('100', { fileName: 'idle' });
    now += 20 * DAY;
    expect(searches.find('100', used)).toBeDefined();
    now += 11 * DAY;
    // The next save clears what nobody used for 30 days.
    searches.save('100', { fileName: 'new' });
    expect(searches.find('100', idle)).toBeUndefined();
    expect(searches.find('100', used)).toEqual({
      purpose: undefined,
      uploaderId: undefined,
      fileName: 'used',
    });
  });
});
