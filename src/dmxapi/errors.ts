/** Every way an upload to DMXAPI can fail. Wording for users lives in the i18n catalogues. */
export abstract class DmxapiError extends Error {
  abstract readonly code: string;
  /** How many requests were made before giving up (retries included). */
  attempts = 1;
  /** Whether sending the same upload again cannot create a duplicate file. */
  abstract readonly retryable: boolean;
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

  get retryable(): boolean {
    // Refused before MiniMax stored anything, or a gateway hop failed: sending again is safe or harmless.
    return [429, 502, 503, 504].includes(this.status);
  }
}

/** MiniMax answered HTTP 200 with `base_resp.status_code != 0`. */
export class DmxapiServiceError extends DmxapiError {
  readonly code = 'dmxapi_service';
  readonly retryable = false;
  readonly statusCode: number;
  readonly statusMessage: string | undefined;
  readonly requestId: string | undefined;
  constructor(statusCode: number, statusMessage: string | undefined, requestId: string | undefined) {
    super(`MiniMax status ${statusCode}${statusMessage ? `: ${statusMessage}` : ''}`);
    this.statusCode = statusCode;
    this.statusMessage = statusMessage;
    this.requestId = requestId;
  }
}

/** The answer could not be read as the documented JSON. */
export class DmxapiMalformedResponseError extends DmxapiError {
  readonly code = 'dmxapi_malformed_response';
  readonly retryable = false;
  readonly status: number;
  readonly requestId: string | undefined;
  constructor(status: number, detail: string, requestId: string | undefined) {
    super(`DMXAPI answered HTTP ${status} with an unreadable body: ${detail}`);
    this.status = status;
    this.requestId = requestId;
  }
}

export class DmxapiTimeoutError extends DmxapiError {
  readonly code = 'dmxapi_timeout';
  readonly retryable = false;
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`DMXAPI did not answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The connection failed. `refused` happens before a byte is sent, so only it is retried;
 * after a `reset` the upload may or may not have been stored.
 */
export class DmxapiConnectionError extends DmxapiError {
  readonly code = 'dmxapi_connection';
  readonly reason: 'refused' | 'reset' | 'dns' | 'other';
  constructor(reason: DmxapiConnectionError['reason'], cause: unknown) {
    super(`connection to DMXAPI failed (${reason})`, { cause });
    this.reason = reason;
  }

  get retryable(): boolean {
    return this.reason === 'refused';
  }
}
