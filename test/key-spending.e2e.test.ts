import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ApplicationCommandOptionType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { makeWav } from './support/audio.ts';
import type { BotOptions } from '../src/bot.ts';
import type { RunningBot } from './support/start-bot.ts';
import {
  fileIdIn,
  NOTICE_COLOR,
  sendUpload,
  SUCCESS_COLOR,
  whenEdited,
  type UploadCase,
} from './support/upload-flow.ts';
import { EVERY_UPLOAD } from './support/history-viewers.ts';
import { e2eBots } from './support/e2e-bots.ts';

const bots = e2eBots();

async function start(env: Record<string, string> = {}, bot: BotOptions = {}): Promise<RunningBot> {
  // These tests are about spending, not reading files: a loaded machine must not make a plain WAV
  // "too complex to read".
  const r = await bots.start({ env: { INSPECT_TIMEOUT_MS: '60000', ...env }, bot });
  return r;
}

function upload(r: RunningBot, c: UploadCase) {
  return sendUpload(r.discord, bots.dmxapi, c);
}

describe('the daily quota', () => {
  it('spends at most the remaining quota on simultaneous uploads', async () => {
    const r = await start({ USER_DAILY_UPLOAD_LIMIT: '3', MAX_CONCURRENT_UPLOADS: '4' });
    await upload(r, { fileName: 'earlier.wav', bytes: makeWav(10.1) });
    const before = bots.dmxapi.received.length;

    // Two places remain; four different files arrive at once, each slow enough to overlap the others.
    bots.dmxapi.script(...Array.from({ length: 4 }, () => ({ kind: 'success' as const, delayMs: 200 })));
    const results = await Promise.all(
      [10.2, 10.3, 10.4, 10.5].map((seconds, i) =>
        upload(r, { fileName: `take-${i}.wav`, bytes: makeWav(seconds) }),
      ),
    );

    expect(bots.dmxapi.received.length - before).toBe(2);
    const uploaded = results.filter((result) => result.final.embeds?.[0]?.color === SUCCESS_COLOR);
    expect(uploaded).toHaveLength(2);
    const refused = results.filter((result) => fileIdIn(result.final) === undefined);
    expect(refused).toHaveLength(2);
    for (const result of refused) {
      expect(result.text).toContain('Daily upload limit reached');
      expect(result.text).toContain('2 of them still running, reach the limit of 3 per member');
      expect(result.text).toMatch(/otherwise <t:\d+:R>\./);
    }
  });

  it('gives a place back when an upload fails before anything was sent', async () => {
    const r = await start({ USER_DAILY_UPLOAD_LIMIT: '1' });
    const refused = await upload(r, { fileName: 'short.wav', bytes: makeWav(3) });
    expect(refused.text).toContain('Audio too short');
    expect(refused.dmxapiRequests).toBe(0);

    const next = await upload(r, { fileName: 'good.wav', bytes: makeWav(10.6) });
    expect(next.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
  });

  it('keeps counting an upload whose answer was lost, since DMXAPI may have stored it', async () => {
    const r = await start({ USER_DAILY_UPLOAD_LIMIT: '1' });
    const lost = await upload(r, {
      fileName: 'lost.wav',
      bytes: makeWav(10.7),
      dmxapi: [{ kind: 'reply', status: 200, body: '<html>gateway page</html>' }],
    });
    expect(lost.dmxapiRequests).toBe(1);
    const next = await upload(r, { fileName: 'next.wav', bytes: makeWav(10.8) });
    expect(next.text).toContain('Daily upload limit reached');
    expect(next.dmxapiRequests).toBe(0);
  });
});

const ALICE = '300000000000000011';
const BOB = '300000000000000012';

function forced(c: UploadCase): UploadCase {
  return {
    ...c,
    extraOptions: [{ type: ApplicationCommandOptionType.Boolean, name: 'force', value: true }],
  };
}

/**
 * Resolves once `count` requests show they wait for the same file being uploaded, or once a second
 * request for it reached DMXAPI (what happened before uploads in flight were deduplicated).
 */
async function whenWaiting(r: RunningBot, count: number, before: number): Promise<void> {
  await Promise.race([
    whenEdited(r.discord, 'waiting for its file_id', count),
    bots.dmxapi.waitForRequests(before + 2),
  ]);
}

describe('the same file sent twice at once', () => {
  it('is uploaded once, and every request shows the same file_id', async () => {
    const r = await start({ MAX_CONCURRENT_UPLOADS: '4' });
    const bytes = makeWav(11.1);
    const answer = bots.heldAnswer();
    bots.dmxapi.script(
      { kind: 'success', fileId: '5150', until: answer.until },
      { kind: 'success', fileId: '5151' },
    );
    const before = bots.dmxapi.received.length;
    const pending = Promise.all(
      ['double.wav', 'double.wav', 'copy.wav'].map((fileName) => upload(r, { fileName, bytes })),
    );
    await whenWaiting(r, 2, before);
    answer.release();
    const results = await pending;

    expect(bots.dmxapi.received.length - before).toBe(1);
    expect(results.map((result) => result.text.match(/```\n(\d+)\n```/)?.[1])).toEqual([
      '5150',
      '5150',
      '5150',
    ]);
    expect(results.filter((result) => result.final.embeds?.[0]?.color === SUCCESS_COLOR)).toHaveLength(1);
    expect(results.filter((result) => result.final.embeds?.[0]?.color === NOTICE_COLOR)).toHaveLength(2);
  });

  it('is uploaded once with force too, however the two clicks interleave', async () => {
    const r = await start({ MAX_CONCURRENT_UPLOADS: '4' });
    const bytes = makeWav(11.2);
    // The first click's upload has finished before the second click's check: force must not pay again.
    bots.dmxapi.script({ kind: 'success', fileId: '6160' });
    const before = bots.dmxapi.received.length;
    const first = upload(r, forced({ fileName: 'f.wav', bytes }));
    const url = r.discord.serveAttachment('f.wav', bytes, { delayMs: 3000 });
    const second = upload(r, forced({ fileName: 'f.wav', bytes, url }));
    const results = await Promise.all([first, second]);
    expect(bots.dmxapi.received.length - before).toBe(1);
    for (const result of results) expect(result.text).toContain('```\n6160\n```');
    // The second found the first finished rather than in flight.
    expect(JSON.stringify(results[1].interaction.requests())).not.toContain('waiting for its file_id');

    // A later, separate request with force does upload again.
    const later = await upload(r, forced({ fileName: 'f.wav', bytes }));
    expect(later.dmxapiRequests).toBe(1);
  });

  it('is uploaded by the one waiting when the first upload fails', async () => {
    const r = await start({ MAX_CONCURRENT_UPLOADS: '4' });
    const bytes = makeWav(11.3);
    const answer = bots.heldAnswer();
    bots.dmxapi.script(
      { kind: 'reply', status: 400, body: { error: { message: 'bad request' } }, until: answer.until },
      { kind: 'success', fileId: '7170' },
    );
    const before = bots.dmxapi.received.length;
    const pending = Promise.all([1, 2].map(() => upload(r, { fileName: 'g.wav', bytes })));
    await whenWaiting(r, 1, before);
    answer.release();
    const results = await pending;
    expect(bots.dmxapi.received.length - before).toBe(2);
    expect(results.map((result) => fileIdIn(result.final) ?? 'failed').sort()).toEqual(['7170', 'failed']);
  });
});

describe("another member's private upload", () => {
  it('is never revealed through dedup: only that it was uploaded privately, with force offered', async () => {
    const r = await start();
    const bytes = makeWav(11.4);
    bots.dmxapi.script({ kind: 'success', fileId: '8181' }, { kind: 'success', fileId: '8182' });
    const mine = await upload(r, { fileName: 'secret.wav', bytes, private: true, userId: ALICE });
    expect(fileIdIn(mine.final)).toBe('8181');

    const theirs = await upload(r, { fileName: 'public.wav', bytes, userId: BOB });
    expect(theirs.dmxapiRequests).toBe(0);
    expect(theirs.text).toContain('Uploaded privately before');
    expect(theirs.text).toContain('force: True');
    expect(theirs.text).not.toContain('tester');
    expect(JSON.stringify(theirs.interaction.requests().map((q) => q.body))).not.toContain('8181');

    const own = await upload(r, { fileName: 'again.wav', bytes, userId: ALICE });
    expect(own.text).toContain('```\n8181\n```');

    const forcedCopy = await upload(r, forced({ fileName: 'mine.wav', bytes, userId: BOB }));
    expect(forcedCopy.dmxapiRequests).toBe(1);
    expect(fileIdIn(forcedCopy.final)).toBe('8182');
  });

  it('is not revealed to a member who sent the same file while it was in flight', async () => {
    const r = await start({ MAX_CONCURRENT_UPLOADS: '4' });
    const bytes = makeWav(11.5);
    const answer = bots.heldAnswer();
    bots.dmxapi.script({ kind: 'success', fileId: '9191', until: answer.until });
    const before = bots.dmxapi.received.length;
    const mine = upload(r, { fileName: 'secret.wav', bytes, private: true, userId: ALICE });
    await bots.dmxapi.waitForRequests(before + 1);
    const theirs = upload(r, { fileName: 'same.wav', bytes, userId: BOB });
    await whenWaiting(r, 1, before);
    answer.release();

    expect(fileIdIn((await mine).final)).toBe('9191');
    const result = await theirs;
    expect(bots.dmxapi.received.length - before).toBe(1);
    expect(result.text).toContain('Uploaded privately before');
    expect(JSON.stringify(result.interaction.requests().map((q) => q.body))).not.toContain('9191');
  });
});

describe('a history another connection is writing to', () => {
  /** Another connection to the history file, holding its write lock until it commits. */
  function lockHistory(r: RunningBot): DatabaseSync {
    const other = new DatabaseSync(join(r.dataDir, 'history.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    return other;
  }

  it('waits for the lock and records the upload', async () => {
    const r = await start();
    const other = lockHistory(r);
    bots.dmxapi.script({ kind: 'success', fileId: '3131' });
    const before = bots.dmxapi.received.length;
    const pending = upload(r, { fileName: 'busy.wav', bytes: makeWav(12.5) });
    await bots.dmxapi.waitForRequests(before + 1);
    setTimeout(() => {
      other.exec('COMMIT');
      other.close();
    }, 600);
    const result = await pending;

    expect(fileIdIn(result.final)).toBe('3131');
    const guildId = r.discord.guildIds[0] ?? '';
    expect(r.bot.history.search(guildId, {}, { offset: 0, limit: 5 }, EVERY_UPLOAD).records[0]?.fileId).toBe(
      '3131',
    );
    expect(r.logs()).not.toContain('could not be written to the history');
    expect(await r.bot.metrics.render()).toMatch(/^voicebot_history_write_failures_total 0$/m);
  });

  it('still shows the file_id, logs the record and counts the failure when the lock outlasts the wait', async () => {
    const r = await start({}, { historyRetryDelaysMs: [20, 20] });
    const other = lockHistory(r);
    try {
      bots.dmxapi.script({ kind: 'success', fileId: '3232' });
      const result = await upload(r, { fileName: 'locked.wav', bytes: makeWav(12.6) });
      expect(result.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
      expect(fileIdIn(result.final)).toBe('3232');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(r.logs()).toContain('upload succeeded but could not be written to the history');
    expect(r.logs()).toContain('"fileId":"3232"');
    expect(r.logs()).toContain('database is locked');
    expect(await r.bot.metrics.render()).toMatch(/^voicebot_history_write_failures_total 1$/m);
  });
});
