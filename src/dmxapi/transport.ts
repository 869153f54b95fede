import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { DmxapiConnectionError, DmxapiError, DmxapiTimeoutError } from './errors.ts';
import { HexAudioExtractor } from './hex-audio.ts';

/** A JSON request body, produced a chunk at a time; `chunks()` again gives a fresh copy (a retry). */
export interface RequestBody {
  /** Exact byte length, sent as Content-Length. */
  readonly length: number;
  chunks(): Iterable<Buffer> | AsyncIterable<Buffer>;
}

export interface TransportOptions {
  readonly endpoint: URL;
  readonly apiKey: string;
  readonly dispatcher: Dispatcher;
  /** Limit on one whole request: connecting, sending the body and reading the answer. */
  readonly timeoutMs: number;
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The answer's text; with `hexAudio`, the JSON with that string's content left out. */
  readonly text: string;
  /** The decoded bytes of the hex audio string, when asked for and present. */
  readonly audio: Buffer | undefined;
  /** Why the hex audio or the text around it cannot be trusted, if it cannot. */
  readonly problem?: string | undefined;
}

export interface SendOptions {
  readonly signal?: AbortSignal | undefined;
  /** Decode `data.audio` (hex) while it streams in, up to `maxBytes` of audio. */
  readonly hexAudio?: { readonly maxBytes: number } | undefined;
}

/** Text beyond this is not read: no documented answer comes near it, so the rest is cut off. */
export const MAX_ANSWER_TEXT_BYTES = 1024 * 1024;

/**
 * One POST to DMXAPI, and its answer read within limits. Failures to get an answer become
 * DmxapiTimeoutError or DmxapiConnectionError, the latter saying whether the whole request had
 * been written, which is what the retry rule needs to know.
 */
export async function sendRequest(
  options: TransportOptions,
  body: RequestBody,
  { signal, hexAudio }: SendOptions = {},
): Promise<RawAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const stream = Readable.from(body.chunks(), { objectMode: false });
  // 'end' fires once the connection has taken every byte: before that the service cannot hold a
  // complete request, so it cannot have acted on it.
  let requestWritten = false;
  stream.once('end', () => (requestWritten = true));

  try {
    const response = await request(options.endpoint, {
      method: 'POST',
      dispatcher: options.dispatcher,
      signal: combined,
      headers: {
        'content-type': 'application/json',
        authorization: options.apiKey,
        'content-length': String(body.length),
      },
      body: stream,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const { statusCode: status, headers } = response;
    if (hexAudio && status >= 200 && status < 300) {
      const extractor = new HexAudioExtractor(hexAudio.maxBytes, MAX_ANSWER_TEXT_BYTES);
      try {
        for await (const chunk of response.body as AsyncIterable<Buffer>) extractor.write(chunk);
      } catch (error) {
        response.body.destroy();
        throw error;
      }
      const { text, audio, problem } = extractor.end();
      return { status, headers, text, audio, problem };
    }
    return { status, headers, text: await readLimitedText(response.body), audio: undefined };
  } catch (error) {
    if (error instanceof DmxapiError) throw error;
    if (signal?.aborted) throw signal.reason;
    if (timeout.aborted || isUndiciTimeout(error)) throw new DmxapiTimeoutError(options.timeoutMs);
    throw new DmxapiConnectionError(connectionFailure(error), error, requestWritten);
  } finally {
    stream.destroy();
  }
}

async function readLimitedText(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (length + chunk.length > MAX_ANSWER_TEXT_BYTES) {
      chunks.push(chunk.subarray(0, MAX_ANSWER_TEXT_BYTES - length));
      body.destroy();
      break;
    }
    length += chunk.length;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function connectionFailure(error: unknown): DmxapiConnectionError['reason'] {
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'reset';
  return 'other';
}

function isUndiciTimeout(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

function errorCode(error: unknown): string | undefined {
  // undici wraps the socket error; the OS code may sit on the error or its cause.
  for (let current = error, depth = 0; isRecord(current) && depth < 4; current = current.cause, depth++) {
    if (typeof current.code === 'string' && current.code !== 'UND_ERR_CONNECT') return current.code;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A small JSON document already written out, as a request body. */
export function textBody(json: string): RequestBody {
  const bytes = Buffer.from(json, 'utf8');
  return { length: bytes.length, chunks: () => [bytes] };
}
