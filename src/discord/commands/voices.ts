import {
  ActionRowBuilder,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonBuilder,
  ButtonStyle,
  InteractionContextType,
  MessageFlags,
} from 'discord.js';
import type { VoiceStore } from '../../history/voice-store.ts';
import { catalogueFor, type Catalogue } from '../../i18n/index.ts';
import { GuildOnlyError } from '../errors.ts';
import { NO_MENTIONS } from '../replies.ts';
import { VOICES_PER_PAGE, voicesPageEmbed } from '../voice-replies.ts';
import type { ChatInputCommand } from './command.ts';

/** `voices:<page>`: the page is all a button needs; who may see what is decided again on each click. */
function pageButton(page: number, label: string, disabled: boolean) {
  return new ButtonBuilder()
    .setCustomId(`voices:${page}`)
    .setLabel(label)
    .setStyle(ButtonStyle.Secondary)
    .setDisabled(disabled);
}

function renderPage(
  t: Catalogue,
  voices: VoiceStore,
  guildId: string,
  viewerId: string,
  requestedPage: number,
  nowSeconds: number,
) {
  const viewer = { userId: viewerId };
  const pageAt = (index: number) =>
    voices.list(guildId, viewer, { offset: index * VOICES_PER_PAGE, limit: VOICES_PER_PAGE });
  let index = Math.max(0, requestedPage);
  let { total, voices: shown } = pageAt(index);
  const pages = Math.max(1, Math.ceil(total / VOICES_PER_PAGE));
  // A page past the end (voices became private or the list shrank since the button was drawn).
  if (index >= pages) ({ total, voices: shown } = pageAt((index = pages - 1)));
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    pageButton(index - 1, t.voices.previous, index === 0),
    pageButton(index + 1, t.voices.next, index + 1 >= pages),
  );
  return {
    embeds: [voicesPageEmbed(t, shown, { index, pages, total }, nowSeconds)],
    components: [row],
    allowedMentions: NO_MENTIONS,
  };
}

export const voicesCommand: ChatInputCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'voices',
    name_localizations: { 'zh-CN': '音色列表' },
    description: "This server's cloned voices, newest first, and which are about to be deleted",
    description_localizations: { 'zh-CN': '本服务器复刻的音色（最新的在前），以及哪些即将被删除' },
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  },

  async execute(interaction, { voices, clock }) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    if (!interaction.inGuild()) throw new GuildOnlyError();
    const t = catalogueFor(interaction.locale);
    const now = Math.floor(clock.now() / 1000);
    await interaction.editReply(renderPage(t, voices, interaction.guildId, interaction.user.id, 0, now));
  },

  async button(interaction, { voices, clock }) {
    if (!interaction.inGuild()) throw new GuildOnlyError();
    const page = Number(interaction.customId.split(':')[1]);
    const t = catalogueFor(interaction.locale);
    const now = Math.floor(clock.now() / 1000);
    await interaction.update(
      renderPage(t, voices, interaction.guildId, interaction.user.id, Number.isInteger(page) ? page : 0, now),
    );
  },
};
