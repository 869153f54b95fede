import type { HistoryViewer } from '../../src/history/upload-history.ts';

/** A server manager: sees every upload, private ones included, as tests that read the history need. */
export const EVERY_UPLOAD: HistoryViewer = Object.freeze({ userId: 'manager', seesPrivate: true });
