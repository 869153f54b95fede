import { Options, type ClientOptions, type GuildMember, type User } from 'discord.js';

const isSelf = (entity: GuildMember | User): boolean => entity.id === entity.client.user.id;

/**
 * What discord.js keeps in memory. The bot answers interactions, which carry their member, user and
 * target message, so it needs guilds, channels and roles (permissions) and its own member, and
 * nothing else: every other cache would only grow with the servers it is in. Guilds, channels, roles
 * and permission overwrites cannot be limited in discord.js and are left alone.
 */
export const CLIENT_CACHE: Pick<ClientOptions, 'makeCache' | 'sweepers'> = {
  makeCache: Options.cacheWithLimits({
    MessageManager: 0,
    GuildMemberManager: { maxSize: 0, keepOverLimit: isSelf },
    UserManager: { maxSize: 0, keepOverLimit: isSelf },
    ThreadMemberManager: 0,
    PresenceManager: 0,
    VoiceStateManager: 0,
    ReactionManager: 0,
    ReactionUserManager: 0,
    GuildEmojiManager: 0,
    GuildStickerManager: 0,
    StageInstanceManager: 0,
    GuildScheduledEventManager: 0,
    GuildInviteManager: 0,
    GuildBanManager: 0,
    AutoModerationRuleManager: 0,
    ApplicationCommandManager: 0,
  }),
  sweepers: Options.DefaultSweeperSettings,
};
