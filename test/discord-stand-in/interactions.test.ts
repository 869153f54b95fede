import { describe, expect, it } from 'vitest';

import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  EmbedBuilder,
  Events,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  REST,
  Routes,
} from 'discord.js';

import {
  connectClient,
  isAutocomplete,
  isMessageCommand,
  nextCommand,
  nextInteraction,
  startStandIn,
} from '../support/stand-in-client.ts';

describe('DiscordStandIn, interactions: commands, context menus, autocomplete, roles and DMs', () => {
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
});
