import { minimaxStatusReason, type MinimaxStatusReason } from './minimax-status.ts';

/** The DMXAPI operations; errors carry theirs so a reply can say what failed. */
export type DmxapiOperation = 'upload' | 'clone' | 'speech';

/** Every way a DMXAPI request can fail. Wording for users lives in the i18n catalogues. */
export abstract class DmxapiError extends Error {
  abstract readonly code: string;
  /** How many requests were made before giving up (retries included). */
  attempts = 1;
  /** Set by the client to the operation that failed. */
  operation: DmxapiOperation = 'upload';
  /**
   * Whether the service may have done (and billed) the work: true unless the failure proves it did
   * not. Decides whether a reservation is released and what the reply advises.
   */
  abstract readonly mayHaveBeenProcessed: boolean;
}

/** The gateway (new-api) refused the request: an HTTP error status, usually with `{"error": {...}}`. */
export class DmxapiHttpError extends DmxapiError {
  readonly code = 'dmxapi_http';
  readonly status: number;
  readonly serviceMessage: string | undefined;
  readonly serviceCode: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(init: {
    status: number;
    serviceMessage?: string | undefined;
    serviceCode?: string | undefined;
    requestId?: string | undefined;
    retryAfterMs?: number | undefined;
  }) {
    super(`DMXAPI answered HTTP ${init.status}${init.serviceMessage ? `: ${init.serviceMessage}` : ''}`);
    this.status = init.status;
    this.serviceMessage = init.serviceMessage;
    this.serviceCode = init.serviceCode;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  get mayHaveBeenProcessed(): boolean {
    // 4xx and 503 (model unavailable) are refusals at the gateway; 500, 502, 504 and 524 can come
    // after MiniMax did the work.
    return this.status >= 500 && this.status !== 503;
  }
}

/** MiniMax answered HTTP 200 with `base_resp.status_code != 0`: it refused, nothing was made. */
export class DmxapiServiceError extends DmxapiError {
  readonly code = 'dmxapi_service';
  readonly mayHaveBeenProcessed = false;
  readonly statusCode: number;
  /** The code's meaning, for the reply map; `other` for a code the project does not know. */
  readonly reason: MinimaxStatusReason;
  readonly statusMessage: string | undefined;
  readonly requestId: string | undefined;
  constructor(statusCode: number, statusMessage: string | undefined, requestId: string | undefined) {
    super(`MiniMax status ${statusCode}${statusMessage ? `: ${statusMessage}` : ''}`);
    this.statusCode = statusCode;
    this.reason = minimaxStatusReason(statusCode);
    this.statusMessage = statusMessage;
    this.requestId = requestId;
  }
}

/** The answer could not be read as the documented JSON, or a field in it failed its check. */
export class DmxapiMalformedResponseError extends DmxapiError {
  readonly code = 'dmxapi_malformed_response';
  readonly mayHaveBeenProcessed = true;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly detail: string;
  constructor(status: number, detail: string, requestId: string | undefined) {
    super(`DMXAPI answered HTTP ${status} with an unreadable body: ${detail}`);
    this.status = status;
    this.detail = detail;
    this.requestId = requestId;
  }
}

/** The speech answer held more audio than may be kept or attached. */
export class DmxapiAudioTooLargeError extends DmxapiError {
  readonly code = 'dmxapi_audio_too_large';
  readonly mayHaveBeenProcessed = true;
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super(`the speech audio passed ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

export class DmxapiTimeoutError extends DmxapiError {
  readonly code = 'dmxapi_timeout';
  readonly mayHaveBeenProcessed = true;
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`DMXAPI did not answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The connection failed. `refused` and `dns` happen before a byte is sent; a `reset` may come
 * before or after the whole request was written, which `requestWritten` tells apart.
 */
export class DmxapiConnectionError extends DmxapiError {
  readonly code = 'dmxapi_connection';
  readonly reason: 'refused' | 'reset' | 'dns' | 'other';
  /** Whether the whole request body had been handed to the connection when it failed. */
  readonly requestWritten: boolean;
  constructor(reason: DmxapiConnectionError['reason'], cause: unknown, requestWritten = true) {
    super(
      `connection to DMXAPI failed (${reason}${requestWritten ? '' : ', before the request was written'})`,
      {
        cause,
      },
    );
    this.reason = reason;
    this.requestWritten = reason === 'refused' || reason === 'dns' ? false : requestWritten;
  }

  get mayHaveBeenProcessed(): boolean {
    return this.requestWritten;
  }
}
