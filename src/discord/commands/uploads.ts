import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  MessageFlags,
} from 'discord.js';
import type { HistoryFilter, UploadHistory } from '../../history/upload-history.ts';
import { catalogueFor, type Catalogue } from '../../i18n/index.ts';
import { isPurpose } from '../../domain/purposes.ts';
import { GuildOnlyError } from '../errors.ts';
import { historyEmbed, NO_MENTIONS } from '../replies.ts';
import { cutText, plainText } from '../safe-text.ts';
import type { ChatInputCommand } from './command.ts';
import { described, guildSlashCommand, purposeOption } from './definitions.ts';

const PAGE_SIZE = 5;
/** Discord caps a custom id at 100 characters; the file-name filter gets what the rest leaves. */
const MAX_QUERY_IN_BUTTON = 60;

interface Query {
  readonly page: number;
  readonly filter: HistoryFilter;
}

/** Buttons carry the whole query, so paging needs no state on the bot and survives a restart. */
function encodeQuery({ page, filter }: Query): string {
  return [
    'uploads',
    page,
    filter.purpose ?? '',
    filter.uploaderId ?? '',
    cutText(filter.fileName ?? '', MAX_QUERY_IN_BUTTON, MAX_QUERY_IN_BUTTON, ''),
  ].join(':');
}

function decodeQuery(customId: string): Query {
  const [, page = '0', purpose = '', uploaderId = '', ...fileName] = customId.split(':');
  return {
    page: Math.max(0, Number(page) || 0),
    filter: {
      purpose: isPurpose(purpose) ? purpose : undefined,
      uploaderId: uploaderId || undefined,
      fileName: fileName.join(':') || undefined,
    },
  };
}

function renderPage(t: Catalogue, history: UploadHistory, guildId: string, query: Query) {
  const { total, records } = history.search(guildId, query.filter, {
    offset: query.page * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const embed = historyEmbed(t, { number: query.page + 1, pages, total }, records);
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(encodeQuery({ ...query, page: query.page - 1 }))
      .setLabel(t.history.previous)
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(query.page === 0),
    new ButtonBuilder()
      .setCustomId(encodeQuery({ ...query, page: query.page + 1 }))
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
    const query: Query = {
      page: 0,
      filter: {
        purpose: purpose && isPurpose(purpose) ? purpose : undefined,
        uploaderId: interaction.options.getUser('uploader')?.id,
        fileName: interaction.options.getString('file') ?? undefined,
      },
    };
    await interaction.editReply(
      renderPage(catalogueFor(interaction.locale), history, interaction.guildId, query),
    );
  },

  async autocomplete(interaction, { history }) {
    if (!interaction.inGuild()) return interaction.respond([]);
    const typed = interaction.options.getFocused();
    const names = history.fileNames(interaction.guildId, typed, 25);
    // Discord caps both at 100 characters: the label is shown, so it is made plain; the value is
    // searched for, so it keeps the name's own characters, cut between graphemes with no ellipsis.
    await interaction.respond(
      names.map((name) => ({ name: plainText(name, 100, 100), value: cutText(name, 100, 100, '') })),
    );
  },

  async button(interaction, { history }) {
    if (!interaction.inGuild()) throw new GuildOnlyError();
    await interaction.update(
      renderPage(
        catalogueFor(interaction.locale),
        history,
        interaction.guildId,
        decodeQuery(interaction.customId),
      ),
    );
  },
};
