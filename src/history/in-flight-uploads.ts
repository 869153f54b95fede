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
 * The uploads that passed the duplicate check and have not finished yet, by guild, purpose and
 * content. The history only knows finished uploads, so without this the same bytes sent twice at
 * once would both pass the check and both spend the key.
 */
export class InFlightUploads {
  readonly #uploads = new Map<string, InFlightUpload>();

  get(guildId: string, purpose: Purpose, sha256: string): InFlightUpload | undefined {
    return this.#uploads.get(key(guildId, purpose, sha256));
  }

  /** Marks the content as being uploaded; the caller must have checked that nothing else is. */
  claim(
    guildId: string,
    purpose: Purpose,
    sha256: string,
    owner: { readonly uploaderId: string; readonly private: boolean },
  ): InFlightClaim {
    const id = key(guildId, purpose, sha256);
    if (this.#uploads.has(id)) throw new Error(`${id} is already being uploaded`);
    let settle!: (record: UploadRecord | undefined) => void;
    const outcome = new Promise<UploadRecord | undefined>((resolve) => (settle = resolve));
    const upload: InFlightUpload = { ...owner, outcome };
    this.#uploads.set(id, upload);
    return {
      settle: (record) => {
        if (this.#uploads.get(id) === upload) this.#uploads.delete(id);
        settle(record);
      },
    };
  }
}

function key(guildId: string, purpose: Purpose, sha256: string): string {
  return `${guildId}:${purpose}:${sha256}`;
}
