/**
 * The stand-in's one port on 127.0.0.1: every HTTP request is read, recorded and handed to the REST API
 * (under /api/v10) or the CDN (anything else); WebSocket upgrades go to the gateway.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { API_PREFIX } from './fixtures.ts';
import { describeError, parseJson } from './narrow.ts';
import type { ApiReply } from './rest/router.ts';
import type { RecordedFile, RecordedRequest } from './types.ts';

export interface PortHandlers {
  /** Answers a request under /api/v10; `path` is what follows the prefix. */
  api(request: RecordedRequest, path: string): ApiReply;
  /** Serves a CDN path; false when nothing is there. */
  cdn(pathname: string, response: ServerResponse): boolean;
  record(request: RecordedRequest): void;
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface StandInPort {
  readonly port: number;
  readonly origin: string;
  /** Routes requests to `handlers` from now on. */
  attach(handlers: PortHandlers): void;
  close(): Promise<void>;
}

export async function openPort(): Promise<StandInPort> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    attach(handlers) {
      server.on('request', (request: IncomingMessage, response: ServerResponse) => {
        handleHttp(origin, handlers, request, response).catch((error: unknown) => {
          // A bug in the stand-in must surface in the bot's error path, not as a hung request.
          if (response.headersSent) response.destroy();
          else
            sendJson(response, 500, { message: `DiscordStandIn failed: ${describeError(error)}`, code: 0 });
        });
      });
      server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        handlers.upgrade(request, socket, head);
      });
    },
    close: () => closeServer(server),
  };
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

async function handleHttp(
  origin: string,
  handlers: PortHandlers,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const at = performance.now();
  const url = new URL(request.url ?? '/', origin);
  const { body, files } = await parseBody(await readAll(request), request.headers['content-type']);
  const recorded: RecordedRequest = {
    method: request.method ?? 'GET',
    path: decodePath(url.pathname),
    query: url.searchParams,
    at,
    headers: request.headers,
    body,
    files,
  };

  if (recorded.path.startsWith(`${API_PREFIX}/`)) {
    // State changes before the request is published, so a test woken by it sees their effect.
    const reply = handlers.api(recorded, recorded.path.slice(API_PREFIX.length));
    handlers.record(recorded);
    sendJson(response, reply.status, reply.body);
    return;
  }

  handlers.record(recorded);
  if (!handlers.cdn(url.pathname, response)) sendJson(response, 404, { message: '404: Not Found', code: 0 });
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON, or multipart with a `payload_json` part and `files[n]` parts (how discord.js sends attachments). */
async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'multipart/form-data' && contentType !== undefined) {
    // Deprecated for untrusted server input; for a test's own bot, the platform parser beats a hand-rolled one.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    let body: unknown;
    const files: RecordedFile[] = [];
    for (const [name, value] of form) {
      if (typeof value === 'string') {
        if (name === 'payload_json') body = parseJson(value) ?? value;
        continue;
      }
      files.push({
        name,
        filename: value.name,
        size: value.size,
        contentType: value.type,
        bytes: new Uint8Array(await value.arrayBuffer()),
      });
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  return { body: mediaType === 'application/json' ? (parseJson(text) ?? text) : text, files: [] };
}

/** discord.js percent-encodes path segments (`@original` arrives as `%40original`). */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function sendJson(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
