import { once } from 'node:events';
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { WebSocket } from 'ws';
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonBuilder,
  ButtonStyle,
  Client,
  ComponentType,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  GatewayOpcodes,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  REST,
  RESTJSONErrorCodes,
  Routes,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
} from 'discord.js';
import type {
  APIApplicationCommand,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  MessageContextMenuCommandInteraction,
  StringSelectMenuInteraction,
} from 'discord.js';
import { DiscordStandIn } from './support/discord-stand-in/index.ts';

async function startStandIn(): Promise<DiscordStandIn> {
  const standIn = await DiscordStandIn.start();
  onTestFinished(() => standIn.close());
  return standIn;
}

async function connectClient(standIn: DiscordStandIn): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } });
  // Registered after the stand-in's close, so it runs first: a client left connected would reconnect.
  onTestFinished(() => client.destroy());
  const ready = once(client, Events.ClientReady);
  await client.login('test-token');
  await ready;
  return client;
}

function nextCommand(client: Client): Promise<ChatInputCommandInteraction> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => {
      if (interaction.isChatInputCommand()) resolve(interaction);
      else reject(new Error(`expected a chat-input command, got interaction type ${interaction.type}`));
    });
  });
}

function nextInteraction<T extends Interaction>(
  client: Client,
  accept: (interaction: Interaction) => interaction is T,
  expected: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => {
      if (accept(interaction)) resolve(interaction);
      else reject(new Error(`expected ${expected}, got interaction type ${interaction.type}`));
    });
  });
}

const isMessageCommand = (i: Interaction): i is MessageContextMenuCommandInteraction =>
  i.isMessageContextMenuCommand();
const isButton = (i: Interaction): i is ButtonInteraction => i.isButton();
const isStringSelect = (i: Interaction): i is StringSelectMenuInteraction => i.isStringSelectMenu();
const isAutocomplete = (i: Interaction): i is AutocompleteInteraction => i.isAutocomplete();

function buttonRow(...buttons: [customId: string, label: string][]): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    buttons.map(([customId, label]) =>
      new ButtonBuilder().setCustomId(customId).setLabel(label).setStyle(ButtonStyle.Primary),
    ),
  );
}

/** Sockets and listening servers of this process; what a clean shutdown must leave at zero. */
function openTcpHandles(): string[] {
  return process.getActiveResourcesInfo().filter((resource) => resource.startsWith('TCP'));
}

describe('DiscordStandIn with a real discord.js Client', () => {
  it('lets the client log in over plain JSON and caches the guild from GUILD_CREATE', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);

    const [guildId] = standIn.guildIds;
    expect(client.user?.id).toBe(standIn.applicationId);
    expect(client.application?.id).toBe(standIn.applicationId);
    expect(client.guilds.cache.get(guildId ?? '')?.channels.cache.size).toBe(1);
    expect(client.guilds.cache.get(guildId ?? '')?.members.me?.roles.cache.size).toBe(2);
    expect(standIn.identifyCount).toBe(1);

    const gatewayInfo = standIn.requests.find((request) => request.path === '/api/v10/gateway/bot');
    expect(gatewayInfo?.headers.authorization).toBe('Bot test-token');
    // Without zlib-sync installed, discord.js asks for neither transport nor identify compression.
    const [connection] = standIn.gatewayConnections;
    expect(Object.fromEntries(connection?.query ?? [])).toEqual({ v: '10', encoding: 'json' });
  });

  it('delivers a chat-input command with options and an attachment, and records defer + edit', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const bytes = new TextEncoder().encode('ID3 not really an mp3, but bytes all the same');
    const url = standIn.serveAttachment('sample voice.mp3', bytes);

    const received = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({
      name: 'upload',
      options: [{ name: 'name', type: ApplicationCommandOptionType.String, value: 'Alice' }],
      attachments: [{ optionName: 'audio', filename: 'sample voice.mp3', size: bytes.length, url }],
    });
    const interaction = await received;

    expect(interaction.id).toBe(dispatched.id);
    expect(interaction.commandName).toBe('upload');
    expect(interaction.inCachedGuild()).toBe(true);
    expect(interaction.channelId).toBe(interaction.guild?.channels.cache.first()?.id);
    expect(interaction.options.getString('name', true)).toBe('Alice');
    const attachment = interaction.options.getAttachment('audio', true);
    expect(attachment).toMatchObject({
      name: 'sample voice.mp3',
      size: bytes.length,
      contentType: 'audio/mpeg',
      url,
    });
    const download = await fetch(attachment.url);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);

    await interaction.deferReply();
    expect(dispatched.originalMessage()?.flags).toBe(MessageFlags.Loading);
    await interaction.editReply({
      embeds: [new EmbedBuilder().setTitle('Uploaded').setDescription('file_id: 42')],
    });

    const callback = await dispatched.callback();
    expect(callback.body).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: 0 },
    });
    expect(callback.query.get('with_response')).toBe('false');
    const edit = await dispatched.waitForEdit((body) => body.embeds?.[0]?.title === 'Uploaded');
    expect(edit.at).toBeGreaterThan(callback.at);
    expect(dispatched.lastEdit()).toBe(edit);
    expect(dispatched.requests()).toEqual([callback, edit]);
    expect(dispatched.originalMessage()).toMatchObject({
      flags: 0,
      embeds: [{ description: 'file_id: 42' }],
    });
  });

  it('records an ephemeral defer from a bot-style handler with flags 64', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const failures: unknown[] = [];
    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      void (async () => {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        await interaction.editReply('Working on it…');
      })().catch((error: unknown) => failures.push(error));
    });

    const dispatched = standIn.dispatchChatInputCommand({ name: 'status', locale: 'de' });
    const callback = await dispatched.callback();
    await dispatched.waitForEdit((body) => body.content === 'Working on it…');

    expect(callback.body).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    expect(callback.at - dispatched.dispatchedAt).toBeLessThan(3000);
    expect(dispatched.originalMessage()?.flags).toBe(MessageFlags.Ephemeral);
    expect(failures).toEqual([]);
  });

  it('parses multipart replies, answers with_response, and rejects what Discord rejects', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const received = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({ name: 'report' });
    const interaction = await received;

    await expect(interaction.reply('x'.repeat(2001))).rejects.toMatchObject({ status: 400, code: 50035 });
    const response = await interaction.reply({
      content: 'Report attached',
      files: [{ attachment: Buffer.from('hello report'), name: 'report.txt' }],
      withResponse: true,
    });

    const callback = await standIn.waitForRequest(
      (request) => request.path.endsWith('/callback') && request.query.get('with_response') === 'true',
    );
    expect(callback.body).toMatchObject({
      type: 4,
      data: { content: 'Report attached', attachments: [{ id: '0' }] },
    });
    expect(callback.files).toEqual([
      {
        name: 'files[0]',
        filename: 'report.txt',
        size: 12,
        contentType: 'application/octet-stream',
        bytes: new Uint8Array(Buffer.from('hello report')),
      },
    ]);
    const message = response.resource?.message;
    expect(message?.content).toBe('Report attached');
    expect(message?.attachments.first()?.contentType).toBe('text/plain; charset=utf-8');
    expect(message?.id).toBe(dispatched.originalMessage()?.id);
    const served = await fetch(message?.attachments.first()?.url ?? '');
    expect(await served.text()).toBe('hello report');
    const stored = standIn.attachmentBytes(message?.attachments.first()?.url ?? '');
    expect(Buffer.from(stored ?? []).toString()).toBe('hello report');

    const again = client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'twice' } },
      auth: false,
    });
    await expect(again).rejects.toMatchObject({ status: 400, code: 40060 });
  });

  it('survives dropGateway(): the client resumes and gets what was dispatched meanwhile', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);

    const before = nextCommand(client);
    standIn.dispatchChatInputCommand({ name: 'ping' });
    await (await before).reply('pong');

    const droppedAt = performance.now();
    standIn.dropGateway();
    // Sent while no socket is open; Discord replays it on RESUME, and so does the stand-in.
    const afterDrop = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({ name: 'ping' });

    await expect(standIn.waitForReconnect()).resolves.toBe('resume');
    const interaction = await afterDrop;
    expect(interaction.id).toBe(dispatched.id);
    await interaction.reply('pong again');
    await dispatched.callback();

    const later = nextCommand(client);
    const third = standIn.dispatchChatInputCommand({ name: 'ping' });
    await (await later).deferReply();
    await third.callback();

    expect([standIn.identifyCount, standIn.resumeCount]).toEqual([1, 1]);
    expect(standIn.gatewayConnections.at(-1)?.path).toBe('/resume');
    // discord.js waits a fixed 500 ms before reconnecting; anything near its 5 s identify spacing is a bug.
    expect(performance.now() - droppedAt).toBeLessThan(2000);
  });

  it('echoes bulk command overwrites with ids and validates them like Discord', async () => {
    const standIn = await startStandIn();
    const rest = new REST({ api: standIn.apiUrl }).setToken('test-token');
    const upload = new SlashCommandBuilder()
      .setName('upload')
      .setDescription('Upload a voice sample')
      .setNameLocalizations({ de: 'hochladen' })
      .addAttachmentOption((option) =>
        option.setName('audio').setDescription('Voice sample').setRequired(true),
      );
    const [guildId = ''] = standIn.guildIds;

    const global = (await rest.put(Routes.applicationCommands(standIn.applicationId), {
      body: [upload.toJSON()],
    })) as APIApplicationCommand[];
    const guild = (await rest.put(Routes.applicationGuildCommands(standIn.applicationId, guildId), {
      body: [upload.toJSON()],
    })) as APIApplicationCommand[];

    expect(global).toMatchObject([{ name: 'upload', application_id: standIn.applicationId, type: 1 }]);
    expect(global[0]?.id).toMatch(/^\d{17,20}$/);
    expect(guild).toMatchObject([{ name: 'upload', guild_id: guildId }]);
    const reRegistered = (await rest.put(Routes.applicationCommands(standIn.applicationId), {
      body: [upload.toJSON()],
    })) as APIApplicationCommand[];
    expect(reRegistered[0]?.id).toBe(global[0]?.id);

    // discord.js flattens Discord's nested form errors into the message, which is what a bot's logs show.
    const invalid = rest.put(Routes.applicationCommands(standIn.applicationId), {
      body: [{ name: 'Upload', description: '' }],
    });
    await expect(invalid).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(invalid).rejects.toThrow(/0\.name\[APPLICATION_COMMAND_INVALID_NAME\]/);
    await expect(invalid).rejects.toThrow(/0\.description\[BASE_TYPE_BAD_LENGTH\]/);
    const unauthenticated = new REST({ api: standIn.apiUrl }).put(
      Routes.applicationCommands(standIn.applicationId),
      {
        body: [],
      },
    );
    await expect(unauthenticated).rejects.toThrow(/token/i);
  });

  it('serves CDN failures: status, lying Content-Length, chunked, delay and hang', async () => {
    const standIn = await startStandIn();
    const bytes = new Uint8Array(1024).fill(7);

    const missing = await fetch(standIn.serveAttachment('gone.mp3', bytes, { status: 404 }));
    expect(missing.status).toBe(404);

    const truncated = await fetch(standIn.serveAttachment('short.mp3', bytes, { contentLength: 4096 }));
    await expect(truncated.arrayBuffer()).rejects.toThrow();

    const chunked = await fetch(standIn.serveAttachment('chunked.mp3', bytes, { contentLength: null }));
    expect(chunked.headers.get('content-length')).toBeNull();
    expect((await chunked.arrayBuffer()).byteLength).toBe(1024);

    const delayedUrl = standIn.serveAttachment('slow.mp3', bytes, { delayMs: 50 });
    const started = performance.now();
    await (await fetch(delayedUrl)).arrayBuffer();
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);

    const hangingUrl = standIn.serveAttachment('hang.mp3', bytes, { hang: true });
    const abort = new AbortController();
    const hanging = fetch(hangingUrl, { signal: abort.signal });
    await standIn.waitForRequest((request) => hangingUrl.includes(request.path));
    abort.abort();
    await expect(hanging).rejects.toThrow(/abort/i);
  });

  it('speaks zlib-stream when a client asks for it (discord.js does once zlib-sync is installed)', async () => {
    const standIn = await startStandIn();
    const socket = new WebSocket(`${standIn.gatewayUrl}/?v=10&encoding=json&compress=zlib-stream`);
    onTestFinished(() => {
      socket.terminate();
    });
    const frames: Buffer[] = [];
    const decoded: unknown[] = [];
    const { promise: threeDecoded, resolve } = Promise.withResolvers<unknown[]>();
    socket.on('message', (data: Buffer) => {
      // One zlib context spans the connection: each frame only decodes after the ones before it.
      const previous = inflateSync(Buffer.concat(frames), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).length;
      frames.push(data);
      const all = inflateSync(Buffer.concat(frames), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      decoded.push(JSON.parse(all.subarray(previous).toString('utf8')));
      if (decoded.length === 3) resolve(decoded);
      if (decoded.length === 1) {
        socket.send(
          JSON.stringify({
            op: GatewayOpcodes.Identify,
            d: { token: 'test-token', intents: GatewayIntentBits.Guilds, properties: {} },
          }),
        );
      }
    });

    await standIn.waitForIdentify();
    expect(await threeDecoded).toMatchObject([
      { op: GatewayOpcodes.Hello },
      { t: 'READY', s: 1 },
      { t: 'GUILD_CREATE', s: 2 },
    ]);
  });

  it('delivers a message context-menu command whose target message carries the posted attachments', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const voice = new TextEncoder().encode('OggS not really opus, but bytes all the same');
    const posted = standIn.postChannelMessage({
      content: 'my sample',
      authorId: '300000000000000002',
      attachments: [
        { filename: 'voice message.ogg', bytes: voice },
        { filename: 'notes', bytes: new TextEncoder().encode('hi'), contentType: 'text/plain' },
      ],
    });
    expect(posted.attachments).toMatchObject([
      { filename: 'voice message.ogg', size: voice.length, content_type: 'audio/ogg' },
      { filename: 'notes', size: 2, content_type: 'text/plain' },
    ]);

    const received = nextInteraction(client, isMessageCommand, 'a message command');
    const dispatched = standIn.dispatchMessageCommand({ name: 'Upload voice', targetMessage: posted });
    const interaction = await received;

    expect(interaction.id).toBe(dispatched.id);
    expect(interaction.commandName).toBe('Upload voice');
    expect(interaction.commandType).toBe(ApplicationCommandType.Message);
    expect(interaction.inCachedGuild()).toBe(true);
    expect(interaction.targetId).toBe(posted.id);
    const target = interaction.targetMessage;
    expect(target.channelId).toBe(interaction.channelId);
    expect(target.author.id).toBe('300000000000000002');
    expect(target.content).toBe('my sample');
    expect(target.createdTimestamp).toBeLessThanOrEqual(Date.now());
    expect(
      target.attachments.map(({ id, name, size, contentType, url, proxyURL }) => ({
        id,
        name,
        size,
        contentType,
        url,
        proxyURL,
      })),
    ).toEqual(
      posted.attachments.map(({ id, filename, size, content_type, url }) => ({
        id,
        name: filename,
        size,
        contentType: content_type,
        url,
        proxyURL: url,
      })),
    );
    const download = await fetch(target.attachments.first()?.url ?? '');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(voice);

    // The bot can read the message again through GET /channels/{id}/messages/{id}.
    const fetched = await interaction.channel?.messages.fetch({ message: posted.id, force: true });
    expect(fetched?.attachments.size).toBe(2);
    expect(standIn.requests.at(-1)?.path).toBe(
      `/api/v10/channels/${posted.channel_id}/messages/${posted.id}`,
    );

    await interaction.reply({ content: 'On it', flags: MessageFlags.Ephemeral });
    await dispatched.callback();
    expect(dispatched.originalMessage()).toMatchObject({
      type: MessageType.ContextMenuCommand,
      flags: MessageFlags.Ephemeral,
      interaction_metadata: {
        id: dispatched.id,
        type: InteractionType.ApplicationCommand,
        target_message_id: posted.id,
      },
    });
  });

  it('routes a select menu and buttons to the message they are on; deferUpdate() and update() change it', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const received = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({ name: 'pick' });
    const command = await received;
    await command.reply({
      content: 'Which voices?',
      components: [
        new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(
          new StringSelectMenuBuilder()
            .setCustomId('voices')
            .setMaxValues(2)
            .addOptions(
              { label: 'Alice', value: 'alice' },
              { label: 'Bob', value: 'bob' },
              { label: 'Carol', value: 'carol' },
            ),
        ),
        buttonRow(['confirm', 'Confirm'], ['cancel', 'Cancel']),
      ],
    });
    await dispatched.callback();
    const original = dispatched.originalMessage();
    // Like Discord, the stand-in numbers the components the bot left without an id.
    expect(original?.components).toMatchObject([
      { type: ComponentType.ActionRow, id: 1, components: [{ id: 2, custom_id: 'voices' }] },
      { type: ComponentType.ActionRow, id: 3, components: [{ id: 4 }, { id: 5 }] },
    ]);
    expect(() => standIn.dispatchButton(dispatched, 'nope')).toThrow(/it has: voices, confirm, cancel/);
    expect(() => standIn.dispatchButton(dispatched, 'voices')).toThrow(/not a button/);
    expect(() => standIn.dispatchSelect(dispatched, 'voices', ['dave'])).toThrow(/no dave/);
    expect(() => standIn.dispatchSelect(dispatched, 'voices', [])).toThrow(/1 to 2 value/);

    const selected = nextInteraction(client, isStringSelect, 'a string select');
    const select = standIn.dispatchSelect(dispatched, 'voices', ['alice', 'carol']);
    const selectInteraction = await selected;
    expect(selectInteraction.id).toBe(select.id);
    expect(selectInteraction.customId).toBe('voices');
    expect(selectInteraction.componentType).toBe(ComponentType.StringSelect);
    expect(selectInteraction.values).toEqual(['alice', 'carol']);
    expect(selectInteraction.message.id).toBe(original?.id);
    expect(selectInteraction.message.interactionMetadata?.id).toBe(dispatched.id);
    expect(selectInteraction.user.id).toBe(command.user.id);
    await selectInteraction.deferUpdate();
    await selectInteraction.editReply({ content: 'Voices: alice, carol' });
    expect((await select.callback()).body).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    await select.waitForEdit((body) => body.content === 'Voices: alice, carol');
    expect(select.originalMessage()?.id).toBe(original?.id);
    // One message, seen through both tokens.
    expect(dispatched.originalMessage()).toMatchObject({
      content: 'Voices: alice, carol',
      components: [{}, {}],
    });

    const clicked = nextInteraction(client, isButton, 'a button');
    const button = standIn.dispatchButton(dispatched, 'confirm', { userId: '300000000000000005' });
    const buttonInteraction = await clicked;
    expect(buttonInteraction.customId).toBe('confirm');
    expect(buttonInteraction.componentType).toBe(ComponentType.Button);
    const { component } = buttonInteraction;
    expect('label' in component ? component.label : undefined).toBe('Confirm');
    expect(buttonInteraction.user.id).toBe('300000000000000005');
    expect(buttonInteraction.message.content).toBe('Voices: alice, carol');
    await buttonInteraction.update({ content: 'Confirmed', components: [] });
    expect((await button.callback()).body).toMatchObject({
      type: InteractionResponseType.UpdateMessage,
      data: { content: 'Confirmed', components: [] },
    });
    expect(dispatched.originalMessage()).toMatchObject({
      id: original?.id,
      content: 'Confirmed',
      components: [],
    });
    expect(dispatched.originalMessage()?.edited_timestamp).not.toBeNull();
    expect(() => standIn.dispatchButton(dispatched, 'confirm')).toThrow(/it has: none/);

    // A button on a follow-up, answered with a new message.
    const followUp = await command.followUp({
      content: 'Again?',
      components: [buttonRow(['again', 'Again'])],
    });
    expect(dispatched.followUpMessages().map((message) => message.id)).toEqual([followUp.id]);
    const againClicked = nextInteraction(client, isButton, 'a button');
    const again = standIn.dispatchButton({ messageId: followUp.id }, 'again');
    const againInteraction = await againClicked;
    expect(againInteraction.message.id).toBe(followUp.id);
    await againInteraction.reply({ content: 'Starting over', flags: MessageFlags.Ephemeral });
    expect((await again.callback()).body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
    });
    expect(again.originalMessage()).toMatchObject({
      type: MessageType.Default,
      content: 'Starting over',
      interaction_metadata: { type: InteractionType.MessageComponent, interacted_message_id: followUp.id },
    });
    expect(standIn.message(followUp.id)?.content).toBe('Again?');
  });

  it('lets awaitMessageComponent on a reply collect a dispatched button', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const received = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({ name: 'delete' });
    const interaction = await received;

    const response = await interaction.reply({
      content: 'Really delete?',
      components: [buttonRow(['yes', 'Yes'], ['no', 'No'])],
      flags: MessageFlags.Ephemeral,
    });
    // Only the user who got an ephemeral message sees its components.
    expect(() => standIn.dispatchButton(dispatched, 'no', { userId: '300000000000000002' })).toThrow(
      /ephemeral/,
    );
    const collected = response.awaitMessageComponent({ componentType: ComponentType.Button, time: 10_000 });
    const button = standIn.dispatchButton(dispatched, 'yes');
    const click = await collected;

    expect(click.id).toBe(button.id);
    expect(click.customId).toBe('yes');
    expect(click.message.flags.has(MessageFlags.Ephemeral)).toBe(true);
    await click.update({ content: 'Deleted.', components: [] });
    await button.callback();
    expect(dispatched.originalMessage()).toMatchObject({
      content: 'Deleted.',
      components: [],
      flags: MessageFlags.Ephemeral,
    });
  });

  it('answers autocomplete with type 8 choices and validates them like Discord', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    expect(() => standIn.dispatchAutocomplete({ name: 'upload', options: [] })).toThrow(
      /exactly one focused/,
    );

    const received = nextInteraction(client, isAutocomplete, 'an autocomplete interaction');
    const dispatched = standIn.dispatchAutocomplete({
      name: 'upload',
      options: [
        { name: 'name', type: ApplicationCommandOptionType.String, value: 'Alice' },
        { name: 'purpose', type: ApplicationCommandOptionType.String, value: 'vo', focused: true },
      ],
    });
    const interaction = await received;
    expect(interaction.id).toBe(dispatched.id);
    expect(interaction.commandName).toBe('upload');
    expect(interaction.options.getFocused(true)).toMatchObject({ name: 'purpose', value: 'vo' });
    expect(interaction.options.getString('name')).toBe('Alice');

    const tooMany = Array.from({ length: 26 }, (_, index) => ({ name: `c${index}`, value: `c${index}` }));
    await expect(interaction.respond(tooMany)).rejects.toMatchObject({ status: 400, code: 50035 });
    await interaction.respond([{ name: 'Voice clone', value: 'voice_clone' }]);

    const accepted = dispatched.requests().at(-1);
    expect(accepted?.body).toEqual({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [{ name: 'Voice clone', value: 'voice_clone' }] },
    });
    expect(dispatched.choices()).toEqual([{ name: 'Voice clone', value: 'voice_clone' }]);
    expect(dispatched.originalMessage()).toBeUndefined();
  });

  it('posts channel messages and replies, and turns denyChannelMessages into DiscordAPIError 50013', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const posted = standIn.postChannelMessage({
      content: 'here is my sample',
      authorId: '300000000000000002',
      attachments: [{ filename: 'sample.mp3', bytes: new Uint8Array(16) }],
    });
    const channel = client.channels.cache.get(posted.channel_id);
    if (!channel?.isSendable()) throw new Error('the guild text channel is not cached');
    const messagesPath = `/api/v10/channels/${posted.channel_id}/messages`;

    const reply = await channel.send({ content: 'Uploading…', reply: { messageReference: posted.id } });
    expect(reply.type).toBe(MessageType.Reply);
    expect(reply.reference?.messageId).toBe(posted.id);
    expect(reply.author.id).toBe(client.user?.id);
    // Without allowed_mentions a reply pings the author of the message it answers.
    expect(reply.mentions.users.has('300000000000000002')).toBe(true);

    const quiet = await channel.send({
      content: 'Log attached',
      reply: { messageReference: posted.id },
      allowedMentions: { repliedUser: false },
      files: [{ attachment: Buffer.from('log line'), name: 'log.txt' }],
    });
    expect(quiet.mentions.users.size).toBe(0);
    expect(quiet.mentions.repliedUser?.id).toBe('300000000000000002');
    expect(quiet.attachments.first()?.contentType).toBe('text/plain; charset=utf-8');
    expect(await (await fetch(quiet.attachments.first()?.url ?? '')).text()).toBe('log line');
    const sent = standIn.requests.filter(
      (request) => request.method === 'POST' && request.path === messagesPath,
    );
    expect(sent[1]?.body).toMatchObject({
      message_reference: { message_id: posted.id, fail_if_not_exists: true },
      allowed_mentions: { replied_user: false },
    });
    expect(sent[1]?.files).toMatchObject([{ name: 'files[0]', filename: 'log.txt' }]);

    const missing = channel.send({ content: 'to nowhere', reply: { messageReference: '1234567890' } });
    await expect(missing).rejects.toThrow(/message_reference\[MESSAGE_REFERENCE_UNKNOWN_MESSAGE\]/);
    const unreferenced = await channel.send({
      content: 'to nowhere, quietly',
      reply: { messageReference: '1234567890', failIfNotExists: false },
    });
    expect(unreferenced.type).toBe(MessageType.Default);
    expect(unreferenced.reference).toBeNull();

    standIn.denyChannelMessages(true);
    const denied = channel.send('still there?');
    await expect(denied).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(denied).rejects.toMatchObject({
      status: 403,
      code: RESTJSONErrorCodes.MissingPermissions,
      message: 'Missing Permissions',
    });
    expect(standIn.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: messagesPath,
      body: { content: 'still there?' },
    });
    standIn.denyChannelMessages(false);
    const back = await channel.send('back again');

    expect(standIn.channelMessages().map((message) => message.id)).toEqual([
      reply.id,
      quiet.id,
      unreferenced.id,
      back.id,
    ]);
    expect(standIn.channelMessages()[0]).toMatchObject({
      referenced_message: { id: posted.id },
      message_reference: { message_id: posted.id, channel_id: posted.channel_id },
    });
  });

  it('gives the member the roles of memberRoles, defining them in the guild first', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const admin = standIn.createRole({ name: 'Voice Admin', permissions: PermissionFlagsBits.ManageGuild });
    const unnamedRoleId = '400000000000000001';

    const received = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({
      name: 'ping',
      memberRoles: [admin.id, unnamedRoleId],
    });
    const interaction = await received;

    if (!interaction.inCachedGuild()) throw new Error('expected an interaction in a cached guild');
    const roles = interaction.member.roles.cache;
    expect(roles.get(admin.id)?.name).toBe('Voice Admin');
    expect(roles.has(unnamedRoleId)).toBe(true);
    expect(roles.has(interaction.guildId)).toBe(true);
    expect(roles.size).toBe(3);
    expect(interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(interaction.guild.roles.cache.size).toBe(4);
    await interaction.reply('pong');
    await dispatched.callback();
  });

  it('dispatches a chat-input command from a DM: no guild, user instead of member, context 1', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const received = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({
      name: 'ping',
      dm: true,
      userId: '300000000000000009',
    });
    const interaction = await received;

    expect(interaction.inGuild()).toBe(false);
    expect(interaction.guildId).toBeNull();
    expect(interaction.member).toBeNull();
    expect(interaction.user.id).toBe('300000000000000009');
    expect(interaction.context).toBe(InteractionContextType.BotDM);
    expect(interaction.channelId).toMatch(/^\d+$/);
    // discord.js caches the DM channel of an interaction only when the client enables Partials.Channel.
    expect(interaction.channel).toBeNull();
    await interaction.reply('pong');
    await dispatched.callback();
    expect(dispatched.originalMessage()?.channel_id).toBe(interaction.channelId);

    // POST /users/@me/channels hands back the same DM channel; sending there is a channel message.
    const direct = await interaction.user.send('a direct message');
    expect(direct.channelId).toBe(interaction.channelId);
    expect(standIn.channelMessages()).toMatchObject([
      { channel_id: interaction.channelId, content: 'a direct message' },
    ]);

    const rest = new REST({ api: standIn.apiUrl }).setToken('test-token');
    await rest.put(Routes.applicationCommands(standIn.applicationId), {
      body: [
        { name: 'upload', description: 'Upload a voice sample', contexts: [InteractionContextType.Guild] },
      ],
    });
    expect(() => standIn.dispatchChatInputCommand({ name: 'upload', dm: true })).toThrow(/BotDM/);
  });

  it('leaves no sockets or servers behind after client.destroy() and close()', async () => {
    const standIn = await DiscordStandIn.start();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } });
    const ready = once(client, Events.ClientReady);
    await client.login('test-token');
    await ready;
    const received = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({ name: 'ping' });
    await (await received).reply('pong');
    await dispatched.callback();
    void fetch(standIn.serveAttachment('hang.mp3', new Uint8Array(1), { hang: true })).catch(() => undefined);
    await standIn.waitForRequest((request) => request.path.endsWith('/hang.mp3'));

    await client.destroy();
    await standIn.close();

    // Client-side sockets finish closing a moment after the server drops them.
    await vi.waitFor(() => {
      expect(openTcpHandles()).toEqual([]);
    });
  });
});
