import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DmxapiClient, type DmxapiClientOptions } from '../src/dmxapi/client.ts';
import {
  DmxapiConnectionError,
  DmxapiHttpError,
  DmxapiMalformedResponseError,
  DmxapiServiceError,
  DmxapiTimeoutError,
} from '../src/dmxapi/errors.ts';
import { RAW_CHUNK_BYTES } from '../src/dmxapi/request-body.ts';
import { fixture, makeWav } from './support/audio.ts';
import { clientOptions, DmxapiStandIn, sha256, unusedPort } from './support/dmxapi-stand-in.ts';
import { tempDir } from './support/temp-dir.ts';

const API_KEY = 'sk-test-0123456789abcdef';
const audio = fixture('voice-12s.mp3');

let standIn: DmxapiStandIn;
let files: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  files = await tempDir();
});
afterAll(() => files.remove());
let delays: number[];
const clients: DmxapiClient[] = [];

function client(overrides: Partial<DmxapiClientOptions> = {}): DmxapiClient {
  const created = new DmxapiClient(
    clientOptions(standIn.baseUrl, {
      apiKey: API_KEY,
      timeoutMs: 5000,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 },
      // Records the waits instead of sleeping: the test stays fast and sees every backoff.
      delay: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
      ...overrides,
    }),
  );
  clients.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the upload should have failed'),
    (error: unknown) => error,
  );
}

beforeEach(async () => {
  standIn = await DmxapiStandIn.start();
  delays = [];
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await standIn.close();
});

describe('DmxapiClient request', () => {
  it('sends exactly the documented headers and body, and the server decodes the same bytes', async () => {
    standIn.script({ kind: 'success', createdAt: 1770876014 });
    const file = await client().uploadFile({ audio, purpose: 'voice_clone' });

    expect(standIn.received).toHaveLength(1);
    const [request] = standIn.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/responses');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe(API_KEY);
    expect(Number(request?.headers['content-length'])).toBe(request?.bodyBytes);
    expect(request?.json).toEqual({
      model: 'minimax-clone-upload',
      input: [{ purpose: 'voice_clone' }],
      dataf: `<${audio.length} bytes>`,
    });
    expect(request?.sha256).toBe(sha256(audio));
    expect(file).toMatchObject({ fileId: '365865350209649', createdAt: 1770876014, attempts: 1 });
    expect(file.usage).toEqual({ totalTokens: 203, inputTokens: 0, outputTokens: 203 });
  });

  it.each([0, 1, 2, 3, RAW_CHUNK_BYTES - 1, RAW_CHUNK_BYTES, RAW_CHUNK_BYTES + 1, 3 * RAW_CHUNK_BYTES + 2])(
    'streams base64 that decodes to the original for a %i-byte file',
    async (size) => {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 7 + 3) & 0xff;
      await client().uploadFile({ audio: bytes, purpose: 'prompt_audio' });
      const [request] = standIn.received;
      expect(request?.sha256).toBe(sha256(bytes));
      expect(request?.decodedBytes).toBe(size);
      expect(Number(request?.headers['content-length'])).toBe(request?.bodyBytes);
    },
  );

  it.each([0, 1, RAW_CHUNK_BYTES + 1, 16 * RAW_CHUNK_BYTES + 5])(
    'streams a %i-byte file from disk, read again for a retry, never held whole',
    async (size) => {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 5 + 1) & 0xff;
      const path = await files.file(`audio-${size}`, bytes);
      standIn.script({ kind: 'reply', status: 429, body: { error: { message: 'slow down' } } });
      await client().uploadFile({ audio: { path, size }, purpose: 'prompt_audio' });
      expect(standIn.received).toHaveLength(2);
      for (const request of standIn.received) {
        expect(request.sha256).toBe(sha256(bytes));
        expect(Number(request.headers['content-length'])).toBe(request.bodyBytes);
      }
    },
  );

  it('refuses to send a stored file whose size is not what was checked', async () => {
    const path = await files.file('resized', Buffer.alloc(1000, 1));
    const error = await failure(client().uploadFile({ audio: { path, size: 2000 }, purpose: 'voice_clone' }));
    // Stopped before the whole request was written: DMXAPI cannot have processed a cut body.
    expect(error).toMatchObject({ requestWritten: false });
    expect(String((error as Error).cause)).toMatch(/1000 bytes, not the 2000/);
  });

  it('keeps a file_id above 2^53 as its exact digits', async () => {
    standIn.script({ kind: 'success', fileId: '9007199254740993123' });
    const file = await client().uploadFile({ audio, purpose: 'voice_clone' });
    expect(file.fileId).toBe('9007199254740993123');
    expect(String(Number(file.fileId))).not.toBe(file.fileId);
  });

  it('takes the largest int64 file_id, and a string of digits, as exact digits', async () => {
    for (const [written, expected] of [
      ['9223372036854775807', '9223372036854775807'],
      ['"365865350209649"', '365865350209649'],
    ]) {
      standIn.script({
        kind: 'reply',
        status: 200,
        body: `{"base_resp":{"status_code":0},"file":{"file_id":${written}}}`,
      });
      expect((await client().uploadFile({ audio, purpose: 'voice_clone' })).fileId).toBe(expected);
    }
  });

  it.each([
    ['a negative number', '-1770876014'],
    ['a fraction', '1770876014.5'],
    ['a string', '"1770876014"'],
    ['zero', '0'],
    ['past the last date JavaScript can show', '8640000000001'],
  ])('keeps a file whose created_at is %s, without showing that time', async (_label, createdAt) => {
    standIn.script({
      kind: 'reply',
      status: 200,
      body: `{"base_resp":{"status_code":0},"file":{"file_id":42,"created_at":${createdAt}}}`,
    });
    const file = await client().uploadFile({ audio, purpose: 'voice_clone' });
    expect(file).toMatchObject({ fileId: '42', createdAt: undefined });
  });

  it('appends /v1/responses to a base URL with a path', async () => {
    const withPath = client({ baseUrl: `${standIn.baseUrl}/proxy/` });
    await withPath.uploadFile({ audio, purpose: 'voice_clone' });
    expect(standIn.received[0]?.path).toBe('/proxy/v1/responses');
  });
});

describe('DmxapiClient errors', () => {
  it('turns a base_resp error into DmxapiServiceError with the service message', async () => {
    standIn.script({
      kind: 'reply',
      status: 200,
      body: { base_resp: { status_code: 2037, status_msg: 'voice duration too short' } },
      headers: { 'x-oneapi-request-id': 'req-2037' },
    });
    const error = await failure(client().uploadFile({ audio, purpose: 'voice_clone' }));
    expect(error).toBeInstanceOf(DmxapiServiceError);
    expect(error).toMatchObject({
      statusCode: 2037,
      statusMessage: 'voice duration too short',
      requestId: 'req-2037',
    });
    expect(standIn.received).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 413, 500, 502, 504])(
    'turns a gateway HTTP %i into DmxapiHttpError with message and request id, without retrying',
    async (status) => {
      standIn.script({
        kind: 'reply',
        status,
        body: {
          error: {
            message: `problem ${status} (request id: 2026112312000012345)`,
            type: 'new_api_error',
            code: 'x',
          },
        },
      });
      const error = await failure(client().uploadFile({ audio, purpose: 'voice_clone' }));
      expect(error).toBeInstanceOf(DmxapiHttpError);
      expect(error).toMatchObject({
        status,
        serviceMessage: `problem ${status}`,
        serviceCode: 'x',
        requestId: '2026112312000012345',
        attempts: 1,
      });
      expect(standIn.received).toHaveLength(1);
    },
  );

  it('treats an error body on HTTP 200 as a gateway error', async () => {
    standIn.script({
      kind: 'reply',
      status: 200,
      body: { error: { message: 'model not found', type: 'x' } },
    });
    const error = await failure(client().uploadFile({ audio, purpose: 'voice_clone' }));
    expect(error).toMatchObject({ status: 200, serviceMessage: 'model not found' });
  });

  it.each([
    ['non-JSON text', 'Internal <b>oops</b>'],
    ['an empty body', ''],
    ['JSON without base_resp', '{"ok":true}'],
    ['success without a file_id', '{"base_resp":{"status_code":0,"status_msg":"success"},"file":{}}'],
    ['a non-numeric file_id', '{"base_resp":{"status_code":0},"file":{"file_id":"abc"}}'],
    ['a file_id of 0', '{"base_resp":{"status_code":0},"file":{"file_id":0}}'],
    ['a negative file_id', '{"base_resp":{"status_code":0},"file":{"file_id":-365865350209649}}'],
    ['a fractional file_id', '{"base_resp":{"status_code":0},"file":{"file_id":3658653502.5}}'],
    ['a file_id in exponent form', '{"base_resp":{"status_code":0},"file":{"file_id":3.6e14}}'],
    [
      'a file_id with a leading zero',
      '{"base_resp":{"status_code":0},"file":{"file_id":"0365865350209649"}}',
    ],
    ['a file_id past int64', '{"base_resp":{"status_code":0},"file":{"file_id":9223372036854775808}}'],
  ])('reports a 200 with %s as a malformed answer', async (_label, body) => {
    standIn.script({ kind: 'reply', status: 200, body });
    const error = await failure(client().uploadFile({ audio, purpose: 'voice_clone' }));
    expect(error).toBeInstanceOf(DmxapiMalformedResponseError);
    expect(standIn.received).toHaveLength(1);
  });

  it('reports a hang past the timeout as DmxapiTimeoutError and does not retry', async () => {
    standIn.script({ kind: 'hang' });
    const error = await failure(client({ timeoutMs: 300 }).uploadFile({ audio, purpose: 'voice_clone' }));
    expect(error).toBeInstanceOf(DmxapiTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 300, attempts: 1 });
    expect(standIn.received).toHaveLength(1);
  });

  it('reports a reset connection as "reset" and does not retry (the file may be stored)', async () => {
    standIn.script({ kind: 'reset' });
    const error = await failure(client().uploadFile({ audio, purpose: 'voice_clone' }));
    expect(error).toBeInstanceOf(DmxapiConnectionError);
    expect(error).toMatchObject({ reason: 'reset', attempts: 1 });
    expect(standIn.received).toHaveLength(1);
  });

  it('never puts the API key in an error message', async () => {
    standIn.script({ kind: 'reply', status: 401, body: { error: { message: 'invalid token' } } });
    const error = await failure(client().uploadFile({ audio, purpose: 'voice_clone' }));
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(API_KEY);
  });
});

describe('DmxapiClient retries (the full rule for every operation is in dmxapi-retry-rule.test.ts)', () => {
  it('retries HTTP 429 with growing jittered backoff, then succeeds', async () => {
    standIn.script(
      { kind: 'reply', status: 429, body: { error: { message: 'busy' } } },
      { kind: 'reply', status: 429, body: { error: { message: 'busy' } } },
    );
    const file = await client().uploadFile({ audio, purpose: 'voice_clone' });
    expect(file.attempts).toBe(3);
    expect(standIn.received).toHaveLength(3);
    expect(standIn.received.every((r) => r.sha256 === sha256(audio))).toBe(true);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(0);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after maxAttempts and reports the last error with the attempt count', async () => {
    standIn.script(
      ...Array.from({ length: 5 }, () => ({
        kind: 'reply' as const,
        status: 503,
        body: { error: { message: 'no channel' } },
        headers: { 'retry-after': '1' },
      })),
    );
    const error = await failure(client().uploadFile({ audio, purpose: 'voice_clone' }));
    expect(error).toMatchObject({ status: 503, attempts: 3, operation: 'upload' });
    expect(standIn.received).toHaveLength(3);
    expect(delays).toEqual([1000, 1000]);
  });

  it('waits as long as Retry-After says', async () => {
    standIn.script({
      kind: 'reply',
      status: 429,
      body: { error: { message: 'slow down' } },
      headers: { 'retry-after': '2' },
    });
    const file = await client().uploadFile({ audio, purpose: 'voice_clone' });
    expect(delays).toEqual([2000]);
    expect(file.attempts).toBe(2);
  });

  it('retries a refused connection (nothing was sent) and succeeds once the server is up', async () => {
    const port = await unusedPort();
    const refusedFirst = client({
      baseUrl: `http://127.0.0.1:${port}`,
      delay: async (ms) => {
        delays.push(ms);
        // The outage ends during the backoff: the service comes up on the port that refused.
        await standIn.close();
        standIn = await DmxapiStandIn.start(port);
      },
    });
    const file = await refusedFirst.uploadFile({ audio, purpose: 'voice_clone' });
    expect(file.attempts).toBe(2);
    expect(delays).toHaveLength(1);
    expect(standIn.received).toHaveLength(1);
  });

  it('gives up on a connection refused every time, saying so', async () => {
    const port = await unusedPort();
    const error = await failure(
      client({ baseUrl: `http://127.0.0.1:${port}` }).uploadFile({ audio, purpose: 'voice_clone' }),
    );
    expect(error).toBeInstanceOf(DmxapiConnectionError);
    expect(error).toMatchObject({ reason: 'refused', attempts: 3, mayHaveBeenProcessed: false });
    expect(delays).toHaveLength(2);
  });

  it('does not retry a base_resp rate limit (1002): MiniMax answered, the user is told to wait', async () => {
    standIn.script({
      kind: 'reply',
      status: 200,
      body: { base_resp: { status_code: 1002, status_msg: 'rate limit' } },
    });
    await failure(client().uploadFile({ audio: makeWav(1), purpose: 'prompt_audio' }));
    expect(standIn.received).toHaveLength(1);
  });
});
