/** A real discord.js Client logged in to a DiscordStandIn, and waits for what it receives. */
import { once } from 'node:events';
import { onTestFinished } from 'vitest';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, Client, Events, GatewayIntentBits } from 'discord.js';
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
  StringSelectMenuInteraction,
} from 'discord.js';
import { DiscordStandIn } from './discord-stand-in/index.ts';

/** A stand-in closed when the test finishes. */
export async function startStandIn(): Promise<DiscordStandIn> {
  const standIn = await DiscordStandIn.start();
  onTestFinished(() => standIn.close());
  return standIn;
}

export async function connectClient(standIn: DiscordStandIn): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } });
  // Registered after the stand-in's close, so it runs first: a client left connected would reconnect.
  onTestFinished(() => client.destroy());
  const ready = once(client, Events.ClientReady);
  await client.login('test-token');
  await ready;
  return client;
}

export function nextCommand(client: Client): Promise<ChatInputCommandInteraction> {
  return nextInteraction(client, isChatInput, 'a chat-input command');
}

export function nextInteraction<T extends Interaction>(
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

export const isChatInput = (i: Interaction): i is ChatInputCommandInteraction => i.isChatInputCommand();
export const isMessageCommand = (i: Interaction): i is MessageContextMenuCommandInteraction =>
  i.isMessageContextMenuCommand();
export const isButton = (i: Interaction): i is ButtonInteraction => i.isButton();
export const isStringSelect = (i: Interaction): i is StringSelectMenuInteraction => i.isStringSelectMenu();
export const isAutocomplete = (i: Interaction): i is AutocompleteInteraction => i.isAutocomplete();
export const isModalSubmit = (i: Interaction): i is ModalSubmitInteraction => i.isModalSubmit();

export function buttonRow(...buttons: [customId: string, label: string][]): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    buttons.map(([customId, label]) =>
      new ButtonBuilder().setCustomId(customId).setLabel(label).setStyle(ButtonStyle.Primary),
    ),
  );
}
