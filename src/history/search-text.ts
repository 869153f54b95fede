import type { DatabaseSync } from 'node:sqlite';

/**
 * Text as a search compares it: the same for every case in every script. SQLite's LIKE and NOCASE
 * fold ASCII only. NFKC first, so an accent typed as one character finds the same accent stored as
 * two (macOS writes file names decomposed) and full-width letters find their plain forms; upper
 * then lower case, so "ß" finds "SS"; and every Greek sigma as σ, since lower-casing writes ς at a
 * word's end. Scripts without case (CJK, kana) pass through unchanged.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toUpperCase().toLowerCase().replaceAll('ς', 'σ');
}

/** The SQL name of foldForSearch, once registerSearchFolding has run on a connection. */
export const FOLD_FOR_SEARCH_SQL = 'fold_for_search';

/** Makes `fold_for_search(text)` callable in SQL on this connection. */
export function registerSearchFolding(db: DatabaseSync): void {
  db.function(FOLD_FOR_SEARCH_SQL, { deterministic: true }, (text) =>
    typeof text === 'string' ? foldForSearch(text) : text,
  );
}
