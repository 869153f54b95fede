/** The handle a test gets for an interaction it dispatched: the bot's callback, edits and follow-ups. */
import { API_PREFIX, DEFAULT_TIMEOUT_MS } from './fixtures.ts';
import type { Recorder } from './recorder.ts';
import type { DispatchedInteraction, EditBody, RecordedRequest } from './types.ts';
import type { InteractionState, World } from './world.ts';

export function dispatchedHandle(
  world: World,
  recorder: Recorder,
  state: InteractionState,
): DispatchedInteraction {
  const callbackPath = `${API_PREFIX}/interactions/${state.id}/${state.token}/callback`;
  const webhookPath = `${API_PREFIX}/webhooks/${world.applicationId}/${state.token}`;
  const originalPath = `${webhookPath}/messages/@original`;
  const isEdit = (request: RecordedRequest): boolean =>
    request.method === 'PATCH' && request.path === originalPath;
  return {
    id: state.id,
    token: state.token,
    dispatchedAt: state.dispatchedAt,
    callback: (timeoutMs = DEFAULT_TIMEOUT_MS) =>
      recorder.waitUntil(
        () => recorder.requests.find((request) => request.method === 'POST' && request.path === callbackPath),
        timeoutMs,
        () => `interaction ${state.id} (${state.label}) got no callback within ${timeoutMs}ms`,
      ),
    requests: () =>
      recorder.requests.filter(
        (request) =>
          request.path === callbackPath ||
          request.path === webhookPath ||
          request.path.startsWith(`${webhookPath}/`),
      ),
    waitForEdit: (predicate, timeoutMs = DEFAULT_TIMEOUT_MS) =>
      recorder.waitUntil(
        () => recorder.requests.find((request) => isEdit(request) && predicate(request.body as EditBody)),
        timeoutMs,
        () =>
          `interaction ${state.id} (${state.label}) got no matching edit of @original within ${timeoutMs}ms`,
      ),
    lastEdit: () => recorder.requests.findLast(isEdit),
    originalMessage: () =>
      state.originalId === undefined ? undefined : world.messages.get(state.originalId),
    followUpMessages: () => state.followUpIds.flatMap((id) => world.messages.get(id) ?? []),
    modal: () => state.modal,
  };
}
