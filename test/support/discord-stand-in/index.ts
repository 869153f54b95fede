/**
 * The Discord stand-in tests use: one local server that the real discord.js client logs in to.
 *
 * - stand-in.ts: DiscordStandIn, the public API (start, dispatch interactions, post messages, wait, close);
 * - server.ts: the one port, request recording, and the split between REST and CDN;
 * - rest/: the REST API (application and commands, interaction callbacks and webhooks, channels);
 * - gateway.ts: the WebSocket gateway; cdn.ts: attachment downloads;
 * - interactions.ts: INTERACTION_CREATE payloads; dispatched.ts: the handle a test waits on;
 * - messages.ts, validation/: how messages are built, edited and checked against Discord's limits;
 * - world.ts, fixtures.ts: the guilds, users, channels and messages the stand-in holds.
 */
export { DiscordStandIn } from './stand-in.ts';
export type * from './types.ts';
