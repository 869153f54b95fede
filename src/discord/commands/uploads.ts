import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  MessageFlags,
} from 'discord.js';
import type { HistoryFilter, HistoryViewer, UploadHistory } from '../../history/upload-history.ts';
import { catalogueFor, type Catalogue } from '../../i18n/index.ts';
import { isPurpose } from '../../domain/purposes.ts';
import { GuildOnlyError, SearchExpiredError } from '../errors.ts';
import { viewerOf } from '../history-viewer.ts';
import { historyEmbed, NO_MENTIONS } from '../replies.ts';
import { cutText, plainText } from '../safe-text.ts';
import type { ChatInputCommand } from './command.ts';
import { described, guildSlashCommand, purposeOption } from './definitions.ts';

const PAGE_SIZE = 5;

interface Query {
  readonly page: number;
  readonly filter: HistoryFilter;
  /** Where the history keeps `filter` (see SavedSearches). */
  readonly searchKey: string;
}

/**
 * `uploads:<page>:<search key>`, at most 35 characters. The filter itself stays in the history:
 * with a 100-character file name it could never fit into a custom id's 100, and a cut filter would
 * show other uploads on the next page. Kept in SQLite, paging survives a restart.
 */
function pageButtonId(page: number, searchKey: string): string {
  return ['uploads', page, searchKey].join(':');
}

function readPageButton(customId: string): { page: number; searchKey: string } {
  const [, page = '0', searchKey = ''] = customId.split(':');
  return { page: Math.max(0, Math.trunc(Number(page)) || 0), searchKey };
}

function renderPage(
  t: Catalogue,
  history: UploadHistory,
  guildId: string,
  viewer: HistoryViewer,
  query: Query,
) {
  const { total, records } = history.search(
    guildId,
    query.filter,
    { offset: query.page * PAGE_SIZE, limit: PAGE_SIZE },
    viewer,
  );
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const embed = historyEmbed(t, { number: query.page + 1, pages, total }, records);
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(pageButtonId(query.page - 1, query.searchKey))
      .setLabel(t.history.previous)
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(query.page === 0),
    new ButtonBuilder()
      .setCustomId(pageButtonId(query.page + 1, query.searchKey))
      .setLabel(t.history.next)
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(query.page + 1 >= pages),
  );
  return { embeds: [embed], components: [row], allowedMentions: NO_MENTIONS };
}

export const uploadsCommand: ChatInputCommand = {
  data: guildSlashCommand(
    { en: 'uploads', zh: '上传记录' },
    {
      en: "This server's uploaded voice samples and their file_ids, newest first",
      zh: '本服务器上传过的语音样本及其 file_id，最新的在前',
    },
    [
      purposeOption({ en: 'Only this purpose', zh: '只看此用途' }, false, (purpose) => ({
        en: purpose,
        zh: purpose,
      })),
      {
        type: ApplicationCommandOptionType.User,
        ...described(
          { en: 'uploader', zh: '上传者' },
          { en: 'Only uploads by this member', zh: '只看此成员的上传' },
        ),
      },
      {
        type: ApplicationCommandOptionType.String,
        ...described(
          { en: 'file', zh: '文件' },
          { en: 'File name, or part of it', zh: '文件名或其中一部分' },
        ),
        autocomplete: true,
        max_length: 100,
      },
    ],
  ),

  async execute(interaction, { history }) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    if (!interaction.inGuild()) throw new GuildOnlyError();
    const purpose = interaction.options.getString('purpose');
    const filter: HistoryFilter = {
      purpose: purpose && isPurpose(purpose) ? purpose : undefined,
      uploaderId: interaction.options.getUser('uploader')?.id,
      fileName: interaction.options.getString('file') ?? undefined,
    };
    const query = { page: 0, filter, searchKey: history.searches.save(interaction.guildId, filter) };
    await interaction.editReply(
      renderPage(
        catalogueFor(interaction.locale),
        history,
        interaction.guildId,
        viewerOf(interaction),
        query,
      ),
    );
  },

  async autocomplete(interaction, { history }) {
    if (!interaction.inGuild()) return interaction.respond([]);
    const typed = interaction.options.getFocused();
    const names = history.fileNames(interaction.guildId, typed, 25, viewerOf(interaction));
    // Discord caps both at 100 characters: the label is shown, so it is made plain; the value is
    // searched for, so it keeps the name's own characters, cut between graphemes with no ellipsis.
    await interaction.respond(
      names.map((name) => ({ name: plainText(name, 100, 100), value: cutText(name, 100, 100, '') })),
    );
  },

  async button(interaction, { history }) {
    if (!interaction.inGuild()) throw new GuildOnlyError();
    const { page, searchKey } = readPageButton(interaction.customId);
    const filter = history.searches.find(interaction.guildId, searchKey);
    if (filter === undefined) throw new SearchExpiredError();
    await interaction.update(
      renderPage(catalogueFor(interaction.locale), history, interaction.guildId, viewerOf(interaction), {
        page,
        filter,
        searchKey,
      }),
    );
  },
};
