import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonBuilder,
  ButtonStyle,
  codeBlock,
  EmbedBuilder,
  hyperlink,
  InteractionContextType,
  MessageFlags,
  time,
  TimestampStyles,
} from 'discord.js';
import type { HistoryFilter, UploadHistory } from '../../history/upload-history.ts';
import { catalogueFor, type Catalogue } from '../../i18n/index.ts';
import { isPurpose } from '../../domain/purposes.ts';
import { GuildOnlyError } from '../errors.ts';
import { displayFileName, NO_MENTIONS } from '../replies.ts';
import type { ChatInputCommand } from './command.ts';

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
    (filter.fileName ?? '').slice(0, MAX_QUERY_IN_BUTTON),
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
  const embed = new EmbedBuilder()
    .setColor(0x5865f2)
    .setTitle(t.history.title)
    .setFooter({ text: t.history.footer(query.page + 1, pages, total) });
  if (records.length === 0) embed.setDescription(t.history.empty);
  for (const record of records) {
    const details = [
      `\`${record.purpose}\``,
      t.duration.measured(record.durationSeconds),
      t.history.by(record.uploaderName),
      time(new Date(record.createdAt * 1000), TimestampStyles.RelativeTime),
      record.messageUrl ? hyperlink(t.history.jump, record.messageUrl) : undefined,
    ].filter(Boolean);
    embed.addFields({
      name: displayFileName(record.fileName).slice(0, 256),
      value: `${codeBlock(record.fileId)}${details.join(' · ')}`,
    });
  }
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
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'uploads',
    name_localizations: { 'zh-CN': '上传记录' },
    description: "This server's uploaded voice samples and their file_ids, newest first",
    description_localizations: { 'zh-CN': '本服务器上传过的语音样本及其 file_id，最新的在前' },
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'purpose',
        name_localizations: { 'zh-CN': '用途' },
        description: 'Only this purpose',
        description_localizations: { 'zh-CN': '只看此用途' },
        choices: [
          { name: 'voice_clone', value: 'voice_clone' },
          { name: 'prompt_audio', value: 'prompt_audio' },
        ],
      },
      {
        type: ApplicationCommandOptionType.User,
        name: 'uploader',
        name_localizations: { 'zh-CN': '上传者' },
        description: 'Only uploads by this member',
        description_localizations: { 'zh-CN': '只看此成员的上传' },
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'file',
        name_localizations: { 'zh-CN': '文件' },
        description: 'File name, or part of it',
        description_localizations: { 'zh-CN': '文件名或其中一部分' },
        autocomplete: true,
        max_length: 100,
      },
    ],
  },

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
    await interaction.respond(names.map((name) => ({ name: name.slice(0, 100), value: name.slice(0, 100) })));
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
