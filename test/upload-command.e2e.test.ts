import { InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../src/bot.ts';
import { fixture, makeWav } from './support/audio.ts';
import { nestedMp4Boxes } from './support/hostile-audio.ts';
import type { DiscordStandIn, EditBody } from './support/discord-stand-in/index.ts';
import { DmxapiStandIn, sha256, type DmxapiScript } from './support/dmxapi-stand-in.ts';
import {
  ERROR_COLOR,
  fileIdIn,
  PROGRESS_COLOR,
  sendUpload,
  SUCCESS_COLOR,
  type UploadCase,
  type UploadResult,
} from './support/upload-flow.ts';
import { startBot, TEST_API_KEY, TEST_TOKEN, type RunningBot } from './support/start-bot.ts';

const MAX_AUDIO_BYTES = 2 * 1024 * 1024;

let discord: DiscordStandIn;
let dmxapi: DmxapiStandIn;
let running: RunningBot;
let bot: Bot;
const logText = (): string => running.logs();

beforeAll(async () => {
  dmxapi = await DmxapiStandIn.start();
  running = await startBot(dmxapi, {
    env: {
      DMXAPI_TIMEOUT_MS: '1500',
      DOWNLOAD_TIMEOUT_MS: '1500',
      MAX_AUDIO_BYTES: String(MAX_AUDIO_BYTES),
      // Downloads stop at the same 2 MiB here, so the size refusals below are met with small files.
      MAX_INPUT_BYTES: String(MAX_AUDIO_BYTES),
      MAX_CONCURRENT_UPLOADS: '2',
      HEALTH_PORT: '0',
      HEALTH_HOST: '127.0.0.1',
      // One test user uploads many times here; quotas have tests of their own.
      USER_DAILY_UPLOAD_LIMIT: '1000',
    },
  });
  ({ discord, bot } = running);
});

afterAll(async () => {
  await running.stop({ removeData: true });
  await dmxapi.close();
});

/**
 * A WAV no earlier test uploaded: the bot rightly answers a repeat with the earlier file_id, so
 * every test that needs a real upload sends new content. Lengths step by a millisecond.
 */
let freshCount = 0;
function freshWav(seconds = 10.5): Buffer {
  return makeWav(seconds + ++freshCount / 1000);
}

function upload(c: UploadCase): Promise<UploadResult> {
  return sendUpload(discord, dmxapi, c);
}

describe('/upload end to end, through the real discord.js client', () => {
  it.each([
    ['voice-12s.mp3', 'voice_clone'],
    ['voice-12s.m4a', 'voice_clone'],
    ['prompt-3s.mp3', 'prompt_audio'],
    ['prompt-3s.wav', 'prompt_audio'],
  ] as const)('uploads %s as %s and replies with the exact file_id', async (name, purpose) => {
    const bytes = fixture(name);
    const fileId = String(9_007_199_254_740_993n + BigInt(dmxapi.received.length));
    const result = await upload({ fileName: name, bytes, purpose, dmxapi: [{ kind: 'success', fileId }] });

    expect(result.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    expect(fileIdIn(result.final)).toBe(fileId);
    expect(result.dmxapiRequests).toBe(1);
    const received = dmxapi.received.at(-1);
    expect(received?.sha256).toBe(sha256(bytes));
    expect(received?.json).toMatchObject({ model: 'minimax-clone-upload', input: [{ purpose }] });
    expect(result.text).toContain(`\`${purpose}\``);
  });

  it('acknowledges first with a public deferral, shows progress, and sends nothing after the final reply', async () => {
    const result = await upload({ fileName: 'take.wav', bytes: freshWav(12) });
    const callback = await result.interaction.callback();
    expect(callback.body).toMatchObject({ type: InteractionResponseType.DeferredChannelMessageWithSource });
    expect(((callback.body as { data?: { flags?: number } }).data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(
      0,
    );

    const edits = result.interaction.requests().filter((r) => r.method === 'PATCH');
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect((edits[0]?.body as EditBody).embeds?.[0]?.color).toBe(PROGRESS_COLOR);
    expect((edits.at(-1)?.body as EditBody).embeds?.[0]?.color).toBe(SUCCESS_COLOR);
  });

  it('answers only the uploader when private is set', async () => {
    const result = await upload({ fileName: 'take.wav', bytes: freshWav(11), private: true });
    const callback = await result.interaction.callback();
    expect((callback.body as { data?: { flags?: number } }).data?.flags).toBe(MessageFlags.Ephemeral);
    expect(fileIdIn(result.final)).toMatch(/^\d+$/);
  });
});

describe('/upload refuses bad input with a specific reply and uploads nothing', () => {
  it.each([
    [
      'too short',
      { fileName: 'short.wav', bytes: makeWav(7.4) },
      '**short.wav** is 7.4 s long; voice_clone needs 10 s to 5 min.',
    ],
    [
      'too long for a prompt',
      { fileName: 'long.wav', bytes: makeWav(9), purpose: 'prompt_audio' },
      'prompt_audio needs shorter than 8 s',
    ],
    [
      'silence named .mp3',
      { fileName: 'voice.mp3', bytes: fixture('silence-5s.opus') },
      '**voice.mp3** (Ogg Opus) is silent',
    ],
    [
      'not audio',
      { fileName: 'notes.wav', bytes: Buffer.from('just some text, not a recording\n'.repeat(50)) },
      'not audio this bot can read',
    ],
    ['empty', { fileName: 'empty.mp3', bytes: new Uint8Array(0) }, 'is empty (0 bytes)'],
    [
      'MP4 boxes nested 100,000 deep',
      { fileName: 'bomb.m4a', bytes: nestedMp4Boxes(100_000) },
      'this file is malformed or too complex to read. It has MP4 boxes nested to a depth of 33 or more; the limit is 32.',
    ],
    [
      'truncated',
      { fileName: 'cut.mp3', bytes: fixture('voice-12s.mp3').subarray(0, 20_000) },
      'ends before the audio its header describes',
    ],
    [
      'CDN 404',
      { fileName: 'gone.mp3', bytes: fixture('voice-12s.mp3'), serve: { status: 404 } },
      'answered HTTP 404',
    ],
    [
      'bigger than declared',
      { fileName: 'liar.wav', bytes: makeWav(140, { sampleRate: 8000 }), declaredBytes: 50_000 },
      'passed the 2.0 MiB limit',
    ],
  ] satisfies [string, UploadCase, string][])('%s', async (_label, c, expected) => {
    const result = await upload(c);
    expect(result.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    expect(result.text).toContain(expected);
    expect(result.text).toContain('What to do: ');
    expect(fileIdIn(result.final)).toBeUndefined();
    expect(result.dmxapiRequests).toBe(0);

    const next = await upload({ fileName: 'next.wav', bytes: freshWav() });
    expect(fileIdIn(next.final)).toMatch(/^\d+$/);
  });

  it('refuses a declared size over the limit without downloading', async () => {
    const url = discord.serveAttachment('huge.wav', makeWav(1));
    const result = await upload({
      fileName: 'huge.wav',
      bytes: makeWav(1),
      url,
      declaredBytes: 25 * 1024 * 1024,
    });
    expect(result.text).toContain('is 25.0 MiB; the limit is 2.0 MiB');
    expect(discord.requests.filter((r) => r.path === new URL(url).pathname)).toHaveLength(0);
    expect(result.dmxapiRequests).toBe(0);
  });

  it('refuses an attachment on a host that is not allowed, without fetching it', async () => {
    const allowedUrl = new URL(discord.serveAttachment('elsewhere.mp3', fixture('voice-12s.mp3')));
    const url = `http://localhost:${allowedUrl.port}${allowedUrl.pathname}`;
    const result = await upload({ fileName: 'elsewhere.mp3', bytes: fixture('voice-12s.mp3'), url });
    expect(result.text).toContain('`localhost`, which is not an allowed host');
    expect(discord.requests.filter((r) => r.path === allowedUrl.pathname)).toHaveLength(0);
  });

  it('shows a hostile file name as text and pings nobody', async () => {
    const result = await upload({ fileName: '@everyone **x** <@123>.mp3', bytes: makeWav(3) });
    expect(result.text).toContain('@\u200beveryone \\*\\*x\\*\\* \\<@\u200b123>.mp3');
    expect(result.final.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});

describe('/upload reports every DMXAPI failure specifically and keeps serving', () => {
  it.each([
    [
      'a base_resp error',
      [
        {
          kind: 'reply',
          status: 200,
          body: { base_resp: { status_code: 1008, status_msg: 'insufficient balance' } },
        },
      ],
      ['balance is too low (status 1008)', 'insufficient balance'],
    ],
    [
      'HTTP 401',
      [
        {
          kind: 'reply',
          status: 401,
          body: { error: { message: 'invalid token (request id: abc123)', type: 'x' } },
        },
      ],
      ['HTTP 401', 'DMXAPI_API_KEY', 'invalid token', 'Request id: `abc123`'],
    ],
    [
      'HTTP 403',
      [{ kind: 'reply', status: 403, body: { error: { message: 'quota exhausted' } } }],
      ['HTTP 403', 'top it up'],
    ],
    [
      'HTTP 429 twice (retried, then given up)',
      [
        { kind: 'reply', status: 429, body: { error: { message: 'slow down' } } },
        { kind: 'reply', status: 429, body: { error: { message: 'slow down' } } },
      ],
      ['HTTP 429', 'Attempts: 2'],
    ],
    ['HTTP 500', [{ kind: 'reply', status: 500, body: 'upstream exploded' }], ['HTTP 500']],
    [
      'a malformed answer',
      [{ kind: 'reply', status: 200, body: '<html>oops</html>' }],
      ['something other than the JSON'],
    ],
    ['a hang past DMXAPI_TIMEOUT_MS', [{ kind: 'hang' }], ['did not finish the upload within 1.5 s']],
  ] satisfies [string, DmxapiScript[], string[]][])('%s', async (_label, script, expected) => {
    const result = await upload({ fileName: 'voice.wav', bytes: freshWav(), dmxapi: script });
    expect(result.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    for (const part of expected) expect(result.text).toContain(part);
    expect(fileIdIn(result.final)).toBeUndefined();

    const next = await upload({ fileName: 'next.wav', bytes: freshWav() });
    expect(fileIdIn(next.final)).toMatch(/^\d+$/);
  });

  it('retries a 503 with a short Retry-After and still delivers the file_id', async () => {
    const result = await upload({
      fileName: 'voice.wav',
      bytes: freshWav(),
      dmxapi: [
        { kind: 'reply', status: 503, body: { error: { message: 'busy' } }, headers: { 'retry-after': '0' } },
        { kind: 'success', fileId: '42' },
      ],
    });
    expect(fileIdIn(result.final)).toBe('42');
    expect(result.dmxapiRequests).toBe(2);
  });

  it('turns a crash in the handler into a reply with a reference, and the log line carries it', async () => {
    const result = await upload({ fileName: 'a.wav', bytes: freshWav(), purpose: 'bogus' });
    expect(result.text).toContain('unexpected error');
    const reference = /reference `([0-9a-f]{8})`/.exec(result.text)?.[1];
    expect(reference).toBeDefined();
    expect(logText()).toContain(`"reference":"${reference ?? 'none'}"`);
    expect(result.dmxapiRequests).toBe(0);
  });
});

describe('/upload under load', () => {
  it('queues past MAX_CONCURRENT_UPLOADS, says so, and every upload gets its own file_id', async () => {
    dmxapi.script(
      ...Array.from({ length: 5 }, (_, i) => ({
        kind: 'success' as const,
        fileId: String(7000 + i),
        delayMs: 150,
      })),
    );
    const runs = Array.from({ length: 5 }, (_, i) =>
      upload({ fileName: `load-${i}.wav`, bytes: freshWav(10 + i) }),
    );
    const results = await Promise.all(runs);

    const ids = results.map((r) => fileIdIn(r.final));
    expect(new Set(ids).size).toBe(5);
    expect(ids.every((id) => id !== undefined && Number(id) >= 7000 && Number(id) < 7005)).toBe(true);
    const sawQueue = results.some((r) =>
      r.interaction.requests().some((q) => JSON.stringify(q.body).includes('in the queue')),
    );
    expect(sawQueue).toBe(true);
  });
});

describe('health and metrics of the running bot', () => {
  it('is healthy while connected and counts what it did', async () => {
    const base = `http://127.0.0.1:${String(bot.healthPort)}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/voicebot_uploads_total\{purpose="voice_clone",outcome="uploaded"\} [1-9]\d*/);
    expect(metrics).toMatch(/voicebot_uploads_total\{purpose="voice_clone",outcome="rejected"\} [1-9]\d*/);
    expect(metrics).toMatch(/voicebot_dmxapi_errors_total\{code="http_401"\} 1/);
    expect(metrics).toMatch(/voicebot_gateway_latency_seconds -?\d/);
  });
});

describe('secrets', () => {
  it('never sends the API key to Discord nor writes it to the log', () => {
    expect(discord.requests.length).toBeGreaterThan(20);
    for (const request of discord.requests) {
      expect(JSON.stringify(request.body ?? null)).not.toContain(TEST_API_KEY);
      expect(JSON.stringify(request.headers)).not.toContain(TEST_API_KEY);
    }
    expect(logText().length).toBeGreaterThan(0);
    expect(logText()).not.toContain(TEST_API_KEY);
    expect(logText()).not.toContain(TEST_TOKEN);
  });

  it('every message body the bot sent to Discord allows no mentions', () => {
    const messages = discord.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/webhooks/'));
    expect(messages.length).toBeGreaterThan(10);
    for (const message of messages)
      expect((message.body as EditBody).allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});
