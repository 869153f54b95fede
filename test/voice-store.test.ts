import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpeechUsage } from '../src/history/speech-usage.ts';
import { MIGRATIONS, UploadHistory } from '../src/history/upload-history.ts';
import { VOICE_LIFETIME_SECONDS, VoiceStore, voiceState, type NewVoice } from '../src/history/voice-store.ts';

const DAY = 24 * 60 * 60;
const T0 = 1_780_000_000;
let dataDir: string;
const opened: UploadHistory[] = [];

function open(): { history: UploadHistory; voices: VoiceStore; usage: SpeechUsage } {
  const history = UploadHistory.open(dataDir);
  opened.push(history);
  return { history, voices: new VoiceStore(history.database), usage: new SpeechUsage(history.database) };
}

function voice(overrides: Partial<NewVoice> = {}): NewVoice {
  return {
    voiceId: 'TeamAlice2026',
    guildId: '100000000000000001',
    channelId: '200000000000000001',
    ownerId: '300000000000000001',
    ownerName: 'alice',
    private: false,
    sourceFileId: '9007199254740993123',
    promptFileId: undefined,
    createdAt: T0,
    ...overrides,
  };
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'voices-'));
});

afterEach(async () => {
  for (const history of opened.splice(0)) history.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('migration from the schema the bot shipped before voices', () => {
  it('upgrades a version-2 history in place, keeping every upload with its exact file_id', async () => {
    await copyFile(new URL('./fixtures/history-v2.sqlite', import.meta.url), join(dataDir, 'history.sqlite'));
    const { history, voices } = open();
    expect(history.schemaVersion).toBe(MIGRATIONS.length);
    expect(MIGRATIONS.length).toBeGreaterThan(2);
    const { total, records } = history.search(
      '100000000000000001',
      {},
      { offset: 0, limit: 10 },
      { userId: 'manager', seesPrivate: true },
    );
    expect(total).toBe(2);
    expect(records.map((r) => r.fileId)).toEqual(['365589324152946', '9007199254740993123']);
    expect(records[1]).toMatchObject({ uploaderName: 'alice', durationSeconds: 12.7, totalTokens: 203 });

    voices.record(voice());
    history.close();
    const again = open();
    expect(again.history.schemaVersion).toBe(MIGRATIONS.length);
    expect(again.voices.get('TeamAlice2026')?.sourceFileId).toBe('9007199254740993123');
  });
});

describe('VoiceStore', () => {
  it('keeps every field across a restart, the deadline seven days after creation', () => {
    const first = open();
    const recorded = first.voices.record(voice({ private: true, promptFileId: '365589324152946' }));
    expect(recorded.deadlineAt).toBe(T0 + VOICE_LIFETIME_SECONDS);
    first.history.close();
    expect(open().voices.get('TeamAlice2026')).toEqual({
      ...voice({ private: true, promptFileId: '365589324152946' }),
      deadlineAt: T0 + 7 * DAY,
      firstUsedAt: undefined,
      lastUsedAt: undefined,
      useCount: 0,
      reminderSentAt: undefined,
    });
  });

  it('knows the voice ids it made, and refuses to record one twice', () => {
    const { voices } = open();
    voices.record(voice());
    expect(voices.has('TeamAlice2026')).toBe(true);
    expect(voices.has('teamalice2026')).toBe(false);
    expect(() => voices.record(voice())).toThrow(/UNIQUE/);
  });

  it('records each use: the first one says so, and the voice is kept from then on', () => {
    const { voices } = open();
    voices.record(voice());
    expect(voiceState(voices.get('TeamAlice2026') ?? expect.unreachable(), T0 + DAY)).toBe('pending');
    expect(voices.recordUse('TeamAlice2026', T0 + 100)).toEqual({ firstUse: true });
    expect(voices.recordUse('TeamAlice2026', T0 + 200)).toEqual({ firstUse: false });
    expect(voices.recordUse('male-qn-qingse', T0 + 200)).toBeUndefined();
    const used = voices.get('TeamAlice2026') ?? expect.unreachable();
    expect(used).toMatchObject({ firstUsedAt: T0 + 100, lastUsedAt: T0 + 200, useCount: 2 });
    expect(voiceState(used, T0 + 30 * DAY)).toBe('kept');
  });

  it('an unused voice is pending until its deadline, then expired', () => {
    const { voices } = open();
    const recorded = voices.record(voice());
    expect(voiceState(recorded, recorded.deadlineAt - 1)).toBe('pending');
    expect(voiceState(recorded, recorded.deadlineAt)).toBe('expired');
  });

  it('lists a guild newest first, a private voice only to its owner, paged', () => {
    const { voices } = open();
    for (let i = 0; i < 5; i++) {
      voices.record(
        voice({ voiceId: `Voice000${i}`, createdAt: T0 + i, private: i === 3, ownerId: `owner-${i}` }),
      );
    }
    voices.record(voice({ voiceId: 'OtherGuild1', guildId: '999' }));
    const stranger = voices.list('100000000000000001', { userId: 'someone' }, { offset: 0, limit: 3 });
    expect(stranger.total).toBe(4);
    expect(stranger.voices.map((v) => v.voiceId)).toEqual(['Voice0004', 'Voice0002', 'Voice0001']);
    const owner = voices.list('100000000000000001', { userId: 'owner-3' }, { offset: 0, limit: 10 });
    expect(owner.voices.map((v) => v.voiceId)).toEqual([
      'Voice0004',
      'Voice0003',
      'Voice0002',
      'Voice0001',
      'Voice0000',
    ]);
  });

  it('searches voice ids in any case, visible ones only, for autocomplete', () => {
    const { voices } = open();
    voices.record(voice({ voiceId: 'TeamAlice2026', createdAt: T0 }));
    voices.record(voice({ voiceId: 'AliceWhisper1', createdAt: T0 + 1 }));
    voices.record(voice({ voiceId: 'AliceSecret01', createdAt: T0 + 2, private: true, ownerId: 'bob' }));
    voices.record(voice({ voiceId: 'Bob_voice_1a', createdAt: T0 + 3 }));
    expect(voices.search('100000000000000001', { userId: 'x' }, 'aLiCe', 25).map((v) => v.voiceId)).toEqual([
      'AliceWhisper1',
      'TeamAlice2026',
    ]);
    expect(voices.search('100000000000000001', { userId: 'bob' }, 'alice', 1).map((v) => v.voiceId)).toEqual([
      'AliceSecret01',
    ]);
    expect(voices.search('100000000000000001', { userId: 'x' }, '%', 25)).toEqual([]);
  });

  it('finds unused, unreminded voices whose deadline is within the window, and claims each once', () => {
    const { voices } = open();
    voices.record(voice({ voiceId: 'DueSoon0001', createdAt: T0 }));
    voices.record(voice({ voiceId: 'NotYetDue01', createdAt: T0 + 2 * DAY }));
    voices.record(voice({ voiceId: 'UsedAlready', createdAt: T0 }));
    voices.record(voice({ voiceId: 'ExpiredOne1', createdAt: T0 - 8 * DAY }));
    voices.recordUse('UsedAlready', T0 + 10);
    const now = T0 + 6 * DAY + 1;
    expect(voices.dueForReminder(now, DAY).map((v) => v.voiceId)).toEqual(['DueSoon0001']);
    expect(voices.claimReminder('DueSoon0001', now)).toBe(true);
    expect(voices.claimReminder('DueSoon0001', now)).toBe(false);
    expect(voices.dueForReminder(now, DAY)).toEqual([]);
    voices.releaseReminder('DueSoon0001');
    expect(voices.dueForReminder(now, DAY).map((v) => v.voiceId)).toEqual(['DueSoon0001']);
  });
});

describe('SpeechUsage (USER_DAILY_SPEECH_CHARS)', () => {
  const request = (characters: number, nowSeconds: number, userId = 'alice') => ({
    userId,
    guildId: 'g',
    voiceId: 'TeamAlice2026',
    characters,
    nowSeconds,
    dailyLimit: 1000,
  });

  it('reserves up to the limit and refuses past it, saying when enough frees up', () => {
    const { usage } = open();
    expect(usage.reserve(request(600, T0))).toMatchObject({ ok: true, usedBefore: 0 });
    expect(usage.reserve(request(300, T0 + 60))).toMatchObject({ ok: true, usedBefore: 600 });
    expect(usage.reserve(request(200, T0 + 120))).toEqual({ ok: false, used: 900, retryAt: T0 + DAY });
    expect(usage.reserve(request(100, T0 + 120))).toMatchObject({ ok: true });
    expect(usage.reserve(request(50, T0 + 130, 'bob'))).toMatchObject({ ok: true, usedBefore: 0 });
    expect(usage.used('alice', T0 + 130)).toBe(1000);
  });

  it('a text longer than the whole daily limit never fits', () => {
    const { usage } = open();
    expect(usage.reserve(request(1001, T0))).toEqual({ ok: false, used: 0, retryAt: undefined });
  });

  it('is a rolling 24 hours: usage leaves the window a day after it happened', () => {
    const { usage } = open();
    usage.reserve(request(1000, T0));
    expect(usage.reserve(request(1, T0 + DAY - 1)).ok).toBe(false);
    expect(usage.reserve(request(1000, T0 + DAY)).ok).toBe(true);
  });

  it('settles a reservation to the billed characters, and releases one that billed nothing', () => {
    const { usage } = open();
    const billed = usage.reserve(request(500, T0));
    const refused = usage.reserve(request(400, T0));
    if (!billed.ok || !refused.ok) return expect.unreachable();
    usage.settle(billed.id, 120);
    usage.release(refused.id);
    expect(usage.used('alice', T0 + 1)).toBe(120);
    // Settled usage stays whatever happens next.
    usage.release(billed.id);
    expect(usage.used('alice', T0 + 1)).toBe(120);
  });

  it('simultaneous reservations through two connections never pass the limit together', () => {
    const a = open();
    const b = open();
    const results = [a, b, a, b].map(({ usage }) => usage.reserve(request(300, T0)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(a.usage.used('alice', T0)).toBe(900);
  });
});
