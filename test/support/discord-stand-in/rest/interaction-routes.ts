/**
 * Interaction callbacks and the webhook calls an interaction token allows: follow-ups, and fetching,
 * editing or deleting @original and follow-up messages. Answers and refusals follow Discord's rules
 * (3 s deadline, one acknowledgement, response types per interaction kind, no webhook for autocomplete).
 */
import { InteractionResponseType, MessageFlags, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type {
  APIApplicationCommandOptionChoice,
  APIMessage,
  APIModalInteractionResponseCallbackData,
  RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord-api-types/v10';
import type { MessageWriter } from '../messages.ts';
import { asRecord, enumValue, hasFlag } from '../narrow.ts';
import { FormErrors } from '../validation/form-errors.ts';
import { isEmptyMessage, readChoices, readMessageBody } from '../validation/message-body.ts';
import { readModal } from '../validation/modal.ts';
import { numberComponents } from '../components.ts';
import type { InteractionKind, InteractionState, World } from '../world.ts';
import {
  apiError,
  emptyMessage,
  invalidFormBody,
  ok,
  type ApiContext,
  type ApiReply,
  type Route,
} from './router.ts';

/** The callback types Discord accepts for each kind of interaction (PONG aside). */
const RESPONSE_TYPES: Record<InteractionKind, readonly InteractionResponseType[]> = {
  'chat-input': [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  'message-command': [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  component: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  autocomplete: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  // A modal cannot open another; updates need the message of the component that opened the modal.
  'modal-submit': [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

const UPDATE_TYPES: readonly InteractionResponseType[] = [
  InteractionResponseType.DeferredMessageUpdate,
  InteractionResponseType.UpdateMessage,
];

const MESSAGE_PATH = /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)\/messages\/(?<message>@original|\d+)$/;

export function interactionRoutes(
  world: World,
  writer: MessageWriter,
  callbackDeadlineMs: number | undefined,
): Route[] {
  const webhookInteraction = (params: Record<string, string>): InteractionState | undefined => {
    if (params.app !== world.applicationId || params.token === undefined) return undefined;
    const state = world.interactions.get(params.token);
    // Autocomplete interactions get no webhook: their only answer is the choices.
    return state?.kind === 'autocomplete' ? undefined : state;
  };

  const withMessage = (
    params: Record<string, string>,
    use: (message: APIMessage, state: InteractionState) => ApiReply,
  ): ApiReply => {
    const state = webhookInteraction(params);
    if (state === undefined) return apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    const id =
      params.message === '@original'
        ? state.originalId
        : state.followUpIds.find((followUp) => followUp === params.message);
    const message = id === undefined ? undefined : world.messages.get(id);
    if (message === undefined) return apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    return use(message, state);
  };

  /** Once its token expired, an interaction's webhook refuses every call, as Discord's does. */
  const live =
    (handle: (context: ApiContext) => ApiReply) =>
    (context: ApiContext): ApiReply =>
      world.interactions.get(context.params.token ?? '')?.expired === true
        ? apiError(401, RESTJSONErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token')
        : handle(context);

  const callback = ({ request, params }: ApiContext): ApiReply => {
    const state = params.token === undefined ? undefined : world.interactions.get(params.token);
    const deadline = callbackDeadlineMs ?? 3000;
    const late = state === undefined || state.expired || request.at - state.dispatchedAt > deadline;
    if (state === undefined || state.id !== params.id || late) {
      return apiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
    }
    if (state.acknowledged) {
      return apiError(
        400,
        RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
        'Interaction has already been acknowledged.',
      );
    }
    const body = asRecord(request.body);
    const type = enumValue(InteractionResponseType, body?.type);
    const errors = new FormErrors();
    const updatesNothing =
      type !== undefined && UPDATE_TYPES.includes(type) && state.targetMessageId === undefined;
    if (type === undefined || !RESPONSE_TYPES[state.kind].includes(type) || updatesNothing) {
      // E.g. update responses to a command, or anything but choices to an autocomplete interaction.
      errors.add(
        ['type'],
        'INTERACTION_RESPONSE_TYPE_INVALID',
        `Response type ${String(type)} is not valid here.`,
      );
      return invalidFormBody(errors);
    }
    const { files } = request;
    /** The message @original names from now on. */
    let message: APIMessage | undefined;
    let choices: APIApplicationCommandOptionChoice[] | undefined;
    let modal: APIModalInteractionResponseCallbackData | undefined;
    if (type === InteractionResponseType.ChannelMessageWithSource) {
      const data = readMessageBody(body?.data, errors, ['data']);
      if (errors.size > 0) return invalidFormBody(errors);
      message = writer.forInteraction(state, data, files);
      if (isEmptyMessage(message)) return emptyMessage();
    } else if (type === InteractionResponseType.DeferredChannelMessageWithSource) {
      const data = readMessageBody(body?.data ?? {}, errors, ['data']);
      if (errors.size > 0) return invalidFormBody(errors);
      const flags = ((data.flags ?? 0) & MessageFlags.Ephemeral) | MessageFlags.Loading;
      message = writer.forInteraction(state, { flags }, []);
    } else if (
      type === InteractionResponseType.DeferredMessageUpdate ||
      type === InteractionResponseType.UpdateMessage
    ) {
      const target = world.messages.get(state.targetMessageId ?? '');
      if (target === undefined) return apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
      message = target;
      if (type === InteractionResponseType.UpdateMessage) {
        const data = readMessageBody(body?.data ?? {}, errors, ['data']);
        if (errors.size > 0) return invalidFormBody(errors);
        message = writer.applyEdit(target, data, files);
        if (isEmptyMessage(message)) return emptyMessage();
      }
    } else if (type === InteractionResponseType.ApplicationCommandAutocompleteResult) {
      choices = readChoices(body?.data, errors);
      if (errors.size > 0) return invalidFormBody(errors);
    } else if (type === InteractionResponseType.Modal) {
      const data = readModal(body?.data, errors);
      if (errors.size > 0) return invalidFormBody(errors);
      // Numbered like message components, so a submission can echo each component's id.
      const components = numberComponents(data.components) as unknown as typeof data.components;
      modal = { ...data, components };
    }

    state.acknowledged = true;
    state.choices = choices;
    state.modal = modal;
    if (message !== undefined) {
      world.messages.set(message.id, message);
      state.originalId = message.id;
    }
    if (request.query.get('with_response') !== 'true') return { status: 204 };
    // Discord returns the message for a new or updated one, not for a deferred update.
    const resourceMessage = type === InteractionResponseType.DeferredMessageUpdate ? undefined : message;
    const result: RESTPostAPIInteractionCallbackWithResponseResult = {
      interaction: {
        id: state.id,
        type: state.type,
        ...(message === undefined
          ? {}
          : {
              response_message_id: message.id,
              response_message_loading: hasFlag(message, MessageFlags.Loading),
              response_message_ephemeral: hasFlag(message, MessageFlags.Ephemeral),
            }),
      },
      resource: { type, ...(resourceMessage === undefined ? {} : { message: resourceMessage }) },
    };
    return ok(result);
  };

  const followUp = ({ request, params }: ApiContext): ApiReply => {
    const state = webhookInteraction(params);
    if (state === undefined || !state.acknowledged) {
      return apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    }
    const errors = new FormErrors();
    const data = readMessageBody(request.body, errors, []);
    if (errors.size > 0) return invalidFormBody(errors);
    const message = writer.forInteraction(state, data, request.files);
    if (isEmptyMessage(message)) return emptyMessage();
    world.messages.set(message.id, message);
    state.followUpIds.push(message.id);
    return request.query.get('wait') === 'true' ? ok(message) : { status: 204 };
  };

  const edit = ({ request, params }: ApiContext): ApiReply =>
    withMessage(params, (message) => {
      const errors = new FormErrors();
      const body = readMessageBody(request.body, errors, []);
      if (errors.size > 0) return invalidFormBody(errors);
      const edited = writer.applyEdit(message, body, request.files);
      if (isEmptyMessage(edited)) return emptyMessage();
      world.messages.set(edited.id, edited);
      return ok(edited);
    });

  const remove = ({ params }: ApiContext): ApiReply =>
    withMessage(params, (message, state) => {
      world.messages.delete(message.id);
      if (message.id === state.originalId) state.originalId = undefined;
      else state.followUpIds = state.followUpIds.filter((id) => id !== message.id);
      return { status: 204 };
    });

  return [
    {
      method: 'POST',
      pattern: /^\/interactions\/(?<id>\d+)\/(?<token>[^/]+)\/callback$/,
      botAuth: false,
      handle: callback,
    },
    {
      method: 'POST',
      pattern: /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)$/,
      botAuth: false,
      handle: live(followUp),
    },
    {
      method: 'GET',
      pattern: MESSAGE_PATH,
      botAuth: false,
      handle: live(({ params }) => withMessage(params, (message) => ok(message))),
    },
    { method: 'PATCH', pattern: MESSAGE_PATH, botAuth: false, handle: live(edit) },
    { method: 'DELETE', pattern: MESSAGE_PATH, botAuth: false, handle: live(remove) },
  ];
}
