import { once } from 'node:events';
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { WebSocket } from 'ws';
import { Client, Events, GatewayIntentBits, GatewayOpcodes } from 'discord.js';

import { DiscordStandIn } from '../support/discord-stand-in/index.ts';

import { connectClient, nextCommand, startStandIn } from '../support/stand-in-client.ts';

/** Sockets and listening servers of this process; what a clean shutdown must leave at zero. */
function openTcpHandles(): string[] {
  return process.getActiveResourcesInfo().filter((resource) => resource.startsWith('TCP'));
}

describe('DiscordStandIn, the gateway: login, resume, compression and a clean close', () => {
  it('lets the client log in over plain JSON and caches the guild from GUILD_CREATE', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);

    const [guildId] = standIn.guildIds;
    expect(client.user?.id).toBe(standIn.applicationId);
    expect(client.application?.id).toBe(standIn.applicationId);
    expect(client.guilds.cache.get(guildId ?? '')?.channels.cache.size).toBe(1);
    expect(client.guilds.cache.get(guildId ?? '')?.members.me?.roles.cache.size).toBe(2);
    expect(standIn.identifyCount).toBe(1);

    const gatewayInfo = standIn.requests.find((request) => request.path === '/api/v10/gateway/bot');
    expect(gatewayInfo?.headers.authorization).toBe('Bot test-token');
    // Without zlib-sync installed, discord.js asks for neither transport nor identify compression.
    const [connection] = standIn.gatewayConnections;
    expect(Object.fromEntries(connection?.query ?? [])).toEqual({ v: '10', encoding: 'json' });
  });

  it('survives dropGateway(): the client resumes and gets what was dispatched meanwhile', async () => {
    const standIn = await startStandIn();
    const client = await connectClient(standIn);

    const before = nextCommand(client);
    standIn.dispatchChatInputCommand({ name: 'ping' });
    await (await before).reply('pong');

    const droppedAt = performance.now();
    standIn.dropGateway();
    // Sent while no socket is open; Discord replays it on RESUME, and so does the stand-in.
    const afterDrop = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({ name: 'ping' });

    await expect(standIn.waitForReconnect()).resolves.toBe('resume');
    const interaction = await afterDrop;
    expect(interaction.id).toBe(dispatched.id);
    await interaction.reply('pong again');
    await dispatched.callback();

    const later = nextCommand(client);
    const third = standIn.dispatchChatInputCommand({ name: 'ping' });
    await (await later).deferReply();
    await third.callback();

    expect([standIn.identifyCount, standIn.resumeCount]).toEqual([1, 1]);
    expect(standIn.gatewayConnections.at(-1)?.path).toBe('/resume');
    // discord.js waits a fixed 500 ms before reconnecting; anything near its 5 s identify spacing is a bug.
    expect(performance.now() - droppedAt).toBeLessThan(2000);
  });

  it('speaks zlib-stream when a client asks for it (discord.js does once zlib-sync is installed)', async () => {
    const standIn = await startStandIn();
    const socket = new WebSocket(`${standIn.gatewayUrl}/?v=10&encoding=json&compress=zlib-stream`);
    onTestFinished(() => {
      socket.terminate();
    });
    const frames: Buffer[] = [];
    const decoded: unknown[] = [];
    const { promise: threeDecoded, resolve } = Promise.withResolvers<unknown[]>();
    socket.on('message', (data: Buffer) => {
      // One zlib context spans the connection: each frame only decodes after the ones before it.
      const previous = inflateSync(Buffer.concat(frames), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).length;
      frames.push(data);
      const all = inflateSync(Buffer.concat(frames), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      decoded.push(JSON.parse(all.subarray(previous).toString('utf8')));
      if (decoded.length === 3) resolve(decoded);
      if (decoded.length === 1) {
        socket.send(
          JSON.stringify({
            op: GatewayOpcodes.Identify,
            d: { token: 'test-token', intents: GatewayIntentBits.Guilds, properties: {} },
          }),
        );
      }
    });

    await standIn.waitForIdentify();
    expect(await threeDecoded).toMatchObject([
      { op: GatewayOpcodes.Hello },
      { t: 'READY', s: 1 },
      { t: 'GUILD_CREATE', s: 2 },
    ]);
  });

  it('leaves no sockets or servers behind after client.destroy() and close()', async () => {
    const standIn = await DiscordStandIn.start();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standIn.apiUrl } });
    const ready = once(client, Events.ClientReady);
    await client.login('test-token');
    await ready;
    const received = nextCommand(client);
    const dispatched = standIn.dispatchChatInputCommand({ name: 'ping' });
    await (await received).reply('pong');
    await dispatched.callback();
    void fetch(standIn.serveAttachment('hang.mp3', new Uint8Array(1), { hang: true })).catch(() => undefined);
    await standIn.waitForRequest((request) => request.path.endsWith('/hang.mp3'));

    await client.destroy();
    await standIn.close();

    // Client-side sockets finish closing a moment after the server drops them.
    await vi.waitFor(() => {
      expect(openTcpHandles()).toEqual([]);
    });
  });
});
