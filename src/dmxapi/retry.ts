import { DmxapiConnectionError, DmxapiHttpError, type DmxapiError } from './errors.ts';

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

/**
 * The one retry rule for every operation: try again only after a failure that proves nothing was
 * processed, so a retry can never pay twice or create a second file or voice.
 *
 * - The connection was refused, or reset before the whole request was written.
 * - HTTP 429 (with a Retry-After within `maxDelayMs`, or none), and HTTP 503 with such a Retry-After:
 *   the gateway turned the request away. Only when `retryAnswers`: an operation that must never be
 *   sent twice (a clone) gives up once its request was sent, whatever the answer.
 *
 * Nothing else: no other 5xx, no timeout, no reset after the request was written, no MiniMax
 * `base_resp` error. Returns the wait in milliseconds, or undefined when the failure is final.
 */
export function retryDelay(
  error: DmxapiError,
  attempt: number,
  policy: RetryPolicy,
  retryAnswers: boolean,
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const backoff = () => {
    // Full jitter keeps many clients sharing one key from retrying in lockstep.
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(random() * ceiling);
  };
  if (error instanceof DmxapiConnectionError) {
    const nothingSent = error.reason === 'refused' || (error.reason === 'reset' && !error.requestWritten);
    return nothingSent ? backoff() : undefined;
  }
  if (!retryAnswers || !(error instanceof DmxapiHttpError)) return undefined;
  const { status, retryAfterMs } = error;
  const boundedRetryAfter =
    retryAfterMs !== undefined && retryAfterMs <= policy.maxDelayMs ? retryAfterMs : undefined;
  if (status === 429) return retryAfterMs === undefined ? backoff() : boundedRetryAfter;
  if (status === 503) return boundedRetryAfter;
  return undefined;
}
