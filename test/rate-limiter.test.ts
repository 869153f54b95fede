import { afterEach, describe, expect, it } from 'vitest';
import { DmxapiClient } from '../src/dmxapi/client.ts';
import { RateLimiter } from '../src/dmxapi/rate-limiter.ts';
import { clientOptions, DmxapiStandIn } from './support/dmxapi-stand-in.ts';
import { flush, ManualClock } from './support/test-clocks.ts';

function tracked(promise: Promise<void>): { readonly done: boolean; readonly error: unknown } {
  const state = { done: false, error: undefined as unknown };
  promise.then(
    () => (state.done = true),
    (error: unknown) => (state.error = error),
  );
  return state;
}

describe('RateLimiter', () => {
  it('lets perMinute requests start at once, then makes the next wait until a minute after the first', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(2, clock);
    await limiter.acquire();
    await clock.advance(10_000);
    await limiter.acquire();
    const positions: number[] = [];
    const third = tracked(limiter.acquire({ onQueued: (p) => positions.push(p) }));
    await flush();
    expect(positions).toEqual([1]);
    expect(limiter.waiting).toBe(1);

    await clock.advance(49_999);
    expect(third.done).toBe(false);
    await clock.advance(1);
    expect(third.done).toBe(true);
    expect(limiter.waiting).toBe(0);
  });

  it('serves the line in order and tells each waiter its new place as the line moves', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(1, clock);
    await limiter.acquire();
    const seen: Record<string, number[]> = { a: [], b: [], c: [] };
    const order: string[] = [];
    for (const name of ['a', 'b', 'c'] as const) {
      void limiter.acquire({ onQueued: (p) => seen[name]?.push(p) }).then(() => order.push(name));
    }
    await flush();
    expect(seen).toEqual({ a: [1], b: [2], c: [3] });

    await clock.advance(60_000);
    expect(order).toEqual(['a']);
    expect(seen).toEqual({ a: [1], b: [2, 1], c: [3, 2] });
    await clock.advance(120_000);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('a waiter whose signal aborts leaves the line, with its reason, and the others move up', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(1, clock);
    await limiter.acquire();
    const leaving = new AbortController();
    const first = tracked(limiter.acquire({ signal: leaving.signal }));
    const positions: number[] = [];
    const second = tracked(limiter.acquire({ onQueued: (p) => positions.push(p) }));
    await flush();
    leaving.abort(new Error('user gave up'));
    await flush();
    expect(first.error).toEqual(new Error('user gave up'));
    expect(positions).toEqual([2, 1]);
    await clock.advance(60_000);
    expect(second.done).toBe(true);
  });

  it('a rate-limit answer halves the rate and pauses; the rate grows back one a minute', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(8, clock);
    limiter.slowDown();
    expect(limiter.currentRate).toBe(4);
    const waiting = tracked(limiter.acquire());
    await flush();
    expect(waiting.done).toBe(false);
    // 60 s / 4 requests: the pause lasts one request's share of the reduced minute.
    await clock.advance(15_000);
    expect(waiting.done).toBe(true);

    await clock.advance(60_000);
    expect(limiter.currentRate).toBe(5);
    await clock.advance(10 * 60_000);
    expect(limiter.currentRate).toBe(8);
  });

  it('a Retry-After given with the answer sets the pause', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(10, clock);
    limiter.slowDown(30_000);
    const waiting = tracked(limiter.acquire());
    await clock.advance(29_999);
    expect(waiting.done).toBe(false);
    await clock.advance(1);
    expect(waiting.done).toBe(true);
  });

  it('never slows below one request a minute', () => {
    const limiter = new RateLimiter(2, new ManualClock());
    for (let i = 0; i < 5; i++) limiter.slowDown();
    expect(limiter.currentRate).toBe(1);
  });
});

describe('the limiter in the client', () => {
  let standIn: DmxapiStandIn | undefined;
  let client: DmxapiClient | undefined;

  afterEach(async () => {
    await client?.close();
    await standIn?.close();
  });

  async function start(clock: ManualClock, speechPerMinute = 1) {
    standIn = await DmxapiStandIn.start();
    client = new DmxapiClient(clientOptions(standIn.baseUrl, { speechPerMinute, clock }));
    return { standIn, client };
  }

  const say = (c: DmxapiClient, onQueued?: (p: number) => void) =>
    c.synthesizeSpeech({ voiceId: 'male-qn-qingse', text: 'Hello.', maxAudioBytes: 10 << 20 }, { onQueued });

  it('a speech request over DMXAPI_SPEECH_PER_MINUTE waits in line, shows its place, then is sent', async () => {
    const clock = new ManualClock();
    const { standIn: dmxapi, client: c } = await start(clock);
    await say(c);
    const positions: number[] = [];
    const second = say(c, (p) => positions.push(p));
    await flush();
    expect(positions).toEqual([1]);
    expect(c.waiting).toEqual({ clone: 0, speech: 1 });
    expect(dmxapi.received).toHaveLength(1);

    await clock.advance(60_000);
    await second;
    expect(dmxapi.received).toHaveLength(2);
  });

  it('a request still in line when notSentSignal aborts is never sent; one already sent is not cut by it', async () => {
    const clock = new ManualClock();
    const { standIn: dmxapi, client: c } = await start(clock);
    const stopping = new AbortController();
    const sent = c.synthesizeSpeech(
      { voiceId: 'male-qn-qingse', text: 'First.', maxAudioBytes: 10 << 20 },
      { notSentSignal: stopping.signal },
    );
    await dmxapi.waitForRequests(1);
    const queued = c.synthesizeSpeech(
      { voiceId: 'male-qn-qingse', text: 'Second.', maxAudioBytes: 10 << 20 },
      { notSentSignal: stopping.signal },
    );
    await flush();
    expect(c.waiting).toEqual({ clone: 0, speech: 1 });
    stopping.abort(new Error('the bot is stopping'));
    await expect(queued).rejects.toThrow('the bot is stopping');
    await expect(sent).resolves.toMatchObject({ attempts: 1 });
    await clock.advance(60_000);
    expect(dmxapi.received).toHaveLength(1);
    expect(c.waiting).toEqual({ clone: 0, speech: 0 });
  });

  it('a rate-limit code that still comes back (1002) slows the limiter: the next request waits', async () => {
    const clock = new ManualClock();
    const { standIn: dmxapi, client: c } = await start(clock, 4);
    dmxapi.script({
      kind: 'reply',
      status: 200,
      body: { base_resp: { status_code: 1002, status_msg: 'rpm' } },
    });
    await expect(say(c)).rejects.toMatchObject({ statusCode: 1002, reason: 'rate_limited' });
    const positions: number[] = [];
    const next = say(c, (p) => positions.push(p));
    await flush();
    // One of four requests this minute: without the slowdown it would have gone at once.
    expect(positions).toEqual([1]);
    expect(dmxapi.received).toHaveLength(1);
    // Halved to two a minute: the pause is one request's share, 30 s.
    await clock.advance(30_000);
    await next;
    expect(dmxapi.received).toHaveLength(2);
  });
});
