import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DmxapiClient, type DmxapiClientOptions } from '../src/dmxapi/client.ts';
import { DmxapiConnectionError, DmxapiError } from '../src/dmxapi/errors.ts';
import { fixture } from './support/audio.ts';
import { SkippingClock } from './support/test-clocks.ts';
import {
  clientOptions,
  DmxapiStandIn,
  sha256,
  unusedPort,
  type DmxapiScript,
} from './support/dmxapi-stand-in.ts';

/**
 * Issue 10 §2's one retry rule, for every operation: only a failure that proves nothing was
 * processed is tried again; a clone is never sent twice once its request went out.
 */

const SAMPLE_ID = '365592225681803';
let standIn: DmxapiStandIn;
let delays: number[];
const clients: DmxapiClient[] = [];
let voiceCounter = 0;

function client(overrides: Partial<DmxapiClientOptions> = {}): DmxapiClient {
  const created = new DmxapiClient(
    clientOptions(standIn.baseUrl, {
      timeoutMs: 500,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 },
      delay: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
      // A 429 also slows the rate limiter down; its waits pass at once here (rate-limiter.test.ts).
      clock: new SkippingClock(),
      ...overrides,
    }),
  );
  clients.push(created);
  return created;
}

type Operation = 'upload' | 'clone' | 'speech';
const OPERATIONS: readonly Operation[] = ['upload', 'clone', 'speech'];

function run(operation: Operation, c = client()): Promise<unknown> {
  switch (operation) {
    case 'upload':
      return c.uploadFile({ audio: fixture('voice-12s.mp3'), purpose: 'voice_clone' });
    case 'clone':
      return c.cloneVoice({ sampleFileId: SAMPLE_ID, voiceId: `RetryVoice${++voiceCounter}` });
    case 'speech':
      return c.synthesizeSpeech({ voiceId: 'male-qn-qingse', text: 'Hello there.', maxAudioBytes: 10 << 20 });
  }
}

async function failure(promise: Promise<unknown>): Promise<DmxapiError> {
  return promise.then(
    () => expect.unreachable('the request should have failed'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(DmxapiError);
      return error as DmxapiError;
    },
  );
}

const gatewayError = (status: number, headers?: Record<string, string>): DmxapiScript => ({
  kind: 'reply',
  status,
  body: { error: { message: `gateway said ${status}`, type: 'x' } },
  ...(headers ? { headers } : {}),
});

beforeEach(async () => {
  standIn = await DmxapiStandIn.start();
  standIn.files.set(SAMPLE_ID, 'voice_clone');
  delays = [];
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await standIn.close();
});

const NOT_RETRIED: readonly [string, DmxapiScript][] = [
  ['HTTP 400', gatewayError(400)],
  ['HTTP 401', gatewayError(401)],
  ['HTTP 403', gatewayError(403)],
  ['HTTP 404', gatewayError(404)],
  ['HTTP 413', gatewayError(413)],
  ['HTTP 500', gatewayError(500)],
  ['HTTP 502', gatewayError(502)],
  ['HTTP 503 without Retry-After', gatewayError(503)],
  ['HTTP 503 with a Retry-After past the bound', gatewayError(503, { 'retry-after': '3600' })],
  ['HTTP 429 with a Retry-After past the bound', gatewayError(429, { 'retry-after': '3600' })],
  ['HTTP 504', gatewayError(504)],
  ['HTTP 524', gatewayError(524)],
  ['an HTML 502 page', { kind: 'reply', status: 502, body: '<html>bad gateway</html>' }],
  ['MiniMax 1002 (rate limited)', { kind: 'reply', status: 200, body: { base_resp: { status_code: 1002 } } }],
  ['MiniMax 1001 (timeout)', { kind: 'reply', status: 200, body: { base_resp: { status_code: 1001 } } }],
  [
    'MiniMax 1024 (internal error)',
    { kind: 'reply', status: 200, body: { base_resp: { status_code: 1024 } } },
  ],
  ['a malformed 200', { kind: 'reply', status: 200, body: 'not json at all' }],
  ['a timeout after sending', { kind: 'hang' }],
  ['a reset after the request was written', { kind: 'reset' }],
];

describe.each(OPERATIONS)('%s: every answer that does not prove nothing was processed', (operation) => {
  it.each(NOT_RETRIED)('%s → exactly one request', async (_label, script) => {
    standIn.script(script, script, script);
    const error = await failure(run(operation));
    expect(standIn.received).toHaveLength(1);
    expect(error.attempts).toBe(1);
    expect(error.operation).toBe(operation);
    expect(delays).toEqual([]);
  });
});

describe.each(['upload', 'speech'] as const)('%s: answers that prove nothing was processed', (operation) => {
  it('retries HTTP 429 without Retry-After after a jittered backoff', async () => {
    standIn.script(gatewayError(429));
    await run(operation);
    expect(standIn.received).toHaveLength(2);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeLessThanOrEqual(100);
  });

  it('retries HTTP 429 and 503 after the Retry-After they give, within the bound', async () => {
    standIn.script(gatewayError(429, { 'retry-after': '2' }), gatewayError(503, { 'retry-after': '3' }));
    await run(operation);
    expect(standIn.received).toHaveLength(3);
    expect(delays).toEqual([2000, 3000]);
  });

  it('stops after maxAttempts', async () => {
    standIn.script(gatewayError(429), gatewayError(429), gatewayError(429), gatewayError(429));
    const error = await failure(run(operation));
    expect(error.attempts).toBe(3);
    expect(standIn.received).toHaveLength(3);
  });
});

describe('clone: never retried once its request was sent', () => {
  it.each([
    ['HTTP 429', gatewayError(429)],
    ['HTTP 429 with a short Retry-After', gatewayError(429, { 'retry-after': '1' })],
    ['HTTP 503 with a short Retry-After', gatewayError(503, { 'retry-after': '1' })],
  ])('%s → exactly one request, reported as not processed', async (_label, script) => {
    standIn.script(script);
    const error = await failure(run('clone'));
    expect(standIn.received).toHaveLength(1);
    expect(error).toMatchObject({ attempts: 1, mayHaveBeenProcessed: false });
    expect(delays).toEqual([]);
  });

  it('a timeout leaves the outcome unknown: one request, mayHaveBeenProcessed', async () => {
    standIn.script({ kind: 'hang' });
    const error = await failure(run('clone'));
    expect(standIn.received).toHaveLength(1);
    expect(error).toMatchObject({ code: 'dmxapi_timeout', mayHaveBeenProcessed: true });
  });
});

describe.each(OPERATIONS)('%s: failures before the request was written are retried', (operation) => {
  it('retries a refused connection', async () => {
    const port = await unusedPort();
    const error = await failure(run(operation, client({ baseUrl: `http://127.0.0.1:${port}` })));
    expect(error).toBeInstanceOf(DmxapiConnectionError);
    expect(error).toMatchObject({ reason: 'refused', attempts: 3, mayHaveBeenProcessed: false });
    expect(delays).toHaveLength(2);
  });
});

describe('a connection reset before the whole request was written', () => {
  it('is retried, and the retry sends the same bytes', async () => {
    // Far more than loopback socket buffers hold, so the reset lands while the body is still going out.
    const audio = Buffer.alloc(16 * 1024 * 1024, 0x5a);
    standIn.script({ kind: 'reset-before-body' });
    const file = await client({ timeoutMs: 20_000 }).uploadFile({ audio, purpose: 'voice_clone' });
    expect(file.attempts).toBe(2);
    expect(standIn.received).toHaveLength(2);
    expect(standIn.received[1]?.sha256).toBe(sha256(audio));
  });

  it('is reported as not processed when every attempt is cut off', async () => {
    const audio = Buffer.alloc(16 * 1024 * 1024, 0x5a);
    standIn.script(...Array.from({ length: 3 }, () => ({ kind: 'reset-before-body' as const })));
    const error = await failure(client({ timeoutMs: 20_000 }).uploadFile({ audio, purpose: 'voice_clone' }));
    expect(error).toMatchObject({
      reason: 'reset',
      requestWritten: false,
      mayHaveBeenProcessed: false,
      attempts: 3,
    });
  });
});
