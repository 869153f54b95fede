import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import type { Purpose } from '../domain/purposes.ts';
import {
  DmxapiConnectionError,
  DmxapiError,
  DmxapiHttpError,
  DmxapiMalformedResponseError,
  DmxapiServiceError,
  DmxapiTimeoutError,
} from './errors.ts';
import { redactCredentials, redactSecrets } from '../redact.ts';
import { uploadRequestBody } from './request-body.ts';

export interface RetryPolicy {
  /** Requests in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  /** The longest wait between attempts; a Retry-After beyond it is not waited for. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
});

export interface DmxapiClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly model: string;
  /** Limit on one whole request: connecting, sending the body and reading the answer. */
  readonly timeoutMs: number;
  readonly retry?: RetryPolicy | undefined;
  /** Waits between attempts; replaceable so tests can record delays instead of sleeping. */
  readonly delay?: ((ms: number, signal: AbortSignal | undefined) => Promise<unknown>) | undefined;
  readonly dispatcher?: Dispatcher | undefined;
}

export interface TokenUsage {
  readonly totalTokens: number | undefined;
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
}

export interface UploadedFile {
  /** The int64 id as its exact decimal digits: a JSON number above 2^53 would be rounded. */
  readonly fileId: string;
  readonly bytes: number | undefined;
  /** Unix seconds. */
  readonly createdAt: number | undefined;
  readonly filename: string | undefined;
  readonly purpose: string | undefined;
  readonly usage: TokenUsage | undefined;
  readonly requestId: string | undefined;
  readonly attempts: number;
}

export interface UploadFileInput {
  readonly audio: Uint8Array;
  readonly purpose: Purpose;
  readonly signal?: AbortSignal | undefined;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;
const REQUEST_ID_IN_MESSAGE = /\s*\(request id: ([^)]+)\)\s*$/i;

/** The upload half of DMXAPI's MiniMax voice-clone API (`POST /v1/responses`). */
export class DmxapiClient {
  readonly #endpoint: URL;
  readonly #options: DmxapiClientOptions;
  readonly #retry: RetryPolicy;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;

  constructor(options: DmxapiClientOptions) {
    this.#endpoint = new URL(
      'v1/responses',
      options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
    );
    this.#options = options;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new Agent({ connect: { timeout: 10_000 } });
  }

  async uploadFile(input: UploadFileInput): Promise<UploadedFile> {
    const delay = this.#options.delay ?? ((ms, signal) => sleep(ms, undefined, { signal }));
    for (let attempt = 1; ; attempt++) {
      try {
        const file = await this.#send(input);
        return { ...file, attempts: attempt };
      } catch (error) {
        if (!(error instanceof DmxapiError)) throw error;
        error.attempts = attempt;
        const wait = this.#retryDelay(error, attempt);
        if (wait === undefined) throw error;
        try {
          await delay(wait, input.signal);
        } catch (delayError) {
          throw input.signal?.aborted ? input.signal.reason : delayError;
        }
      }
    }
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  /** Milliseconds to wait before trying again, or undefined when this failure is final. */
  #retryDelay(error: DmxapiError, attempt: number): number | undefined {
    if (!error.retryable || attempt >= this.#retry.maxAttempts) return undefined;
    const retryAfterMs = error instanceof DmxapiHttpError ? error.retryAfterMs : undefined;
    if (retryAfterMs !== undefined) {
      return retryAfterMs <= this.#retry.maxDelayMs ? retryAfterMs : undefined;
    }
    // Full jitter keeps many bots sharing one key from retrying in lockstep.
    const ceiling = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(Math.random() * ceiling);
  }

  async #send({ audio, purpose, signal }: UploadFileInput): Promise<Omit<UploadedFile, 'attempts'>> {
    const body = uploadRequestBody(this.#options.model, purpose, audio);
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;

    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(this.#endpoint, {
        method: 'POST',
        dispatcher: this.#dispatcher,
        signal: combined,
        headers: {
          'content-type': 'application/json',
          authorization: this.#options.apiKey,
          'content-length': String(body.length),
        },
        body: Readable.from(body.chunks(), { objectMode: false }),
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
      });
      text = await readLimitedText(response.body, MAX_RESPONSE_BYTES);
    } catch (error) {
      if (error instanceof DmxapiError) throw error;
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted || isUndiciTimeout(error)) throw new DmxapiTimeoutError(this.#options.timeoutMs);
      throw new DmxapiConnectionError(connectionFailure(error), error);
    }

    return parseUploadAnswer(response.statusCode, response.headers, text, [this.#options.apiKey]);
  }
}

/**
 * Reads the answer as the reference documents it, keeping `file_id` as exact digits. The service's
 * own words are kept for the user and the logs, but a relay may echo request headers into them: the
 * `secrets` (the key) and anything shaped like a key or token are removed before they go anywhere.
 */
export function parseUploadAnswer(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
  secrets: readonly string[] = [],
): Omit<UploadedFile, 'attempts'> {
  const scrub = <T extends string | undefined>(said: T): T =>
    (said === undefined ? said : redactSecrets(said, secrets)) as T;
  const headerRequestId = firstHeader(headers['x-oneapi-request-id']) ?? firstHeader(headers['x-request-id']);
  let json: unknown;
  try {
    json = JSON.parse(text, keepFileIdDigits);
  } catch {
    if (status < 200 || status >= 300) {
      throw new DmxapiHttpError({
        status,
        requestId: headerRequestId,
        retryAfterMs: parseRetryAfter(headers['retry-after']),
      });
    }
    throw new DmxapiMalformedResponseError(status, describeBody(text), headerRequestId);
  }

  const gatewayError = isRecord(json) && isRecord(json.error) ? json.error : undefined;
  if (status < 200 || status >= 300 || gatewayError) {
    const rawMessage = typeof gatewayError?.message === 'string' ? gatewayError.message : undefined;
    const requestId = rawMessage?.match(REQUEST_ID_IN_MESSAGE)?.[1] ?? headerRequestId;
    throw new DmxapiHttpError({
      status,
      serviceMessage: scrub(rawMessage?.replace(REQUEST_ID_IN_MESSAGE, '') || undefined),
      serviceCode: scrub(
        typeof gatewayError?.code === 'string' || typeof gatewayError?.code === 'number'
          ? String(gatewayError.code)
          : undefined,
      ),
      // An id is random by nature: only what is a credential by shape or by value is removed from it.
      requestId: requestId === undefined ? undefined : redactCredentials(requestId, secrets),
      retryAfterMs: parseRetryAfter(headers['retry-after']),
    });
  }

  if (!isRecord(json) || !isRecord(json.base_resp) || typeof json.base_resp.status_code !== 'number') {
    throw new DmxapiMalformedResponseError(status, 'no base_resp.status_code', headerRequestId);
  }
  const { status_code: statusCode, status_msg: statusMessage } = json.base_resp;
  if (statusCode !== 0) {
    throw new DmxapiServiceError(
      statusCode,
      scrub(typeof statusMessage === 'string' ? statusMessage : undefined),
      headerRequestId,
    );
  }

  const file = isRecord(json.file) ? json.file : undefined;
  const fileId = file?.file_id;
  if (typeof fileId !== 'string' || !/^\d+$/.test(fileId)) {
    throw new DmxapiMalformedResponseError(status, 'success without a numeric file.file_id', headerRequestId);
  }
  const usage = isRecord(json.usage) ? json.usage : undefined;
  return {
    fileId,
    bytes: numberOrUndefined(file?.bytes),
    createdAt: numberOrUndefined(file?.created_at),
    filename: typeof file?.filename === 'string' ? file.filename : undefined,
    purpose: typeof file?.purpose === 'string' ? file.purpose : undefined,
    usage: usage && {
      totalTokens: numberOrUndefined(usage.total_tokens),
      inputTokens: numberOrUndefined(usage.input_tokens),
      outputTokens: numberOrUndefined(usage.output_tokens),
    },
    requestId: headerRequestId,
  };
}

/** JSON.parse reviver: the third argument (Node 21+) exposes a number's source text, digits intact. */
function keepFileIdDigits(key: string, value: unknown, context?: { source?: string }): unknown {
  if (key === 'file_id' && typeof value === 'number' && context?.source !== undefined) return context.source;
  return value;
}

async function readLimitedText(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) {
      body.destroy();
      return Buffer.concat(chunks).toString('utf8');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = firstHeader(header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
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

function describeBody(text: string): string {
  if (text.length === 0) return 'empty body';
  return `${text.length} characters that are not JSON`;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
