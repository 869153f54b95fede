import { describe, expect, it } from 'vitest';
import {
  ComponentType,
  InteractionResponseType,
  InteractionType,
  LabelBuilder,
  ModalBuilder,
  Routes,
  StringSelectMenuBuilder,
  TextDisplayBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import {
  buttonRow,
  connectClient,
  isButton,
  isModalSubmit,
  nextCommand,
  nextInteraction,
  startStandIn,
} from '../support/stand-in-client.ts';

function cloneModal(): ModalBuilder {
  return new ModalBuilder()
    .setCustomId('clone:modal')
    .setTitle('Clone this voice')
    .addTextDisplayComponents(new TextDisplayBuilder().setContent('Name the new voice.'))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel('Voice name')
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId('name')
            .setStyle(TextInputStyle.Short)
            .setMinLength(3)
            .setMaxLength(20),
        ),
      new LabelBuilder()
        .setLabel('Model')
        .setStringSelectMenuComponent(
          new StringSelectMenuBuilder()
            .setCustomId('model')
            .addOptions({ label: 'Turbo', value: 'turbo' }, { label: 'HD', value: 'hd' }),
        ),
      new LabelBuilder()
        .setLabel('Note')
        .setTextInputComponent(
          new TextInputBuilder().setCustomId('note').setStyle(TextInputStyle.Paragraph).setRequired(false),
        ),
    );
}

describe('modals', () => {
  it('records the modal a command opened and delivers its submission to the client', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const received = nextCommand(client);
    const opened = standIn.dispatchChatInputCommand({ name: 'clone', locale: 'zh-CN' });
    const command = await received;
    expect(() => standIn.dispatchModalSubmit(opened, {})).toThrow(/not answered with a modal/);

    await command.showModal(cloneModal());
    expect((await opened.callback()).body).toMatchObject({ type: InteractionResponseType.Modal });
    const modal = opened.modal();
    expect(modal).toMatchObject({ custom_id: 'clone:modal', title: 'Clone this voice' });
    // Numbered like message components, so the submission can echo the ids.
    expect(modal?.components).toMatchObject([
      { type: ComponentType.TextDisplay, id: 1 },
      {
        type: ComponentType.Label,
        id: 2,
        component: { type: ComponentType.TextInput, id: 3, custom_id: 'name' },
      },
      { type: ComponentType.Label, id: 4, component: { type: ComponentType.StringSelect, id: 5 } },
      { type: ComponentType.Label, id: 6, component: { custom_id: 'note' } },
    ]);
    expect(opened.originalMessage()).toBeUndefined();

    // What a user could not submit is a mistake in the test, said as such.
    expect(() => standIn.dispatchModalSubmit(opened, { model: 'hd' })).toThrow(/"name" is required/);
    expect(() => standIn.dispatchModalSubmit(opened, { name: 'Al', model: 'hd' })).toThrow(
      /3 to 20 characters, not 2/,
    );
    expect(() => standIn.dispatchModalSubmit(opened, { name: 'Alice', model: 'lofi' })).toThrow(/no lofi/);
    expect(() => standIn.dispatchModalSubmit(opened, { name: 'Alice', model: 'hd', age: '3' })).toThrow(
      /no input age \(it has: name, model, note\)/,
    );

    const submitted = nextInteraction(client, isModalSubmit, 'a modal submit');
    const submit = standIn.dispatchModalSubmit(opened, { name: 'Alice 🎤', model: 'hd' });
    const interaction = await submitted;
    expect(interaction.id).toBe(submit.id);
    expect(interaction.customId).toBe('clone:modal');
    expect(interaction.fields.getTextInputValue('name')).toBe('Alice 🎤');
    expect(interaction.fields.getTextInputValue('note')).toBe('');
    expect(interaction.fields.getStringSelectValues('model')).toEqual(['hd']);
    expect(interaction.user.id).toBe(command.user.id);
    expect(interaction.locale).toBe('zh-CN');
    expect(interaction.isFromMessage()).toBe(false);
    expect(() => standIn.dispatchModalSubmit(opened, { name: 'Again', model: 'hd' })).toThrow(
      /already submitted/,
    );

    // A modal opened by a command has no message to update.
    const update = client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: InteractionResponseType.UpdateMessage, data: { content: 'nothing to update' } },
      auth: false,
    });
    await expect(update).rejects.toMatchObject({ status: 400, code: 50035 });
    await interaction.reply({ content: 'Cloning Alice…' });
    const callbacks = submit.requests().filter((request) => request.path.endsWith('/callback'));
    expect(callbacks.map((request) => (request.body as { type: number }).type)).toEqual([
      InteractionResponseType.UpdateMessage,
      InteractionResponseType.ChannelMessageWithSource,
    ]);
    expect(submit.originalMessage()).toMatchObject({
      content: 'Cloning Alice…',
      interaction_metadata: {
        id: submit.id,
        type: InteractionType.ModalSubmit,
        triggering_interaction_metadata: { id: opened.id, type: InteractionType.ApplicationCommand },
      },
    });
  });

  it('carries the message of the button that opened the modal, which the submission may update', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const received = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({ name: 'voices' });
    const command = await received;
    await command.reply({ content: 'Voice 42', components: [buttonRow(['say:42', 'Say something'])] });
    await dispatched.callback();

    const clicked = nextInteraction(client, isButton, 'a button');
    const opened = standIn.dispatchButton(dispatched, 'say:42');
    const click = await clicked;
    // The older layout, a text input in an action row, as raw JSON: discord.js builds only labels now.
    await client.rest.post(Routes.interactionCallback(click.id, click.token), {
      body: {
        type: InteractionResponseType.Modal,
        data: {
          custom_id: 'say:42',
          title: 'Say something',
          components: [
            {
              type: ComponentType.ActionRow,
              components: [
                {
                  type: ComponentType.TextInput,
                  custom_id: 'text',
                  label: 'Text',
                  style: TextInputStyle.Paragraph,
                },
              ],
            },
          ],
        },
      },
      auth: false,
    });
    await opened.callback();

    const submitted = nextInteraction(client, isModalSubmit, 'a modal submit');
    const submit = standIn.dispatchModalSubmit(opened, { text: 'Hello there' });
    const interaction = await submitted;
    expect(interaction.fields.getTextInputValue('text')).toBe('Hello there');
    expect(interaction.isFromMessage()).toBe(true);
    expect(interaction.message?.id).toBe(dispatched.originalMessage()?.id);
    if (!interaction.isFromMessage()) throw new Error('unreachable');
    await interaction.update({ content: 'Speaking…', components: [] });
    expect((await submit.callback()).body).toMatchObject({ type: InteractionResponseType.UpdateMessage });
    expect(dispatched.originalMessage()).toMatchObject({ content: 'Speaking…', components: [] });
  });

  it('refuses a modal Discord would refuse', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const received = nextCommand(client);
    const opened = standIn.dispatchChatInputCommand({ name: 'clone' });
    const command = await received;
    const tooLong = new ModalBuilder()
      .setCustomId('clone:modal')
      .setTitle('Clone this voice')
      .addLabelComponents(
        new LabelBuilder()
          .setLabel('Voice name')
          .setTextInputComponent(new TextInputBuilder().setCustomId('name').setStyle(TextInputStyle.Short)),
      )
      .toJSON();
    tooLong.title = 'x'.repeat(46);
    await expect(command.showModal(tooLong)).rejects.toMatchObject({ status: 400, code: 50035 });
    expect(opened.modal()).toBeUndefined();
  });
});

describe('files the bot attaches', () => {
  it('makes the files of an edit and a follow-up readable, as recorded parts and from the CDN', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);
    const received = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({ name: 'say' });
    const command = await received;
    const speech = Buffer.from('ID3 pretend this is speech');
    const again = Buffer.from('ID3 and this is more speech');

    await command.deferReply();
    await command.editReply({ content: 'Here it is', files: [{ attachment: speech, name: 'speech.mp3' }] });
    await command.followUp({ files: [{ attachment: again, name: 'more.mp3', description: 'Second take' }] });

    const edit = await dispatched.waitForEdit((body) => body.content === 'Here it is');
    expect(edit.files).toEqual([
      {
        name: 'files[0]',
        filename: 'speech.mp3',
        size: speech.length,
        contentType: 'audio/mpeg',
        bytes: new Uint8Array(speech),
      },
    ]);
    const [attachment] = dispatched.originalMessage()?.attachments ?? [];
    expect(attachment).toMatchObject({
      filename: 'speech.mp3',
      size: speech.length,
      content_type: 'audio/mpeg',
    });
    expect(Buffer.from(standIn.attachmentBytes(attachment ?? { url: '' }) ?? [])).toEqual(speech);

    const [followUp] = dispatched.followUpMessages();
    expect(followUp?.attachments).toMatchObject([{ filename: 'more.mp3', description: 'Second take' }]);
    const download = await fetch(followUp?.attachments[0]?.url ?? '');
    expect(download.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(again);
    expect(
      standIn.attachmentBytes(new URL('/attachments/1/2/never.mp3', standIn.apiUrl).href),
    ).toBeUndefined();
  });
});
