import type { IncomingHttpHeaders } from 'node:http';
import { redactCredentials, redactSecrets } from '../redact.ts';
import { DmxapiHttpError, DmxapiMalformedResponseError, DmxapiServiceError } from './errors.ts';
import type { RawAnswer } from './transport.ts';

export type JsonObject = Record<string, unknown>;

/** JSON.parse's reviver, with the number's source text (Node 21+) for ids that must keep every digit. */
export type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

export interface AnswerOptions {
  readonly reviver?: Reviver | undefined;
  /**
   * Reads a 2xx body that is not valid JSON as well as it can, for an operation whose documented
   * answer is known to be malformed; undefined when even that fails.
   */
  readonly lenient?: ((text: string) => JsonObject | undefined) | undefined;
}

export interface CheckedAnswer {
  /** The whole answer, `base_resp.status_code` 0. */
  readonly json: JsonObject;
  readonly requestId: string | undefined;
  readonly status: number;
}

const REQUEST_ID_IN_MESSAGE = /\s*\(request id: ([^)]+)\)\s*$/i;

/**
 * Checks both error layers (docs/dmxapi.md, "Errors"): the gateway's HTTP status and `{"error": …}`
 * body, then MiniMax's `base_resp`. Returns the answer only when both say success.
 *
 * The service's own words are kept for the user and the logs, but a relay may echo request headers
 * into them: the `secrets` (the key) and anything shaped like a key or token are removed first.
 */
export function checkAnswer(
  raw: RawAnswer,
  options: AnswerOptions = {},
  secrets: readonly string[] = [],
): CheckedAnswer {
  const { status, headers, text } = raw;
  const scrub = <T extends string | undefined>(said: T): T =>
    (said === undefined ? said : redactSecrets(said, secrets)) as T;
  // An id is random by nature: only what is a credential by shape or by value is removed from it.
  const scrubId = (id: string | undefined) => (id === undefined ? undefined : redactCredentials(id, secrets));
  const headerRequestId = scrubId(
    firstHeader(headers['x-oneapi-request-id']) ?? firstHeader(headers['x-request-id']),
  );
  const success = status >= 200 && status < 300;
  let json: unknown;
  try {
    json = JSON.parse(text, options.reviver);
  } catch {
    json = success ? options.lenient?.(text) : undefined;
    if (json === undefined) {
      if (!success)
        throw new DmxapiHttpError({ status, requestId: headerRequestId, retryAfterMs: retryAfter(headers) });
      throw new DmxapiMalformedResponseError(status, describeBody(text), headerRequestId);
    }
  }

  const gatewayError = isRecord(json) && isRecord(json.error) ? json.error : undefined;
  if (!success || gatewayError) {
    const rawMessage = typeof gatewayError?.message === 'string' ? gatewayError.message : undefined;
    const code = gatewayError?.code;
    throw new DmxapiHttpError({
      status,
      serviceMessage: scrub(rawMessage?.replace(REQUEST_ID_IN_MESSAGE, '') || undefined),
      serviceCode: scrub(typeof code === 'string' || typeof code === 'number' ? String(code) : undefined),
      requestId: scrubId(rawMessage?.match(REQUEST_ID_IN_MESSAGE)?.[1]) ?? headerRequestId,
      retryAfterMs: retryAfter(headers),
    });
  }

  const requestId =
    headerRequestId ??
    scrubId(isRecord(json) && typeof json.trace_id === 'string' ? json.trace_id : undefined);
  if (!isRecord(json) || !isRecord(json.base_resp) || typeof json.base_resp.status_code !== 'number') {
    throw new DmxapiMalformedResponseError(status, 'no base_resp.status_code', requestId);
  }
  const { status_code: statusCode, status_msg: statusMessage } = json.base_resp;
  if (statusCode !== 0) {
    throw new DmxapiServiceError(
      statusCode,
      scrub(typeof statusMessage === 'string' ? statusMessage : undefined),
      requestId,
    );
  }
  return { json, requestId, status };
}

function retryAfter(headers: IncomingHttpHeaders): number | undefined {
  const value = firstHeader(headers['retry-after'])?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describeBody(text: string): string {
  if (text.length === 0) return 'empty body';
  return `${text.length} characters that are not JSON`;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite, non-negative whole number, or undefined. */
export function countOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
