import { describe, expect, it } from 'vitest';

import {
  DiscordAPIError,
  InteractionResponseType,
  MessageType,
  REST,
  RESTJSONErrorCodes,
  Routes,
  SlashCommandBuilder,
} from 'discord.js';
import type { APIApplicationCommand } from 'discord.js';

import { connectClient, nextCommand, startStandIn } from '../support/stand-in-client.ts';

describe('DiscordStandIn, the REST API and CDN: replies, commands, channel messages, downloads', () => {
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
});
