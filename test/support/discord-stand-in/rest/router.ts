/** How the REST API answers: the route table's shape, authorisation, and Discord's error bodies. */
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { RESTError } from 'discord-api-types/v10';
import type { RecordedRequest } from '../types.ts';
import type { FormErrors } from '../validation/form-errors.ts';

export interface ApiReply {
  status: number;
  body?: unknown;
}

export interface ApiContext {
  request: RecordedRequest;
  params: Record<string, string>;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Interaction callbacks and webhook calls are authorised by the token in the path, not by a header. */
  botAuth: boolean;
  handle: (context: ApiContext) => ApiReply;
}

/**
 * Picks the route for `path` (after /api/v10) and answers 404, 405, 401 or 400 (unparseable JSON) as
 * Discord does before any handler runs. `token`, when set, is the only bot token accepted.
 */
export function routeApi(
  routes: readonly Route[],
  request: RecordedRequest,
  path: string,
  token: string | undefined,
): ApiReply {
  const matching = routes.filter((route) => route.pattern.test(path));
  const route = matching.find((candidate) => candidate.method === request.method);
  if (route === undefined) {
    return matching.length > 0
      ? { status: 405, body: { message: '405: Method Not Allowed', code: 0 } }
      : { status: 404, body: { message: '404: Not Found', code: 0 } };
  }
  if (route.botAuth && !authorised(request.headers.authorization, token)) {
    return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
  }
  if (typeof request.body === 'string') {
    return apiError(
      400,
      RESTJSONErrorCodes.RequestBodyContainsInvalidJSON,
      'The request body contains invalid JSON.',
    );
  }
  const params = { ...route.pattern.exec(path)?.groups };
  return route.handle({ request, params });
}

function authorised(header: string | undefined, token: string | undefined): boolean {
  if (header === undefined || !header.startsWith('Bot ')) return false;
  return token === undefined || header === `Bot ${token}`;
}

export function ok(body: unknown): ApiReply {
  return { status: 200, body };
}

export function apiError(status: number, code: RESTJSONErrorCodes, message: string): ApiReply {
  const body: RESTError = { code, message };
  return { status, body };
}

export function emptyMessage(): ApiReply {
  return apiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
}

export function invalidFormBody(errors: FormErrors): ApiReply {
  const body: RESTError = {
    message: 'Invalid Form Body',
    code: RESTJSONErrorCodes.InvalidFormBodyOrContentType,
    errors: errors.toJSON() as RESTError['errors'],
  };
  return { status: 400, body };
}
