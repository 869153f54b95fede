import { open } from 'node:fs/promises';
import type { Purpose } from '../domain/purposes.ts';

/**
 * Raw bytes per chunk: a multiple of 3, so each chunk's base64 stands alone with no padding; and
 * small enough (64 KiB of base64) that each chunk's string dies young, in V8's new space, rather than
 * piling up in the large-object space until a full GC (seen as peak RSS in `npm run bench`).
 */
export const RAW_CHUNK_BYTES = 3 * 16 * 1024;

/** Audio already on disk (a checked download): sent from the file, never held whole in memory. */
export interface StoredAudio {
  readonly path: string;
  /** The size that was checked; a file that no longer has it is not sent. */
  readonly size: number;
}

/** What an upload sends: bytes in memory (a converted WAV), or a file on disk. */
export type UploadAudio = Uint8Array | StoredAudio;

export function audioSize(audio: UploadAudio): number {
  return audio instanceof Uint8Array ? audio.byteLength : audio.size;
}

export interface UploadRequestBody {
  /** Exact byte length of the JSON document, sent as Content-Length. */
  readonly length: number;
  /** The JSON document, produced a chunk at a time; call again for a fresh copy (a retry). */
  chunks(): Iterable<Buffer> | AsyncIterable<Buffer>;
}

/**
 * The documented upload body, `{"model","input":[{"purpose"}],"dataf":"<base64>"}`, streamed:
 * base64 of a 20 MB file is 26.7 MB, and building it as one string (then one JSON string)
 * would hold the file three to four times over.
 */
export function uploadRequestBody(model: string, purpose: Purpose, audio: UploadAudio): UploadRequestBody {
  const prefix = Buffer.from(
    `{"model":${JSON.stringify(model)},"input":[{"purpose":${JSON.stringify(purpose)}}],"dataf":"`,
  );
  const suffix = Buffer.from('"}');
  const size = audioSize(audio);
  return {
    length: prefix.length + 4 * Math.ceil(size / 3) + suffix.length,
    chunks:
      audio instanceof Uint8Array
        ? function* () {
            yield prefix;
            yield* base64Chunks(Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength));
            yield suffix;
          }
        : async function* () {
            yield prefix;
            for await (const block of readInBlocks(audio)) yield* base64Chunks(block);
            yield suffix;
          },
  };
}

/** `bytes` as base64, RAW_CHUNK_BYTES at a time, each piece made before it is handed on. */
function* base64Chunks(bytes: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += RAW_CHUNK_BYTES) {
    yield Buffer.from(bytes.subarray(offset, offset + RAW_CHUNK_BYTES).toString('base64'), 'latin1');
  }
}

/** Bytes read from disk at a time: few reads, and a whole number of RAW_CHUNK_BYTES. */
const READ_BLOCK_BYTES = 16 * RAW_CHUNK_BYTES;

/**
 * The file in READ_BLOCK_BYTES blocks (the last may be shorter), checked to be `size` bytes long.
 * Every block is read into the same memory: a block must be used up before the next is asked for.
 */
async function* readInBlocks({ path, size }: StoredAudio): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { size: actual } = await handle.stat();
    if (actual !== size) throw new Error(`${path} holds ${actual} bytes, not the ${size} that were checked`);
    const block = Buffer.allocUnsafeSlow(Math.min(READ_BLOCK_BYTES, size));
    for (let offset = 0; offset < size;) {
      const chunk = block.subarray(0, Math.min(READ_BLOCK_BYTES, size - offset));
      let filled = 0;
      while (filled < chunk.length) {
        const { bytesRead } = await handle.read(chunk, filled, chunk.length - filled, offset + filled);
        if (bytesRead === 0) throw new Error(`${path} ended at ${offset + filled} of ${size} bytes`);
        filled += bytesRead;
      }
      offset += filled;
      yield chunk;
    }
  } finally {
    await handle.close();
  }
}
