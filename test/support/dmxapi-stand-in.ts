import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the stand-in answers one request; requests take scripts in order, then `success`. */
export type DmxapiScript =
  | {
      readonly kind: 'success';
      readonly fileId?: string;
      readonly delayMs?: number;
      /** Unix seconds; like the real service, the present by default. */
      readonly createdAt?: number;
    }
  | {
      readonly kind: 'reply';
      readonly status: number;
      /** A function builds the body from the request's headers, as a relay that echoes them would. */
      readonly body: string | Record<string, unknown> | ((headers: IncomingHttpHeaders) => string | object);
      readonly headers?: Record<string, string>;
    }
  | { readonly kind: 'hang' }
  | { readonly kind: 'reset' };

export interface ReceivedUpload {
  readonly at: number;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: IncomingHttpHeaders;
  /** Bytes of the request body as received. */
  readonly bodyBytes: number;
  /** The parsed JSON with `dataf` replaced by its decoded length, for checking the shape. */
  readonly json: Record<string, unknown> | undefined;
  /** sha256 (hex) of the base64-decoded `dataf`. */
  readonly sha256: string | undefined;
  readonly decodedBytes: number;
}

/** A local DMXAPI `/v1/responses`, scripted per request, that checks what the bot really sends. */
export class DmxapiStandIn {
  readonly received: ReceivedUpload[] = [];
  readonly #server: Server;
  readonly #scripts: DmxapiScript[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #hanging = new Set<ServerResponse>();
  readonly #waiters: { count: number; resolve: () => void }[] = [];
  #nextFileId = 365865350209649n;

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Listens on `port` (default: any free one) on 127.0.0.1. */
  static async start(port = 0): Promise<DmxapiStandIn> {
    const server = createServer();
    const standIn = new DmxapiStandIn(server);
    server.on('connection', (socket) => {
      standIn.#sockets.add(socket);
      socket.once('close', () => standIn.#sockets.delete(socket));
    });
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () =>
        standIn.#answer(request.method, request.url, request.headers, Buffer.concat(chunks), response),
      );
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return standIn;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  script(...scripts: DmxapiScript[]): void {
    this.#scripts.push(...scripts);
  }

  /** Drops scripts no request used, so one test's leftovers never answer the next test's upload. */
  clearScripts(): void {
    this.#scripts.length = 0;
  }

  async waitForRequests(count: number): Promise<void> {
    if (this.received.length >= count) return;
    await new Promise<void>((resolve) => this.#waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #answer(
    method: string | undefined,
    path: string | undefined,
    headers: IncomingHttpHeaders,
    body: Buffer,
    response: ServerResponse,
  ): void {
    this.#record(method, path, headers, body);
    const script = this.#scripts.shift() ?? { kind: 'success' };
    switch (script.kind) {
      case 'success': {
        const fileId = script.fileId ?? String(this.#nextFileId++);
        const received = this.received.at(-1);
        // Written by hand so a file_id above 2^53 goes out as the bare JSON number DMXAPI sends.
        const json = `{"file":{"file_id":${fileId},"bytes":${received?.decodedBytes ?? 0},"created_at":${script.createdAt ?? Math.floor(Date.now() / 1000)},"filename":"audio.mp3","purpose":"${String((received?.json?.input as { purpose?: string }[] | undefined)?.[0]?.purpose)}"},"base_resp":{"status_code":0,"status_msg":"success"},"usage":{"total_tokens":203,"input_tokens":0,"input_tokens_details":{"cached_tokens":0},"output_tokens":203,"output_tokens_details":{"reasoning_tokens":0}}}`;
        const send = () => response.writeHead(200, { 'content-type': 'application/json' }).end(json);
        if (script.delayMs) setTimeout(send, script.delayMs);
        else send();
        return;
      }
      case 'reply': {
        const body = typeof script.body === 'function' ? script.body(headers) : script.body;
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        response
          .writeHead(script.status, { 'content-type': 'application/json', ...script.headers })
          .end(text);
        return;
      }
      case 'hang':
        this.#hanging.add(response);
        return;
      case 'reset':
        response.socket?.resetAndDestroy();
        return;
    }
  }

  #record(
    method: string | undefined,
    path: string | undefined,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): void {
    let json: Record<string, unknown> | undefined;
    let sha256: string | undefined;
    let decodedBytes = 0;
    try {
      const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (typeof parsed.dataf === 'string') {
        const decoded = Buffer.from(parsed.dataf, 'base64');
        sha256 = createHash('sha256').update(decoded).digest('hex');
        decodedBytes = decoded.length;
        parsed.dataf = `<${decodedBytes} bytes>`;
      }
      json = parsed;
    } catch {
      json = undefined;
    }
    this.received.push({
      at: performance.now(),
      method,
      path,
      headers,
      bodyBytes: body.length,
      json,
      sha256,
      decodedBytes,
    });
    for (const waiter of [...this.#waiters]) {
      if (this.received.length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A port on 127.0.0.1 that nothing listens on: connecting to it is refused. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
