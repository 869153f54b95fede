import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkAttachmentUrl,
  downloadAttachment,
  downloadToFile,
  releaseDownload,
  type DownloadOptions,
} from '../src/pipeline/download.ts';
import {
  AttachmentUrlRejectedError,
  DownloadHttpError,
  DownloadTimeoutError,
  DownloadTooLargeError,
} from '../src/pipeline/errors.ts';
import { tempDir } from './support/temp-dir.ts';

type Handler = (response: ServerResponse) => void;

let server: Server;
let handler: Handler;
let connections: number;
let bytesSent: number;
const sockets = new Set<Socket>();
let base: string;

beforeEach(async () => {
  connections = 0;
  bytesSent = 0;
  server = createServer((_request, response) => handler(response));
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const options = { allowedHosts: ['127.0.0.1'], maxBytes: 1024 * 1024, timeoutMs: 5000 };
let dir: Awaited<ReturnType<typeof tempDir>>;
let files = 0;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

/** Downloads into a fresh file of the test's temp directory. */
function download(url: string, opts: DownloadOptions) {
  return downloadToFile(url, join(dir.path, `download-${files++}`), opts);
}

describe('downloadToFile', () => {
  it('downloads from an allowed host and reports progress', async () => {
    const file = Buffer.alloc(300_000, 7);
    handler = (response) => response.end(file);
    const progress: number[] = [];
    const { path, size, sha256 } = await download(`${base}/attachments/1/2/voice.mp3`, {
      ...options,
      onProgress: (received) => progress.push(received),
    });
    expect((await readFile(path)).equals(file)).toBe(true);
    expect(size).toBe(file.length);
    expect(sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(progress.at(-1)).toBe(file.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('writes a file of several write batches whole and in order, sent in odd-sized pieces', async () => {
    const file = randomBytes(3_500_000);
    handler = (response) => {
      let at = 0;
      const next = (): void => {
        if (at >= file.length) return void response.end();
        const piece = file.subarray(at, at + 70_001);
        at += piece.length;
        response.write(piece, next);
      };
      next();
    };
    const { path, size } = await download(`${base}/long.wav`, { ...options, maxBytes: 10 * 1024 * 1024 });
    expect(size).toBe(file.length);
    expect((await readFile(path)).equals(file)).toBe(true);
  });

  it('downloads into memory it owns outright, so releasing it frees that and nothing else', async () => {
    const file = Buffer.alloc(300_000, 9);
    handler = (response) => response.end(file);
    const other = Buffer.from('a neighbour in the shared pool');
    const { bytes } = await downloadAttachment(`${base}/own.wav`, { ...options, expectedBytes: file.length });
    expect(Buffer.from(bytes).equals(file)).toBe(true);
    expect(bytes.buffer.byteLength).toBe(file.length);
    releaseDownload(bytes);
    expect(bytes.length).toBe(0);
    expect(other.toString()).toBe('a neighbour in the shared pool');
  });

  it('stops as soon as the body passes the limit, whatever was declared', async () => {
    const chunk = Buffer.alloc(64 * 1024, 2);
    const total = 64 * 1024 * 1024;
    // Streams far more than the limit; the client must hang up long before the end.
    handler = (response) => {
      response.writeHead(200, { 'content-type': 'audio/mpeg' });
      const pump = (): void => {
        while (bytesSent < total) {
          bytesSent += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        response.end();
      };
      response.on('close', () => response.removeAllListeners('drain'));
      pump();
    };
    const error = await download(`${base}/big.mp3`, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadTooLargeError);
    expect((error as DownloadTooLargeError).receivedBytes).toBeGreaterThan(options.maxBytes);
    // At most one read past the limit (undici may join the server's 64 KiB writes into larger chunks).
    expect((error as DownloadTooLargeError).receivedBytes).toBeLessThanOrEqual(options.maxBytes + 256 * 1024);
    expect(bytesSent).toBeLessThan(total / 4);
  });

  it('refuses a host that is not allowed without connecting to it', async () => {
    handler = (response) => response.end('x');
    const error = await download(`http://localhost:${new URL(base).port}/a.mp3`, options).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AttachmentUrlRejectedError);
    expect(error).toMatchObject({ host: 'localhost', reason: 'host_not_allowed' });
    expect(connections).toBe(0);
  });

  it('reports the CDN status for a 404', async () => {
    handler = (response) => response.writeHead(404).end('gone');
    const error = await download(`${base}/gone.mp3`, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadHttpError);
    expect(error).toMatchObject({ status: 404 });
  });

  it('does not follow a redirect to somewhere else', async () => {
    handler = (response) => response.writeHead(302, { location: 'http://127.0.0.2/elsewhere' }).end();
    const error = await download(`${base}/moved.mp3`, options).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 302 });
  });

  it('times out a CDN that never answers', async () => {
    handler = () => undefined;
    const error = await download(`${base}/hang.mp3`, { ...options, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200, receivedBytes: 0 });
  });

  it('times out a body that stalls half way, saying how much arrived', async () => {
    handler = (response) => {
      response.writeHead(200);
      response.write(Buffer.alloc(5000));
    };
    const error = await download(`${base}/stall.mp3`, { ...options, timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DownloadTimeoutError);
    expect(error).toMatchObject({ receivedBytes: 5000 });
  });
});

describe('checkAttachmentUrl', () => {
  const discord = ['cdn.discordapp.com', 'media.discordapp.net', '127.0.0.1', 'localhost', '[::1]'];

  it.each([
    'https://cdn.discordapp.com/attachments/1/2/a.mp3?ex=1&is=2&hm=3',
    'https://MEDIA.discordapp.net/attachments/1/2/a.mp3',
    'http://127.0.0.1:8080/a.mp3',
    'http://localhost/a.mp3',
    'http://[::1]:9000/a.mp3',
  ])('accepts %s', (url) => {
    expect(() => checkAttachmentUrl(url, discord)).not.toThrow();
  });

  it.each([
    ['https://evil.example/a.mp3', 'host_not_allowed'],
    ['https://cdn.discordapp.com.evil.example/a.mp3', 'host_not_allowed'],
    ['http://cdn.discordapp.com/a.mp3', 'insecure_protocol'],
    ['ftp://cdn.discordapp.com/a.mp3', 'insecure_protocol'],
    ['not a url', 'invalid_url'],
  ])('refuses %s (%s)', (url, reason) => {
    expect(() => checkAttachmentUrl(url, discord)).toThrow(expect.objectContaining({ reason }));
  });

  it.each([
    ['https://minimax-algeng-chat-tts.oss-cn-wulanchabu.aliyuncs.com/a.mp3?Signature=x', true],
    ['https://a.b.aliyuncs.com/a.mp3', true],
    ['https://aliyuncs.com/a.mp3', false],
    ['https://evilaliyuncs.com/a.mp3', false],
    ['https://aliyuncs.com.evil.example/a.mp3', false],
    ['http://bucket.aliyuncs.com/a.mp3', false],
  ])('matches a leading-dot entry as a domain suffix: %s → %s', (url, accepted) => {
    const check = () => checkAttachmentUrl(url, ['.aliyuncs.com']);
    if (accepted) expect(check).not.toThrow();
    else expect(check).toThrow(AttachmentUrlRejectedError);
  });
});
