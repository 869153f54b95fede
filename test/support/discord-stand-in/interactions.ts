/**
 * Interaction builders: the INTERACTION_CREATE payloads Discord sends for slash commands, message
 * context-menu commands, buttons, select menus, autocomplete and modal submits, for a guild member or in a DM, checked
 * against what Discord would allow (registered commands, enabled components, ephemeral messages).
 */
import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageFlags,
} from 'discord-api-types/v10';
import type {
  APIApplicationCommandAutocompleteInteraction,
  APIAttachment,
  APIChatInputApplicationCommandDMInteraction,
  APIChatInputApplicationCommandGuildInteraction,
  APIChatInputApplicationCommandInteraction,
  APIDMChannel,
  APIInteraction,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageApplicationCommandInteraction,
  APIMessageComponentInteraction,
  APIModalSubmitInteraction,
  APIRole,
  APITextChannel,
  APIUser,
} from 'discord-api-types/v10';
import {
  checkSelectValues,
  componentCustomIds,
  countFocused,
  findComponent,
  modalSubmission,
} from './components.ts';
import { dispatchedHandle } from './dispatched.ts';
import {
  ATTACHMENT_SIZE_LIMIT,
  BOT_ROLE_PERMISSIONS,
  DEFAULT_USER_ID,
  DM_PERMISSIONS,
  guessContentType,
  makeMember,
  snowflake,
  stableId,
  textChannel,
  type GuildFixture,
} from './fixtures.ts';
import type { Gateway } from './gateway.ts';
import { hasFlag, isLocale } from './narrow.ts';
import type { Recorder } from './recorder.ts';
import type {
  AutocompleteCommand,
  ChatInputCommand,
  ComponentTarget,
  ComponentUse,
  DispatchedAutocomplete,
  DispatchedInteraction,
  InteractionUser,
  MessageCommand,
  ModalValues,
  RoleInput,
} from './types.ts';
import type { InteractionKind, InteractionState, StoredCommand, World } from './world.ts';

interface Audience {
  user: APIUser;
  locale: Locale;
  /** The channel object the interaction carries. */
  channel: APITextChannel | APIDMChannel;
  /** Undefined in a DM. */
  guild: GuildFixture | undefined;
  memberRoles: string[];
}

type GuildEnvelope = Omit<APIChatInputApplicationCommandGuildInteraction, 'type' | 'data'>;
type DMEnvelope = Omit<APIChatInputApplicationCommandDMInteraction, 'type' | 'data'>;
/** The fields every interaction shares, for a guild or a DM. */
type InteractionEnvelope = GuildEnvelope | DMEnvelope;

export interface InteractionDeps {
  world: World;
  gateway: Gateway;
  recorder: Recorder;
  /** Adds a role and announces it, for member roles the guild does not know yet. */
  createRole: (input: RoleInput) => APIRole;
}

export class Interactions {
  readonly #world: World;
  readonly #gateway: Gateway;
  readonly #recorder: Recorder;
  readonly #createRole: (input: RoleInput) => APIRole;

  constructor(deps: InteractionDeps) {
    this.#world = deps.world;
    this.#gateway = deps.gateway;
    this.#recorder = deps.recorder;
    this.#createRole = deps.createRole;
  }

  chatInput(command: ChatInputCommand): DispatchedInteraction {
    const audience = this.#audience(command);
    const options = [...(command.options ?? [])];
    const attachments: Record<string, APIAttachment> = {};
    for (const attachment of command.attachments ?? []) {
      const id = attachment.id ?? snowflake();
      attachments[id] = {
        id,
        filename: attachment.filename,
        size: attachment.size,
        url: attachment.url,
        proxy_url: attachment.url,
        content_type: attachment.contentType ?? guessContentType(attachment.filename),
        // Files uploaded through a command option are ephemeral attachments on Discord.
        ephemeral: true,
      };
      if (attachment.optionName !== undefined) {
        options.push({
          name: attachment.optionName,
          type: ApplicationCommandOptionType.Attachment,
          value: id,
        });
      }
    }

    // Discord resolves every user an option names, so the bot gets their user object with the id.
    const users: Record<string, APIUser> = {};
    for (const option of options) {
      if (option.type === ApplicationCommandOptionType.User)
        users[option.value] = this.#world.user(option.value);
    }
    const resolved = {
      ...(Object.keys(attachments).length > 0 ? { attachments } : {}),
      ...(Object.keys(users).length > 0 ? { users } : {}),
    };

    const label = `/${command.name}`;
    const registered = this.#commandFor(command.name, ApplicationCommandType.ChatInput, audience, label);
    const state = this.#start(
      { kind: 'chat-input', type: InteractionType.ApplicationCommand, label, audience },
      (envelope): APIChatInputApplicationCommandInteraction => ({
        ...envelope,
        type: InteractionType.ApplicationCommand,
        data: {
          id: registered?.id ?? stableId(command.name),
          name: command.name,
          type: ApplicationCommandType.ChatInput,
          ...(registered?.guildId === undefined ? {} : { guild_id: registered.guildId }),
          ...(options.length > 0 ? { options } : {}),
          ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
        },
      }),
    );
    return this.#handle(state);
  }

  /** A message context-menu command (APPLICATION_COMMAND, data.type 3) used on `targetMessage`. */
  messageCommand(command: MessageCommand): DispatchedInteraction {
    const target = this.#world.messages.get(command.targetMessage.id) ?? command.targetMessage;
    const home = this.#world.channels.get(target.channel_id);
    if (home === undefined) {
      throw new Error(
        `message ${target.id} is in channel ${target.channel_id}, which DiscordStandIn does not know; post it with postChannelMessage()`,
      );
    }
    if (command.guildId !== undefined && (home.kind !== 'guild' || home.guild.id !== command.guildId)) {
      throw new Error(`message ${target.id} is not in guild ${command.guildId}`);
    }
    const audience =
      home.kind === 'guild'
        ? this.#audience({ ...command, guildId: home.guild.id })
        : this.#audience({ ...command, dm: true, userId: command.userId ?? home.user.id });
    const label = `message command "${command.name}"`;
    const registered = this.#commandFor(command.name, ApplicationCommandType.Message, audience, label);
    const state = this.#start(
      {
        kind: 'message-command',
        type: InteractionType.ApplicationCommand,
        label,
        audience,
        targetMessageId: target.id,
      },
      (envelope): APIMessageApplicationCommandInteraction => ({
        ...envelope,
        type: InteractionType.ApplicationCommand,
        data: {
          id: registered?.id ?? stableId(command.name),
          name: command.name,
          type: ApplicationCommandType.Message,
          target_id: target.id,
          resolved: { messages: { [target.id]: target } },
          ...(registered?.guildId === undefined ? {} : { guild_id: registered.guildId }),
        },
      }),
    );
    return this.#handle(state);
  }

  /** A button click (`values` undefined) or a string select choice on the target message. */
  component(
    target: ComponentTarget,
    customId: string,
    values: string[] | undefined,
    use: ComponentUse,
  ): DispatchedInteraction {
    const { message, origin } = this.#componentMessage(target);
    const kind = values === undefined ? 'button' : 'select menu';
    const componentType = values === undefined ? ComponentType.Button : ComponentType.StringSelect;
    const component = findComponent(message.components ?? [], customId);
    if (component === undefined) {
      const known = componentCustomIds(message.components ?? []);
      throw new Error(
        `message ${message.id} has no component with custom_id "${customId}" (it has: ${known.length > 0 ? known.join(', ') : 'none'})`,
      );
    }
    if (component.type !== componentType) {
      throw new Error(`"${customId}" is a component of type ${String(component.type)}, not a ${kind}`);
    }
    if (component.disabled === true) {
      throw new Error(`the ${kind} "${customId}" is disabled; Discord sends no interaction for it`);
    }
    if (values !== undefined) checkSelectValues(component, customId, values);

    const home = this.#world.channels.get(message.channel_id);
    if (home === undefined)
      throw new Error(`message ${message.id} is in a channel DiscordStandIn does not know`);
    const userId = use.userId ?? origin?.user.id ?? (home.kind === 'dm' ? home.user.id : undefined);
    if (hasFlag(message, MessageFlags.Ephemeral) && origin !== undefined && userId !== origin.user.id) {
      throw new Error(`message ${message.id} is ephemeral: only user ${origin.user.id} sees its components`);
    }
    if (home.kind === 'dm' && userId !== home.user.id) {
      throw new Error(`message ${message.id} is in the DM with user ${home.user.id}; nobody else can use it`);
    }
    const audience =
      home.kind === 'guild'
        ? this.#audience({ ...use, userId, guildId: home.guild.id })
        : this.#audience({ ...use, userId, dm: true });
    const state = this.#start(
      {
        kind: 'component',
        type: InteractionType.MessageComponent,
        label: `${kind} "${customId}"`,
        audience,
        targetMessageId: message.id,
      },
      (envelope): APIMessageComponentInteraction => ({
        ...envelope,
        type: InteractionType.MessageComponent,
        message,
        data:
          values === undefined
            ? { custom_id: customId, component_type: ComponentType.Button }
            : { custom_id: customId, component_type: ComponentType.StringSelect, values },
      }),
    );
    return this.#handle(state);
  }

  /** An APPLICATION_COMMAND_AUTOCOMPLETE interaction; the bot answers with a type 8 callback. */
  autocomplete(command: AutocompleteCommand): DispatchedAutocomplete {
    const focused = countFocused(command.options);
    if (focused !== 1) {
      throw new Error(`an autocomplete interaction has exactly one focused option; these have ${focused}`);
    }
    const audience = this.#audience(command);
    const label = `autocomplete for /${command.name}`;
    const registered = this.#commandFor(command.name, ApplicationCommandType.ChatInput, audience, label);
    const state = this.#start(
      { kind: 'autocomplete', type: InteractionType.ApplicationCommandAutocomplete, label, audience },
      (envelope): APIApplicationCommandAutocompleteInteraction => ({
        ...envelope,
        type: InteractionType.ApplicationCommandAutocomplete,
        data: {
          id: registered?.id ?? stableId(command.name),
          name: command.name,
          type: ApplicationCommandType.ChatInput,
          options: command.options,
          ...(registered?.guildId === undefined ? {} : { guild_id: registered.guildId }),
        },
      }),
    );
    return { ...this.#handle(state), choices: () => state.choices };
  }

  /**
   * The user submits the modal the bot opened in answer to `opened` (callback type 9). Only that user
   * sees a modal; it carries the message of the component that opened it, if a component did.
   */
  modalSubmit(opened: DispatchedInteraction, values: ModalValues, locale?: string): DispatchedInteraction {
    const origin = this.#world.interactions.get(opened.token);
    if (origin === undefined) throw new Error(`interaction ${opened.id} is not one of this DiscordStandIn's`);
    const { modal } = origin;
    if (modal === undefined) {
      throw new Error(
        `interaction ${origin.id} (${origin.label}) was not answered with a modal (callback type 9); await its callback() first`,
      );
    }
    if (origin.modalSubmitted) {
      throw new Error(`the modal "${modal.custom_id}" was already submitted; the bot must open it again`);
    }
    const components = modalSubmission(modal, values);
    const audience = this.#audience({
      userId: origin.user.id,
      locale: locale ?? origin.locale,
      ...(origin.guildId === undefined
        ? { dm: true }
        : { guildId: origin.guildId, memberRoles: origin.memberRoles }),
    });
    const message =
      origin.kind === 'component' ? this.#world.messages.get(origin.targetMessageId ?? '') : undefined;
    origin.modalSubmitted = true;
    const state = this.#start(
      {
        kind: 'modal-submit',
        type: InteractionType.ModalSubmit,
        label: `modal "${modal.custom_id}"`,
        audience,
        ...(message === undefined ? {} : { targetMessageId: message.id }),
        openedBy: origin,
      },
      (envelope): APIModalSubmitInteraction => ({
        ...envelope,
        type: InteractionType.ModalSubmit,
        data: { custom_id: modal.custom_id, components },
        ...(message === undefined ? {} : { message }),
      }),
    );
    return this.#handle(state);
  }

  #handle(state: InteractionState): DispatchedInteraction {
    return dispatchedHandle(this.#world, this.#recorder, state);
  }

  #audience(input: InteractionUser): Audience {
    const locale = input.locale ?? Locale.EnglishUS;
    if (!isLocale(locale)) throw new Error(`"${locale}" is not a Discord locale`);
    const user = this.#world.user(input.userId ?? DEFAULT_USER_ID);
    if (input.dm === true) {
      if (input.guildId !== undefined) throw new Error('a DM interaction has no guild: pass dm or guildId');
      if ((input.memberRoles ?? []).length > 0) throw new Error('memberRoles need a guild; a DM has none');
      return { user, locale, channel: this.#world.dmChannelFor(user), guild: undefined, memberRoles: [] };
    }
    const guild = this.#world.guild(input.guildId);
    return { user, locale, channel: textChannel(guild), guild, memberRoles: input.memberRoles ?? [] };
  }

  #ensureRoles(guild: GuildFixture, roleIds: readonly string[]): void {
    for (const roleId of roleIds) {
      if (roleId === guild.id) {
        throw new Error('memberRoles never lists @everyone (the guild id): Discord leaves it implicit');
      }
      if (!this.#world.guildRoles(guild).some((role) => role.id === roleId)) {
        this.#createRole({ id: roleId, name: `role-${guild.roles.length + 1}`, guildId: guild.id });
      }
    }
  }

  /** The registered command a user could pick here, checking that Discord would offer it in a DM. */
  #commandFor(
    name: string,
    type: ApplicationCommandType,
    audience: Audience,
    label: string,
  ): { id: string; guildId?: string } | undefined {
    const matches = (command: StoredCommand): boolean => command.name === name && command.type === type;
    const { guild } = audience;
    const { guildCommands, globalCommands } = this.#world;
    if (guild !== undefined) {
      const guildCommand = guildCommands.get(guild.id)?.find(matches);
      if (guildCommand) return { id: guildCommand.id, guildId: guild.id };
    }
    const globalCommand = globalCommands.find(matches);
    if (guild !== undefined) return globalCommand ? { id: globalCommand.id } : undefined;
    if (globalCommand === undefined) {
      const guildOnly = [...guildCommands.values()].some((commands) => commands.some(matches));
      if (guildOnly) throw new Error(`${label} is only registered as a guild command; DMs have none`);
      return undefined;
    }
    const { contexts } = globalCommand;
    const offered = Array.isArray(contexts)
      ? contexts.includes(InteractionContextType.BotDM)
      : globalCommand.dm_permission !== false;
    if (!offered)
      throw new Error(`${label} is registered without the BotDM context; Discord would not offer it`);
    return { id: globalCommand.id };
  }

  #start(
    init: {
      kind: InteractionKind;
      type: InteractionType;
      label: string;
      audience: Audience;
      targetMessageId?: string;
      openedBy?: InteractionState;
    },
    build: (envelope: InteractionEnvelope) => APIInteraction,
  ): InteractionState {
    if (!this.#gateway.identified) {
      throw new Error(
        `cannot dispatch ${GatewayDispatchEvents.InteractionCreate}: no client has identified yet (await waitForIdentify() first)`,
      );
    }
    const { audience } = init;
    if (audience.guild !== undefined) this.#ensureRoles(audience.guild, audience.memberRoles);
    const id = snowflake();
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('hex')}`).toString('base64url');
    const envelope = this.#envelope(id, token, audience);
    const payload = build(envelope);
    const state: InteractionState = {
      id,
      token,
      dispatchedAt: performance.now(),
      kind: init.kind,
      type: init.type,
      label: init.label,
      guildId: audience.guild?.id,
      channelId: audience.channel.id,
      user: audience.user,
      locale: audience.locale,
      memberRoles: audience.memberRoles,
      owners: envelope.authorizing_integration_owners,
      acknowledged: false,
      originalId: undefined,
      followUpIds: [],
      targetMessageId: init.targetMessageId,
      choices: undefined,
      modal: undefined,
      modalSubmitted: false,
      expired: false,
      openedBy: init.openedBy,
    };
    this.#world.interactions.set(token, state);
    this.#gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return state;
  }

  #envelope(id: string, token: string, audience: Audience): InteractionEnvelope {
    const { guild, user, locale, channel } = audience;
    const common = {
      id,
      application_id: this.#world.applicationId,
      token,
      version: 1 as const,
      channel_id: channel.id,
      channel,
      locale,
      entitlements: [],
      attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
    };
    if (guild === undefined) {
      const dm: DMEnvelope = {
        ...common,
        user,
        app_permissions: DM_PERMISSIONS.toString(),
        // A guild-installed app used in its bot's DM: the guild slot holds "0".
        authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' },
        context: InteractionContextType.BotDM,
      };
      return dm;
    }
    let permissions = 0n;
    for (const role of this.#world.guildRoles(guild)) {
      if (role.id === guild.id || audience.memberRoles.includes(role.id))
        permissions |= BigInt(role.permissions);
    }
    const member: APIInteractionGuildMember = {
      ...makeMember(user, audience.memberRoles, new Date(Date.now() - 86_400_000).toISOString()),
      permissions: permissions.toString(),
    };
    const inGuild: GuildEnvelope = {
      ...common,
      guild_id: guild.id,
      guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
      member,
      app_permissions: BOT_ROLE_PERMISSIONS.toString(),
      guild_locale: Locale.EnglishUS,
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild.id },
      context: InteractionContextType.Guild,
    };
    return inGuild;
  }

  #componentMessage(target: ComponentTarget): { message: APIMessage; origin: InteractionState | undefined } {
    const { messages, interactions } = this.#world;
    if ('messageId' in target) {
      const message = messages.get(target.messageId);
      if (message === undefined) throw new Error(`DiscordStandIn knows no message ${target.messageId}`);
      const origin = [...interactions.values()].find(
        (state) => state.originalId === message.id || state.followUpIds.includes(message.id),
      );
      return { message, origin };
    }
    const origin = interactions.get(target.token);
    if (origin === undefined) throw new Error(`interaction ${target.id} is not one of this DiscordStandIn's`);
    const message = messages.get(origin.originalId ?? '');
    if (message === undefined) {
      throw new Error(
        `interaction ${origin.id} (${origin.label}) has no original response yet; wait for its callback or edit first`,
      );
    }
    return { message, origin };
  }
}
