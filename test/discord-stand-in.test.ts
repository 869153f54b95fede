import { once } from 'node:events';
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { WebSocket } from 'ws';
import {
  ApplicationCommandOptionType,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  GatewayOpcodes,
  InteractionResponseType,
  MessageFlags,
  REST,
  Routes,
  SlashCommandBuilder,
} from 'discord.js';
import type { APIApplicationCommand, ChatInputCommandInteraction } from 'discord.js';
import { DiscordStandIn } from './support/discord-stand-in.ts';

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
      { name: 'files[0]', filename: 'report.txt', size: 12, contentType: 'application/octet-stream' },
    ]);
    const message = response.resource?.message;
    expect(message?.content).toBe('Report attached');
    expect(message?.attachments.first()?.contentType).toBe('text/plain; charset=utf-8');
    expect(message?.id).toBe(dispatched.originalMessage()?.id);
    const served = await fetch(message?.attachments.first()?.url ?? '');
    expect(await served.text()).toBe('hello report');

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
