import { describe, expect, it } from 'vitest';

import {
  ActionRowBuilder,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  StringSelectMenuBuilder,
} from 'discord.js';

import {
  buttonRow,
  connectClient,
  isButton,
  isStringSelect,
  nextCommand,
  nextInteraction,
  startStandIn,
} from '../support/stand-in-client.ts';

describe('DiscordStandIn, message components: buttons and select menus', () => {
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
});
