/** The objects Discord would hold for a test: ids, users, members, roles, guilds and their text channel. */
import {
  ApplicationFlags,
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageFlags,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import type {
  APIGuildMember,
  APIRole,
  APITextChannel,
  APIUser,
  GatewayGuildCreateDispatchData,
  GuildMemberFlags,
  RoleFlags,
} from 'discord-api-types/v10';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const API_PREFIX = '/api/v10';
export const DEFAULT_USER_ID = '300000000000000001';
export const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;
export const APPLICATION_FLAGS = ApplicationFlags.ApplicationCommandBadge;
const GUILD_TEXT_CHANNEL_NAME = 'general';

export const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak;
export const BOT_ROLE_PERMISSIONS = EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageMessages;
/** What a bot may do in its DM with a user. */
export const DM_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands;
/** Flags a bot may set on a channel message; Discord ignores the rest. */
export const CHANNEL_MESSAGE_FLAGS =
  MessageFlags.SuppressEmbeds |
  MessageFlags.SuppressNotifications |
  MessageFlags.IsVoiceMessage |
  MessageFlags.IsComponentsV2;

export interface GuildFixture {
  id: string;
  name: string;
  ownerId: string;
  textChannelId: string;
  botRoleId: string;
  joinedAt: string;
  /** Roles besides @everyone and the bot's managed role. */
  roles: APIRole[];
}

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

export function snowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | snowflakeIncrement).toString();
}

/** Gives an unregistered command the same id in every dispatch, as a registered one would have. */
export function stableId(name: string): string {
  let hash = 0n;
  for (const char of name) hash = (hash * 31n + BigInt(char.codePointAt(0) ?? 0)) & 0x3fffffn;
  return ((1_000_000_000n << 22n) | hash).toString();
}

export function makeBotUser(id: string): APIUser {
  return {
    id,
    username: 'stand-in-bot',
    discriminator: '4721',
    global_name: null,
    avatar: null,
    bot: true,
    verified: true,
    mfa_enabled: true,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export function makeUser(id: string, username: string): APIUser {
  return {
    id,
    username,
    discriminator: '0',
    global_name: username,
    avatar: null,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export function makeMember(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the empty bitfield has no member
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function makeRole(id: string, name: string, permissions: bigint, position: number): APIRole {
  return {
    id,
    name,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- Discord still sends it
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the empty bitfield has no member
    flags: 0 as RoleFlags,
  };
}

const CONTENT_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  m4a: 'audio/mp4',
  flac: 'audio/flac',
  aac: 'audio/aac',
  mp4: 'video/mp4',
  webm: 'video/webm',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
};

export function guessContentType(fileName: string): string {
  const extension = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

export function textChannel(guild: GuildFixture): APITextChannel {
  return {
    id: guild.textChannelId,
    type: ChannelType.GuildText,
    guild_id: guild.id,
    name: GUILD_TEXT_CHANNEL_NAME,
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    default_thread_rate_limit_per_user: 0,
    default_auto_archive_duration: ThreadAutoArchiveDuration.ThreeDays,
  };
}

/** The GUILD_CREATE a client with the GUILDS intent gets for `guild` right after READY. */
export function guildCreate(
  guild: GuildFixture,
  roles: APIRole[],
  members: APIGuildMember[],
): GatewayGuildCreateDispatchData {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.textChannelId,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: Locale.EnglishUS,
    nsfw_level: GuildNSFWLevel.Default,
    hub_type: null,
    incidents_data: null,
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members,
    channels: [textChannel(guild)],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
