/**
 * The Gateway: a WebSocket upgrade on the stand-in's one port that speaks v10 JSON (with zlib-stream or
 * identify compression) to the real discord.js client: HELLO, IDENTIFY → READY and GUILD_CREATE,
 * heartbeats, RESUME with replay of missed dispatches, and the close codes Discord uses.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { constants as zlibConstants, deflateRawSync, deflateSync } from 'node:zlib';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
} from 'discord-api-types/v10';
import type {
  GatewayDispatchPayload,
  GatewayReadyDispatchData,
  GatewaySendPayload,
} from 'discord-api-types/v10';
import { APPLICATION_FLAGS, guildCreate, makeMember } from './fixtures.ts';
import { asRecord, parseJson } from './narrow.ts';
import type { GatewayConnectionRecord, SessionStart } from './types.ts';
import type { World } from './world.ts';

interface GatewayConnection {
  socket: WebSocket;
  encode: (payload: string) => string | Buffer;
  session: Session | undefined;
}

interface Session {
  id: string;
  sequence: number;
  connection: GatewayConnection | undefined;
  intents: number;
  /** Dispatches kept so a RESUME can replay what the client missed, as Discord does. */
  history: { op: GatewayOpcodes.Dispatch; t: string; s: number; d: unknown }[];
}

export interface GatewayOptions {
  world: World;
  /** The ws:// URL GET /gateway/bot announces. */
  url: string;
  origin: string;
  /** When set, IDENTIFY and RESUME must carry it. */
  token: string | undefined;
  heartbeatIntervalMs: number | undefined;
  /** Called after every session start and refused upgrade, so waits re-check. */
  changed: () => void;
}

export class Gateway {
  readonly connectionLog: GatewayConnectionRecord[] = [];
  /** How each gateway session (re)started, in order. */
  readonly sessionStarts: SessionStart[] = [];
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #connections = new Set<GatewayConnection>();
  readonly #options: GatewayOptions;
  #session: Session | undefined;
  #dropMark: number | undefined;

  constructor(options: GatewayOptions) {
    this.#options = options;
  }

  /** Whether a client identified and asked for this intent. */
  hasIntent(intent: GatewayIntentBits): boolean {
    return this.#session !== undefined && (this.#session.intents & intent) !== 0;
  }

  get identified(): boolean {
    return this.#session !== undefined;
  }

  /** The index in sessionStarts the next start after the latest drop() will take. */
  get dropMark(): number | undefined {
    return this.#dropMark;
  }

  describe(): string {
    const starts = this.sessionStarts.length > 0 ? this.sessionStarts.join(', ') : 'none';
    return `gateway: ${this.#connections.size} open connection(s); session starts: ${starts}`;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', this.#options.origin);
    const record: GatewayConnectionRecord = {
      path: url.pathname,
      query: url.searchParams,
      at: performance.now(),
    };
    this.connectionLog.push(record);
    const rejected = gatewayRequestProblem(url);
    if (rejected !== undefined) {
      record.rejected = rejected;
      const body = JSON.stringify({ message: rejected, code: 0 });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      this.#options.changed();
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      this.#open(ws, url.searchParams.get('compress') === 'zlib-stream');
    });
  }

  /** Sends a dispatch to the session; while the client is away it waits in the history for its RESUME. */
  dispatch(event: GatewayDispatchEvents, data: GatewayDispatchPayload['d'] | null): void {
    const session = this.#session;
    if (session === undefined) {
      throw new Error(
        `cannot dispatch ${event}: no client has identified yet (await waitForIdentify() first)`,
      );
    }
    session.sequence += 1;
    const payload = { op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data } as const;
    session.history.push(payload);
    if (session.connection) this.#send(session.connection, payload);
  }

  /** Without a close code the socket is destroyed (the client sees 1006 and resumes); with one it is closed cleanly. */
  drop(closeCode?: number): void {
    this.#dropMark = this.sessionStarts.length;
    for (const connection of this.#connections) {
      this.#detach(connection);
      if (closeCode === undefined) connection.socket.terminate();
      else connection.socket.close(closeCode, 'dropped by DiscordStandIn');
    }
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => {
      this.#wss.close(() => {
        resolve();
      });
    });
  }

  #open(socket: WebSocket, zlibStream: boolean): void {
    const connection: GatewayConnection = {
      socket,
      encode: zlibStream ? zlibStreamEncoder() : (payload) => payload,
      session: undefined,
    };
    this.#connections.add(connection);
    socket.on('message', (data, isBinary) => {
      this.#onMessage(connection, data, isBinary);
    });
    socket.on('close', () => {
      this.#connections.delete(connection);
      this.#detach(connection);
    });
    // A reset from a client that vanished is expected; 'close' follows and cleans up.
    socket.on('error', () => undefined);
    this.#send(connection, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.#options.heartbeatIntervalMs ?? 41_250 },
    });
  }

  #detach(connection: GatewayConnection): void {
    if (connection.session?.connection === connection) connection.session.connection = undefined;
    connection.session = undefined;
  }

  #onMessage(connection: GatewayConnection, data: RawData, isBinary: boolean): void {
    // Parsed by hand: the client's payload is untrusted until its fields are checked.
    const payload = asRecord(isBinary ? undefined : parseJson(rawDataToString(data)));
    const op = payload?.op as GatewaySendPayload['op'] | undefined;
    const d = asRecord(payload?.d);
    if (op === undefined) {
      connection.socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        this.#send(connection, { op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(connection, d);
        return;
      case GatewayOpcodes.Resume:
        this.#resume(connection, d);
        return;
      default:
        // Presence, voice state and member requests need no answer for the bot's flows.
        return;
    }
  }

  #identify(connection: GatewayConnection, d: Record<string, unknown> | undefined): void {
    if (connection.session) {
      connection.socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    if (!this.#tokenAccepted(d?.token)) {
      connection.socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    if (d?.compress === true) {
      // Identify-compression: every later payload is a complete zlib stream of its own.
      connection.encode = (text) => deflateSync(text);
    }
    const intents = typeof d?.intents === 'number' ? d.intents : 0;
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      sequence: 0,
      connection,
      intents,
      history: [],
    };
    connection.session = session;
    this.#session = session;

    const { world } = this.#options;
    const shard = Array.isArray(d?.shard) ? (d.shard as [number, number]) : undefined;
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: world.botUser,
      guilds: world.guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: `${this.#options.url}/resume`,
      ...(shard ? { shard } : {}),
      application: {
        id: world.applicationId,
        flags: APPLICATION_FLAGS,
        flags_new: APPLICATION_FLAGS.toString(),
      },
    };
    this.dispatch(GatewayDispatchEvents.Ready, ready);
    // Without the GUILDS intent Discord never sends GUILD_CREATE; neither do we.
    if ((intents & GatewayIntentBits.Guilds) !== 0) {
      for (const guild of world.guilds) {
        const members = [
          makeMember(world.botUser, [guild.botRoleId], guild.joinedAt),
          makeMember(world.owner, [], guild.joinedAt),
        ];
        this.dispatch(
          GatewayDispatchEvents.GuildCreate,
          guildCreate(guild, world.guildRoles(guild), members),
        );
      }
    }
    this.sessionStarts.push('identify');
    this.#options.changed();
  }

  #resume(connection: GatewayConnection, d: Record<string, unknown> | undefined): void {
    const session = this.#session;
    if (!this.#tokenAccepted(d?.token) || session === undefined || d?.session_id !== session.id) {
      this.#send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    const seen = typeof d.seq === 'number' ? d.seq : 0;
    if (session.connection && session.connection !== connection) this.#detach(session.connection);
    connection.session = session;
    session.connection = connection;
    for (const missed of session.history) {
      if (missed.s > seen) this.#send(connection, missed);
    }
    this.dispatch(GatewayDispatchEvents.Resumed, null);
    this.sessionStarts.push('resume');
    this.#options.changed();
  }

  #tokenAccepted(token: unknown): boolean {
    if (typeof token !== 'string' || token === '') return false;
    const expected = this.#options.token;
    return expected === undefined || token === expected || token === `Bot ${expected}`;
  }

  #send(connection: GatewayConnection, payload: object): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.socket.send(connection.encode(JSON.stringify(payload)));
  }
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

/** Gateway query parameters discord.js may send; anything else is refused so a mismatch is loud. */
function gatewayRequestProblem(url: URL): string | undefined {
  if (url.pathname !== '/' && url.pathname !== '/resume') return `no gateway at ${url.pathname}`;
  const version = url.searchParams.get('v');
  if (version !== '10') return `gateway version ${String(version)} is not supported (v=10 only)`;
  const encoding = url.searchParams.get('encoding') ?? 'json';
  if (encoding !== 'json') return `encoding=${encoding} is not supported (json only)`;
  const compress = url.searchParams.get('compress');
  if (compress !== null && compress !== 'zlib-stream')
    return `compress=${compress} is not supported (zlib-stream only)`;
  return undefined;
}

/**
 * Transport compression as zlib-sync expects it: one zlib stream per connection, each payload ending in a
 * sync flush (00 00 ff ff). Compressing every payload independently keeps this synchronous; the
 * concatenation is still one valid stream because no payload refers back to an earlier one.
 */
function zlibStreamEncoder(): (text: string) => Buffer {
  let headerSent = false;
  return (text) => {
    const blocks = deflateRawSync(text, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    if (headerSent) return blocks;
    headerSent = true;
    return Buffer.concat([Buffer.from([0x78, 0x9c]), blocks]);
  };
}
