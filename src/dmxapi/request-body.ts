import type { Purpose } from '../domain/purposes.ts';

/**
 * Raw bytes per chunk: a multiple of 3, so each chunk's base64 stands alone with no padding; and
 * small enough (64 KiB of base64) that each chunk's string dies young, in V8's new space, rather than
 * piling up in the large-object space until a full GC (seen as peak RSS in `npm run bench`).
 */
export const RAW_CHUNK_BYTES = 3 * 16 * 1024;

export interface UploadRequestBody {
  /** Exact byte length of the JSON document, sent as Content-Length. */
  readonly length: number;
  /** The JSON document, produced a chunk at a time; call again for a fresh copy (a retry). */
  chunks(): Generator<Buffer>;
}

/**
 * The documented upload body, `{"model","input":[{"purpose"}],"dataf":"<base64>"}`, streamed:
 * base64 of a 20 MB file is 26.7 MB, and building it as one string (then one JSON string)
 * would hold the file three to four times over.
 */
export function uploadRequestBody(model: string, purpose: Purpose, audio: Uint8Array): UploadRequestBody {
  const prefix = Buffer.from(
    `{"model":${JSON.stringify(model)},"input":[{"purpose":${JSON.stringify(purpose)}}],"dataf":"`,
  );
  const suffix = Buffer.from('"}');
  const view = Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength);
  return {
    length: prefix.length + 4 * Math.ceil(audio.byteLength / 3) + suffix.length,
    *chunks() {
      yield prefix;
      for (let offset = 0; offset < view.length; offset += RAW_CHUNK_BYTES) {
        const base64 = view.toString('base64', offset, Math.min(offset + RAW_CHUNK_BYTES, view.length));
        yield Buffer.from(base64, 'latin1');
      }
      yield suffix;
    },
  };
}
