import { performance } from 'node:perf_hooks';
import type { Purpose } from '../domain/purposes.ts';
import type { UploadRecord } from './upload-history.ts';

/** One upload between its duplicate check and its outcome. */
export interface InFlightUpload {
  readonly uploaderId: string;
  readonly private: boolean;
  /** Its record once uploaded (whether or not the history took it), undefined if it failed. */
  readonly outcome: Promise<UploadRecord | undefined>;
}

/** What the holder of a claim reports when its upload ends. */
export interface InFlightClaim {
  settle(record: UploadRecord | undefined): void;
}

/**
 * How long a finished upload is remembered here: no request can wait longer than its interaction
 * token lives (15 minutes), so none can still be deciding whether it is a duplicate of this one.
 */
const REMEMBER_FINISHED_MS = 15 * 60 * 1000;

/**
 * The uploads that passed the duplicate check and have not finished yet, by guild, purpose and
 * content, and those that finished lately. The history only knows finished uploads, so without this
 * the same bytes sent twice at once would both pass the check and both spend the key.
 */
export class InFlightUploads {
  readonly #now: () => number;
  readonly #running = new Map<string, InFlightUpload>();
  readonly #finished = new Map<string, { readonly record: UploadRecord; readonly at: number }>();

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** A monotonic time, for `finishedSince`. */
  now(): number {
    return this.#now();
  }

  get(guildId: string, purpose: Purpose, sha256: string): InFlightUpload | undefined {
    return this.#running.get(key(guildId, purpose, sha256));
  }

  /**
   * The latest upload of this content that finished at or after `since` (a `now()` reading): a
   * request sent together with it must not pay again, even with force.
   */
  finishedSince(guildId: string, purpose: Purpose, sha256: string, since: number): UploadRecord | undefined {
    const finished = this.#finished.get(key(guildId, purpose, sha256));
    return finished && finished.at >= since ? finished.record : undefined;
  }

  /** Marks the content as being uploaded; the caller must have checked that nothing else is. */
  claim(
    guildId: string,
    purpose: Purpose,
    sha256: string,
    owner: { readonly uploaderId: string; readonly private: boolean },
  ): InFlightClaim {
    const id = key(guildId, purpose, sha256);
    if (this.#running.has(id)) throw new Error(`${id} is already being uploaded`);
    let settle!: (record: UploadRecord | undefined) => void;
    const outcome = new Promise<UploadRecord | undefined>((resolve) => (settle = resolve));
    const upload: InFlightUpload = { ...owner, outcome };
    this.#running.set(id, upload);
    return {
      settle: (record) => {
        if (this.#running.get(id) !== upload) return;
        this.#running.delete(id);
        this.#forgetOld();
        if (record) this.#finished.set(id, { record, at: this.#now() });
        settle(record);
      },
    };
  }

  #forgetOld(): void {
    const before = this.#now() - REMEMBER_FINISHED_MS;
    for (const [id, finished] of this.#finished) if (finished.at < before) this.#finished.delete(id);
  }
}

function key(guildId: string, purpose: Purpose, sha256: string): string {
  return `${guildId}:${purpose}:${sha256}`;
}
