/**
 * The attachment CDN: bytes that tests register, that users "posted", or that the bot uploaded in a reply,
 * served under signed-looking /attachments/… URLs, with the failures a real download can meet.
 */
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AttachmentServeOptions } from './types.ts';

interface CdnEntry {
  bytes: Uint8Array;
  contentType: string;
  options: AttachmentServeOptions;
}

export class Cdn {
  readonly #origin: string;
  readonly #entries = new Map<string, CdnEntry>();
  readonly #pendingResponses = new Set<ServerResponse>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(origin: string) {
    this.#origin = origin;
  }

  /** Stores the file and returns its URL, query string included. */
  publish(
    channelId: string,
    attachmentId: string,
    fileName: string,
    bytes: Uint8Array,
    contentType: string,
    options: AttachmentServeOptions = {},
  ): string {
    const url = new URL(
      `/attachments/${channelId}/${attachmentId}/${encodeURIComponent(fileName)}`,
      this.#origin,
    );
    this.#entries.set(url.pathname, { bytes, contentType, options });
    // Real CDN links are signed and expire; bots must keep the query string intact.
    const issued = Math.floor(Date.now() / 1000);
    url.search = `ex=${(issued + 86_400).toString(16)}&is=${issued.toString(16)}&hm=${randomBytes(32).toString('hex')}&`;
    return url.href;
  }

  /** The bytes stored under this URL (query ignored), e.g. a file the bot attached to a reply. */
  bytes(url: string): Uint8Array | undefined {
    return this.#entries.get(new URL(url, this.#origin).pathname)?.bytes;
  }

  /** Answers for `pathname` as its options say; false when nothing is stored there. */
  serve(pathname: string, response: ServerResponse): boolean {
    const entry = this.#entries.get(pathname);
    if (entry === undefined) return false;
    const { options } = entry;
    if (options.hang === true) {
      this.#trackUntilClosed(response);
      return true;
    }
    if (options.delayMs === undefined) {
      respond(response, entry);
      return true;
    }
    this.#trackUntilClosed(response);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      respond(response, entry);
    }, options.delayMs);
    this.#timers.add(timer);
    return true;
  }

  /** Ends delayed and hanging downloads. */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const response of this.#pendingResponses) response.destroy();
  }

  #trackUntilClosed(response: ServerResponse): void {
    this.#pendingResponses.add(response);
    response.on('close', () => this.#pendingResponses.delete(response));
  }
}

function respond(response: ServerResponse, entry: CdnEntry): void {
  const { options } = entry;
  if (options.status !== undefined && options.status !== 200) {
    const text = `${options.status} ${STATUS_CODES[options.status] ?? ''}`.trim();
    response.writeHead(options.status, {
      'content-type': 'text/plain',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
    return;
  }
  const { contentLength = entry.bytes.length } = options;
  response.statusCode = 200;
  response.setHeader('content-type', entry.contentType);
  if (contentLength === null) {
    // Writing before end() makes Node send the body chunked instead of computing a length.
    response.write(entry.bytes);
    response.end();
    return;
  }
  response.setHeader('content-length', contentLength);
  // Once the framing lies the connection cannot be reused, and closing it is what ends a short body.
  if (contentLength !== entry.bytes.length) response.setHeader('connection', 'close');
  response.end(entry.bytes);
}
