import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { isIP } from 'node:net';
import { request, type Dispatcher } from 'undici';
import {
  AttachmentUrlRejectedError,
  DownloadFailedError,
  DownloadHttpError,
  DownloadTimeoutError,
  DownloadTooLargeError,
} from './errors.ts';

export interface DownloadOptions {
  /** Hostnames attachments may come from (compared case-insensitively, port ignored). */
  readonly allowedHosts: readonly string[];
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /** The size declared: sizes an in-memory buffer and shows progress, never trusted as a limit. */
  readonly expectedBytes?: number | undefined;
  readonly onProgress?: ((receivedBytes: number) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly dispatcher?: Dispatcher | undefined;
}

/**
 * Refuses a URL that is not https on an allowed host (plain http only on loopback). An allowed entry
 * is a host name, or with a leading dot (`.example.com`) any host under that domain.
 */
export function checkAttachmentUrl(rawUrl: string, allowedHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new AttachmentUrlRejectedError(rawUrl.slice(0, 100), 'invalid_url');
  }
  const host = url.hostname.toLowerCase();
  if (!allowedHosts.some((allowed) => hostMatches(host, allowed.toLowerCase()))) {
    throw new AttachmentUrlRejectedError(host, 'host_not_allowed');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(host))) {
    throw new AttachmentUrlRejectedError(host, 'insecure_protocol');
  }
  return url;
}

export interface DownloadedBytes {
  readonly bytes: Uint8Array;
  /** sha256 (hex) of the bytes, hashed chunk by chunk while they arrived. */
  readonly sha256: string;
}

export interface DownloadedFile {
  /** Where the body was written. */
  readonly path: string;
  readonly size: number;
  /** sha256 (hex) of the bytes, hashed chunk by chunk while they arrived. */
  readonly sha256: string;
}

/**
 * Downloads into one buffer (a clone's preview: small), stopping as soon as the body passes
 * `maxBytes` whatever Content-Length claimed.
 */
export async function downloadAttachment(rawUrl: string, options: DownloadOptions): Promise<DownloadedBytes> {
  let buffer: GrowableBuffer | undefined;
  const { sha256 } = await streamBody(
    checkAttachmentUrl(rawUrl, options.allowedHosts),
    options,
    (chunk, claimedBytes) => {
      // Sizes claimed by Discord or the CDN only size the first allocation; the limit is checked on real bytes.
      buffer ??= new GrowableBuffer(initialCapacity(claimedBytes, options.maxBytes), options.maxBytes);
      buffer.append(chunk);
    },
  );
  return { bytes: buffer?.contents() ?? new Uint8Array(0), sha256 };
}

/**
 * Streams an attachment into a file (never the whole body in memory: a file to convert may be up to
 * MAX_INPUT_BYTES), stopping as soon as the body passes `maxBytes` whatever Content-Length or
 * Discord claimed. The caller owns `path` and removes it on every path, failures included.
 */
export async function downloadToFile(
  rawUrl: string,
  path: string,
  options: DownloadOptions,
): Promise<DownloadedFile> {
  const url = checkAttachmentUrl(rawUrl, options.allowedHosts);
  const file = await open(path, 'wx', 0o600);
  // Network chunks are written a batch at a time (one writev of up to 1 MiB), not one write each:
  // every awaited write holds up the next read, and a 19 MB file arrives in hundreds of chunks.
  let batch: Buffer[] = [];
  let batchBytes = 0;
  const flush = async (): Promise<void> => {
    const chunks = batch;
    const bytes = batchBytes;
    batch = [];
    batchBytes = 0;
    if (bytes === 0) return;
    const { bytesWritten } = await file.writev(chunks);
    if (bytesWritten !== bytes) throw new Error(`wrote ${bytesWritten} of ${bytes} bytes to ${path}`);
  };
  try {
    const { received, sha256 } = await streamBody(url, options, async (chunk) => {
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= WRITE_BATCH_BYTES) await flush();
    });
    await flush().catch((error: unknown) => {
      throw new DownloadFailedError(error);
    });
    return { path, size: received, sha256 };
  } finally {
    await file.close();
  }
}

const WRITE_BATCH_BYTES = 1024 * 1024;

/** The one download path for a URL checkAttachmentUrl() passed: no redirects, size cap, timeout, hashing, errors as refusals. */
async function streamBody(
  url: URL,
  options: DownloadOptions,
  sink: (chunk: Buffer, claimedBytes: number | undefined) => unknown,
): Promise<{ received: number; sha256: string }> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let received = 0;
  try {
    const response = await request(url, {
      method: 'GET',
      signal,
      dispatcher: options.dispatcher,
      headers: { accept: 'audio/*, video/*, */*' },
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new DownloadHttpError(response.statusCode);
    }
    const claimed = options.expectedBytes ?? Number(response.headers['content-length']);
    // Hashing as chunks arrive overlaps the network wait instead of adding a pass over the file.
    const hash = createHash('sha256');
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      if (received + chunk.length > options.maxBytes) {
        response.body.destroy();
        throw new DownloadTooLargeError(received + chunk.length, options.maxBytes);
      }
      await sink(chunk, claimed);
      hash.update(chunk);
      received += chunk.length;
      options.onProgress?.(received);
    }
    return { received, sha256: hash.digest('hex') };
  } catch (error) {
    if (error instanceof DownloadHttpError || error instanceof DownloadTooLargeError) throw error;
    if (timeout.aborted) throw new DownloadTimeoutError(options.timeoutMs, received);
    if (options.signal?.aborted) throw options.signal.reason;
    throw new DownloadFailedError(error);
  }
}

function initialCapacity(expectedBytes: number | undefined, maxBytes: number): number {
  if (expectedBytes === undefined || !Number.isFinite(expectedBytes) || expectedBytes <= 0) return 64 * 1024;
  return Math.min(expectedBytes, maxBytes);
}

/**
 * Frees a downloaded file's memory now rather than at V8's next full GC. A busy bot otherwise holds
 * several finished 20 MB downloads as garbage (seen as peak RSS in `npm run bench`). The bytes must
 * not be used afterwards: every view of them becomes empty.
 */
export function releaseDownload(bytes: Uint8Array): void {
  if (bytes.buffer instanceof ArrayBuffer && !bytes.buffer.detached) bytes.buffer.transfer(0);
}

/**
 * Collects chunks into one allocation sized from the declared length, so a download holds one copy
 * of the file rather than a list of chunks plus their concatenation.
 */
class GrowableBuffer {
  // allocUnsafeSlow: never a slice of Node's shared pool, so releaseDownload() can free it alone.
  #bytes: Buffer;
  #length = 0;
  readonly #maxCapacity: number;

  constructor(capacity: number, maxCapacity: number) {
    this.#bytes = Buffer.allocUnsafeSlow(capacity);
    this.#maxCapacity = maxCapacity;
  }

  append(chunk: Uint8Array): void {
    const needed = this.#length + chunk.length;
    if (needed > this.#bytes.length) {
      const grown = Buffer.allocUnsafeSlow(
        Math.min(Math.max(needed, this.#bytes.length * 2), this.#maxCapacity),
      );
      this.#bytes.copy(grown, 0, 0, this.#length);
      this.#bytes = grown;
    }
    this.#bytes.set(chunk, this.#length);
    this.#length = needed;
  }

  contents(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }
}

function hostMatches(host: string, allowed: string): boolean {
  return allowed.startsWith('.') ? host.endsWith(allowed) && host.length > allowed.length : host === allowed;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}
