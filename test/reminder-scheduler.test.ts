import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UploadHistory } from '../src/history/upload-history.ts';
import { VoiceStore, type NewVoice, type VoiceRecord } from '../src/history/voice-store.ts';
import { ReminderScheduler } from '../src/voices/reminder-scheduler.ts';
import { ManualClock } from './support/test-clocks.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
let dataDir: string;
const opened: UploadHistory[] = [];
const schedulers: ReminderScheduler[] = [];

function store(): VoiceStore {
  const history = UploadHistory.open(dataDir);
  opened.push(history);
  return new VoiceStore(history.database);
}

function voice(voiceId: string, createdAtMs: number, overrides: Partial<NewVoice> = {}): NewVoice {
  return {
    voiceId,
    guildId: 'g',
    channelId: 'c',
    ownerId: 'alice-id',
    ownerName: 'alice',
    private: false,
    sourceFileId: '1',
    promptFileId: undefined,
    createdAt: Math.floor(createdAtMs / 1000),
    ...overrides,
  };
}

function scheduler(voices: VoiceStore, clock: ManualClock, send: (v: VoiceRecord) => Promise<void>) {
  const errors: unknown[] = [];
  const created = new ReminderScheduler({
    store: voices,
    clock,
    send,
    intervalMs: HOUR,
    onError: (error) => errors.push(error),
  });
  schedulers.push(created);
  return { scheduler: created, errors };
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reminders-'));
});

afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  for (const history of opened.splice(0)) history.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('ReminderScheduler', () => {
  it('reminds a day before the deadline of an unused voice, once, and again never after a restart', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const first = store();
    first.record(voice('Unused00001', start));
    first.record(voice('UsedVoice01', start));
    first.recordUse('UsedVoice01', Math.floor(start / 1000) + 60);
    const posted: string[] = [];
    const { scheduler: before } = scheduler(first, clock, (v) => {
      posted.push(v.voiceId);
      return Promise.resolve();
    });
    before.start();
    await clock.advance(5 * DAY);
    expect(posted).toEqual([]);

    // The hourly pass after six days finds the voice within a day of its deadline.
    await clock.advance(DAY + HOUR);
    expect(posted).toEqual(['Unused00001']);
    await clock.advance(3 * HOUR);
    expect(posted).toEqual(['Unused00001']);

    // A restart: a new scheduler on a freshly opened database, still inside the window.
    await before.stop();
    opened.splice(0).forEach((h) => h.close());
    const { scheduler: after } = scheduler(store(), clock, (v) => {
      posted.push(v.voiceId);
      return Promise.resolve();
    });
    after.start();
    await clock.advance(HOUR);
    expect(posted).toEqual(['Unused00001']);
    expect(store().get('Unused00001')?.reminderSentAt).toBeGreaterThan(0);
  });

  it('a voice used before its reminder is due is never reminded', async () => {
    const clock = new ManualClock();
    const voices = store();
    voices.record(voice('UsedInTime1', clock.now()));
    const posted: string[] = [];
    const { scheduler: s } = scheduler(voices, clock, (v) => {
      posted.push(v.voiceId);
      return Promise.resolve();
    });
    s.start();
    await clock.advance(3 * DAY);
    voices.recordUse('UsedInTime1', Math.floor(clock.now() / 1000));
    await clock.advance(5 * DAY);
    expect(posted).toEqual([]);
  });

  it('a reminder that could not be posted is tried again on the next pass, then marked', async () => {
    const clock = new ManualClock();
    const voices = store();
    voices.record(voice('FlakyPost01', clock.now() - 6.5 * DAY));
    let attempts = 0;
    const { scheduler: s, errors } = scheduler(voices, clock, () => {
      attempts++;
      return attempts === 1 ? Promise.reject(new Error('Discord is down')) : Promise.resolve();
    });
    s.start();
    await clock.advance(0);
    expect(attempts).toBe(1);
    expect(errors).toEqual([new Error('Discord is down')]);
    expect(voices.get('FlakyPost01')?.reminderSentAt).toBeUndefined();
    await clock.advance(HOUR);
    expect(attempts).toBe(2);
    await clock.advance(3 * HOUR);
    expect(attempts).toBe(2);
  });

  it('two passes at once post each reminder once', async () => {
    const clock = new ManualClock();
    const voices = store();
    for (let i = 0; i < 3; i++) voices.record(voice(`Concurrent${i}`, clock.now() - 6.5 * DAY));
    const posted: string[] = [];
    const { scheduler: s } = scheduler(voices, clock, async (v) => {
      await new Promise((resolve) => setImmediate(resolve));
      posted.push(v.voiceId);
    });
    const [a, b] = await Promise.all([s.runOnce(), s.runOnce()]);
    expect(a).toEqual(b);
    expect(posted.sort()).toEqual(['Concurrent0', 'Concurrent1', 'Concurrent2']);
  });
});
