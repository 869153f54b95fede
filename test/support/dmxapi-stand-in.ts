import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseConfig } from '../../src/config.ts';
import type { DmxapiClientOptions } from '../../src/dmxapi/client.ts';
import { checkCloneBody, checkSpeechBody, checkUploadBody, type BodyCheck } from './dmxapi-body-checks.ts';

export const UPLOAD_MODEL = 'minimax-clone-upload';
export const CLONE_MODEL = 'minimax-clone-lastversion';
export const SPEECH_MODEL = 'speech-2.8-hd';
/** System voices the stand-in speaks with besides the ones cloned on it. */
export const SYSTEM_VOICES: readonly string[] = ['male-qn-qingse', 'English_Graceful_Lady'];

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
/** The preview every clone gets by default, and the speech every /say gets: real mp3s. */
export const PREVIEW_MP3 = fixture('prompt-3s.mp3');
export const SPEECH_MP3 = fixture('voice-12s.mp3');

/** How the stand-in answers one request; requests take scripts in order, then `success`. */
export type DmxapiScript =
  | {
      readonly kind: 'success';
      /** Upload: the file_id to answer with (exact digits). */
      readonly fileId?: string;
      readonly delayMs?: number;
      /** Answers only once this settles, so a test can act while the request is in flight. */
      readonly until?: Promise<unknown>;
      /** Upload: Unix seconds; like the real service, the present by default. */
      readonly createdAt?: number;
      /** Clone: the `demo_audio` to answer with; default a preview served by this stand-in. */
      readonly demoAudio?: string;
      /** Speech: the mp3 to answer with, and what extra_info says about it. */
      readonly audio?: Buffer;
      readonly audioLengthMs?: number;
      readonly audioSize?: number;
      /** Speech: bytes per write of the answer, to cut the hex at awkward places. */
      readonly writeBytes?: number;
    }
  | {
      readonly kind: 'reply';
      readonly status: number;
      /** A function builds the body from the request's headers, as a relay that echoes them would. */
      readonly body: string | Record<string, unknown> | ((headers: IncomingHttpHeaders) => string | object);
      readonly headers?: Record<string, string>;
      /** Answers only once this settles. */
      readonly until?: Promise<unknown>;
    }
  | { readonly kind: 'hang' }
  /** Resets the connection after reading the whole request. */
  | { readonly kind: 'reset' }
  /** Resets the connection as soon as the request line and headers arrive, before reading the body. */
  | { readonly kind: 'reset-before-body' };

export interface ReceivedRequest {
  readonly at: number;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: IncomingHttpHeaders;
  /** Bytes of the request body as received. */
  readonly bodyBytes: number;
  /** The `model` the body named, when it could be read. */
  readonly model: string | undefined;
  /** The parsed JSON, an upload's `dataf` replaced by its decoded length, for checking the shape. */
  readonly json: Record<string, unknown> | undefined;
  /** The body as text, for clone and speech (small); undefined for uploads. */
  readonly text: string | undefined;
  /** What the body check found wrong; empty when the body is exactly as documented. */
  readonly problems: readonly string[];
  /** Upload: sha256 (hex) of the base64-decoded `dataf`. */
  readonly sha256: string | undefined;
  readonly decodedBytes: number;
}

/**
 * A local DMXAPI `/v1/responses` that knows the upload, clone and speech models, checks every body
 * exactly as documented, remembers files and voices as the service would (a voice_id is taken
 * once), and serves the clone previews it hands out.
 */
export class DmxapiStandIn {
  readonly received: ReceivedRequest[] = [];
  /** Paths of preview downloads, in order. */
  readonly previewRequests: string[] = [];
  /** Files uploaded here (or added by a test), by file_id. */
  readonly files = new Map<string, 'voice_clone' | 'prompt_audio'>();
  /** Voices cloned here. */
  readonly voices = new Set<string>();
  /** The decoded audio of the latest upload, so a test can decode what DMXAPI really got. */
  lastAudio: Buffer | undefined;
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
    server.on('request', (request, response) => standIn.#onRequest(request, response));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return standIn;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A preview URL on this stand-in, signed-looking like the real OSS links. */
  previewUrl(name: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.port}/preview/${encodeURIComponent(name)}.mp3?Expires=1770900000&Signature=abc%2B`;
  }

  script(...scripts: DmxapiScript[]): void {
    this.#scripts.push(...scripts);
  }

  /** Drops scripts no request used, so one test's leftovers never answer the next test's request. */
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

  #onRequest(request: IncomingMessage, response: ServerResponse): void {
    const path = request.url ?? '';
    if (request.method === 'GET' && path.startsWith('/preview/')) {
      this.previewRequests.push(path);
      response.writeHead(200, { 'content-type': 'audio/mpeg' }).end(PREVIEW_MP3);
      return;
    }
    if (this.#scripts[0]?.kind === 'reset-before-body') {
      this.#scripts.shift();
      this.#record(request.method, path, request.headers, Buffer.alloc(0));
      request.socket.resetAndDestroy();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => this.#answer(request, Buffer.concat(chunks), response));
  }

  #answer(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const received = this.#record(request.method, request.url, request.headers, body);
    const script = this.#scripts.shift() ?? { kind: 'success' };
    switch (script.kind) {
      case 'success': {
        const send = () => this.#succeed(received, script, response);
        const sendLater = () => (script.delayMs ? setTimeout(send, script.delayMs) : send());
        if (script.until) void script.until.finally(sendLater);
        else sendLater();
        return;
      }
      case 'reply': {
        const body = typeof script.body === 'function' ? script.body(request.headers) : script.body;
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        const send = () =>
          response
            .writeHead(script.status, { 'content-type': 'application/json', ...script.headers })
            .end(text);
        if (script.until) void script.until.finally(send);
        else send();
        return;
      }
      case 'hang':
        this.#hanging.add(response);
        return;
      case 'reset':
      case 'reset-before-body':
        response.socket?.resetAndDestroy();
        return;
    }
  }

  /** Answers as the service would: a gateway error for a body it cannot take, else the model's answer. */
  #succeed(
    received: ReceivedRequest,
    script: Extract<DmxapiScript, { kind: 'success' }>,
    response: ServerResponse,
  ): void {
    const json = (status: number, text: string) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(text);
    if (received.problems.length > 0) {
      json(
        400,
        JSON.stringify({ error: { message: received.problems.join('; '), type: 'invalid_request' } }),
      );
      return;
    }
    const body = received.json ?? {};
    switch (received.model) {
      case UPLOAD_MODEL:
        json(200, this.#uploadAnswer(received, script));
        return;
      case CLONE_MODEL:
        json(200, this.#cloneAnswer(body, script));
        return;
      case SPEECH_MODEL:
        this.#speechAnswer(body, script, response);
        return;
      default:
        json(
          503,
          JSON.stringify({ error: { message: `model ${String(received.model)} not found`, type: 'x' } }),
        );
    }
  }

  #uploadAnswer(received: ReceivedRequest, script: { fileId?: string; createdAt?: number }): string {
    const fileId = script.fileId ?? String(this.#nextFileId++);
    const purpose = (received.json?.input as { purpose?: string }[] | undefined)?.[0]?.purpose;
    this.files.set(fileId, purpose === 'prompt_audio' ? 'prompt_audio' : 'voice_clone');
    // Written by hand so a file_id above 2^53 goes out as the bare JSON number DMXAPI sends.
    return `{"file":{"file_id":${fileId},"bytes":${received.decodedBytes},"created_at":${script.createdAt ?? Math.floor(Date.now() / 1000)},"filename":"audio.mp3","purpose":"${String(purpose)}"},"base_resp":{"status_code":0,"status_msg":"success"},"usage":{"total_tokens":203,"input_tokens":0,"input_tokens_details":{"cached_tokens":0},"output_tokens":203,"output_tokens_details":{"reasoning_tokens":0}}}`;
  }

  #cloneAnswer(body: Record<string, unknown>, script: { demoAudio?: string }): string {
    const refuse = (code: number, message: string) =>
      JSON.stringify({ base_resp: { status_code: code, status_msg: message } });
    const voiceId = String(body.voice_id);
    const [input] = body.input as [{ file_id: string }];
    const prompt = body.clone_prompt as { prompt_audio: string } | undefined;
    if (this.files.get(input.file_id) !== 'voice_clone') return refuse(20132, 'invalid file_id');
    if (prompt && this.files.get(prompt.prompt_audio) !== 'prompt_audio')
      return refuse(20132, 'invalid prompt_audio');
    if (this.voices.has(voiceId)) return refuse(2039, 'voice_id duplicate');
    this.voices.add(voiceId);
    const demo = script.demoAudio ?? this.previewUrl(voiceId);
    return JSON.stringify({
      input_sensitive: false,
      input_sensitive_type: 0,
      demo_audio: demo,
      base_resp: { status_code: 0, status_msg: 'success' },
      usage: { total_tokens: 1 },
    });
  }

  #speechAnswer(
    body: Record<string, unknown>,
    script: { audio?: Buffer; audioLengthMs?: number; audioSize?: number; writeBytes?: number },
    response: ServerResponse,
  ): void {
    const voiceId = (body.voice_setting as { voice_id: string }).voice_id;
    if (!this.voices.has(voiceId) && !SYSTEM_VOICES.includes(voiceId)) {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ base_resp: { status_code: 2042, status_msg: 'no access to voice_id' } }));
      return;
    }
    const audio = script.audio ?? SPEECH_MP3;
    const billed = minimaxBilledCharacters(String(body.input));
    const audioSetting = body.audio_setting as { sample_rate: number; bitrate: number };
    const head = Buffer.from('{"data":{"audio":"');
    const tail = Buffer.from(
      `","status":2},"trace_id":"trace-${this.received.length}","extra_info":${JSON.stringify({
        audio_length: script.audioLengthMs ?? 12_700,
        audio_sample_rate: audioSetting.sample_rate,
        audio_size: script.audioSize ?? audio.length,
        bitrate: audioSetting.bitrate,
        word_count: billed,
        usage_characters: billed,
        audio_channel: 1,
        audio_format: 'mp3',
      })},"base_resp":{"status_code":0,"status_msg":"success"},"usage":{"total_tokens":${billed}}}`,
    );
    const answer = Buffer.concat([head, Buffer.from(audio.toString('hex')), tail]);
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
    const step = script.writeBytes ?? answer.length;
    for (let offset = 0; offset < answer.length; offset += step) {
      response.write(answer.subarray(offset, offset + step));
    }
    response.end();
  }

  #record(
    method: string | undefined,
    path: string | undefined,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): ReceivedRequest {
    let check: BodyCheck = { model: undefined, json: undefined, problems: ['no body'] };
    let sha256: string | undefined;
    let decodedBytes = 0;
    let text: string | undefined;
    if (body.length > 0) {
      text = body.toString('utf8');
      const model = /^\{"model":"([^"]*)"/.exec(text)?.[1];
      if (model === UPLOAD_MODEL || model === undefined) {
        check = checkUploadBody(text);
        const dataf = check.dataf;
        if (dataf !== undefined) {
          const decoded = Buffer.from(dataf, 'base64');
          sha256 = createHash('sha256').update(decoded).digest('hex');
          decodedBytes = decoded.length;
          this.lastAudio = decoded;
        }
        text = undefined;
      } else if (model === CLONE_MODEL) {
        check = checkCloneBody(text);
      } else if (model === SPEECH_MODEL) {
        check = checkSpeechBody(text);
      } else {
        check = { model, json: undefined, problems: [] };
      }
    }
    const received: ReceivedRequest = {
      at: performance.now(),
      method,
      path,
      headers,
      bodyBytes: body.length,
      model: check.model,
      json: check.json,
      text,
      problems: check.problems,
      sha256,
      decodedBytes,
    };
    this.received.push(received);
    for (const waiter of [...this.#waiters]) {
      if (this.received.length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    return received;
  }
}

/** MiniMax's billing as the stand-in plays it: Han, kana and Hangul two each, pause markers nothing. */
export function minimaxBilledCharacters(text: string): number {
  let billed = 0;
  for (const char of text.replace(/<#[\d.]+#>/g, '')) {
    billed += /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(char) ? 2 : 1;
  }
  return billed;
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

/** Client options at their documented defaults (read through the bot's own configuration parser). */
export function clientOptions(
  baseUrl: string,
  overrides: Partial<DmxapiClientOptions> = {},
): DmxapiClientOptions {
  const config = parseConfig({ DISCORD_TOKEN: 'test', DMXAPI_API_KEY: 'sk-test' });
  return { ...config.dmxapi, speechMaxChars: config.speech.maxChars, baseUrl, ...overrides };
}
