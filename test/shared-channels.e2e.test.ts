import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ApplicationCommandOptionType, InteractionResponseType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createBot } from '../src/bot.ts';
import { parseConfig } from '../src/config.ts';
import { HistoryUnavailableError } from '../src/history/upload-history.ts';
import { createLogger } from '../src/logger.ts';
import { fixture, makeWav } from './support/audio.ts';
import { TEST_API_KEY, TEST_TOKEN, type RunningBot } from './support/start-bot.ts';
import type { EditBody } from './support/discord-stand-in/index.ts';
import {
  embedText,
  ERROR_COLOR,
  fileIdIn,
  NOTICE_COLOR,
  sendUpload,
  SUCCESS_COLOR,
  type UploadCase,
} from './support/upload-flow.ts';
import { EVERY_UPLOAD } from './support/history-viewers.ts';
import { e2eBots } from './support/e2e-bots.ts';

const bots = e2eBots();

async function start(env: Record<string, string> = {}, dataDir?: string): Promise<RunningBot> {
  const bot = await bots.start({ env, dataDir });
  return bot;
}

function upload(r: RunningBot, c: UploadCase & { force?: boolean }) {
  if (c.force === undefined) return sendUpload(r.discord, bots.dmxapi, c);
  return sendUpload(r.discord, bots.dmxapi, {
    ...c,
    extraOptions: [{ type: ApplicationCommandOptionType.Boolean, name: 'force', value: c.force }],
  });
}

describe('history', () => {
  it('records every successful upload with what the team needs, and keeps it across a restart', async () => {
    const first = await start();
    const bytes = makeWav(12.25);
    bots.dmxapi.script({ kind: 'success', fileId: '9007199254740993001' });
    const result = await upload(first, { fileName: 'alice take 1.wav', bytes });
    expect(fileIdIn(result.final)).toBe('9007199254740993001');

    const guildId = first.discord.guildIds[0] ?? '';
    const page = first.bot.history.search(guildId, {}, { offset: 0, limit: 10 }, EVERY_UPLOAD);
    expect(page.total).toBe(1);
    expect(page.records[0]).toMatchObject({
      fileId: '9007199254740993001',
      purpose: 'voice_clone',
      fileName: 'alice take 1.wav',
      bytes: bytes.length,
      format: 'wav',
      durationSeconds: 12.25,
      uploaderName: 'tester',
      totalTokens: 203,
    });
    expect(page.records[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Math.abs((page.records[0]?.createdAt ?? 0) - Date.now() / 1000)).toBeLessThan(60);
    expect(page.records[0]?.messageUrl).toMatch(/^https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+$/);

    await first.stop();
    const again = await start({}, first.dataDir);
    expect(again.bot.history.search(guildId, {}, { offset: 0, limit: 10 }, EVERY_UPLOAD).records).toEqual(
      page.records,
    );
  });

  it('still shows the file_id when the history write fails, and logs it', async () => {
    const r = await start();
    // A real SQLite failure on write only: reads (dedup, quota) keep working.
    const db = new DatabaseSync(join(r.dataDir, 'history.sqlite'));
    db.exec(
      "CREATE TRIGGER refuse_writes BEFORE INSERT ON uploads BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    db.close();
    bots.dmxapi.script({ kind: 'success', fileId: '424242' });
    const result = await upload(r, { fileName: 'lost.wav', bytes: makeWav(10.75) });
    expect(result.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    expect(fileIdIn(result.final)).toBe('424242');
    expect(r.logs()).toContain('upload succeeded but could not be written to the history');
    expect(r.logs()).toContain('"fileId":"424242"');
    expect(r.logs()).toContain('disk full');
  });

  it('refuses to start on a corrupt history file, saying what to do', async () => {
    const r = await start();
    await r.stop();
    await writeFile(join(r.dataDir, 'history.sqlite'), 'not a database\n'.repeat(200));
    const config = parseConfig({
      DISCORD_TOKEN: TEST_TOKEN,
      DMXAPI_API_KEY: TEST_API_KEY,
      DATA_DIR: r.dataDir,
    });
    expect(() => createBot(config, createLogger('silent'))).toThrow(HistoryUnavailableError);
    expect(() => createBot(config, createLogger('silent'))).toThrow(/move it aside to start a new history/);
  });
});

describe('spend the key once', () => {
  it('answers the same content for the same purpose with the earlier file_id, uploading nothing', async () => {
    const r = await start();
    const bytes = fixture('voice-12s.m4a');
    bots.dmxapi.script({ kind: 'success', fileId: '1111' });
    await upload(r, { fileName: 'original.m4a', bytes });

    const again = await upload(r, { fileName: 'renamed copy.m4a', bytes });
    expect(again.dmxapiRequests).toBe(0);
    expect(again.final.embeds?.[0]?.color).toBe(NOTICE_COLOR);
    expect(again.text).toContain('Already uploaded');
    expect(again.text).toContain('```\n1111\n```');
    expect(again.text).toContain('by **tester**');
    const earlier = r.bot.history.search(
      r.discord.guildIds[0] ?? '',
      {},
      { offset: 0, limit: 1 },
      EVERY_UPLOAD,
    ).records[0];
    expect(again.text).toContain(`<t:${earlier?.createdAt ?? 0}:R>`);
    expect(again.text).toContain('force: True');
  });

  it('uploads again with force, and treats another purpose as new', async () => {
    const r = await start();
    const bytes = fixture('prompt-3s.mp3');
    bots.dmxapi.script({ kind: 'success', fileId: '2001' }, { kind: 'success', fileId: '2002' });
    await upload(r, { fileName: 'p.mp3', bytes, purpose: 'prompt_audio' });
    const forced = await upload(r, { fileName: 'p.mp3', bytes, purpose: 'prompt_audio', force: true });
    expect(forced.dmxapiRequests).toBe(1);
    expect(fileIdIn(forced.final)).toBe('2002');
  });
});

describe('who may spend the key', () => {
  it('refuses every member of a guild that is not allowed, uploading nothing', async () => {
    const r = await start({ ALLOWED_GUILD_IDS: '111111111111111111' });
    const result = await upload(r, { fileName: 'a.wav', bytes: makeWav(11.5) });
    expect(result.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    expect(result.text).toContain('ALLOWED_GUILD_IDS');
    expect(result.dmxapiRequests).toBe(0);
  });

  it('refuses a member without an allowed role and serves one with it', async () => {
    const role = '555555555555555555';
    const r = await start({ ALLOWED_ROLE_IDS: role });
    const refused = await upload(r, { fileName: 'a.wav', bytes: makeWav(11.6), memberRoles: [] });
    expect(refused.text).toContain('Missing role');
    expect(refused.dmxapiRequests).toBe(0);
    const served = await upload(r, { fileName: 'a.wav', bytes: makeWav(11.6), memberRoles: [role] });
    expect(served.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
  });

  it('refuses direct messages', async () => {
    const r = await start();
    const result = await upload(r, { fileName: 'a.wav', bytes: makeWav(11.7), dm: true });
    expect(result.text).toContain('not in direct messages');
    expect(result.dmxapiRequests).toBe(0);
  });

  it('makes a member wait out the cooldown, saying until when', async () => {
    const r = await start({ USER_COOLDOWN_SECONDS: '600' });
    await upload(r, { fileName: 'a.wav', bytes: makeWav(11.8) });
    const second = await upload(r, { fileName: 'b.wav', bytes: makeWav(11.9) });
    expect(second.text).toContain('Slow down');
    expect(second.text).toMatch(/You can upload again <t:\d+:R>\./);
    expect(second.dmxapiRequests).toBe(0);
  });

  it('stops a member at the daily limit, saying when a place frees up', async () => {
    const r = await start({ USER_DAILY_UPLOAD_LIMIT: '2' });
    await upload(r, { fileName: 'a.wav', bytes: makeWav(12.1) });
    await upload(r, { fileName: 'b.wav', bytes: makeWav(12.2) });
    const third = await upload(r, { fileName: 'c.wav', bytes: makeWav(12.3) });
    expect(third.text).toContain('uploaded 2 samples in the last 24 hours');
    // A place frees when the oldest of the two turns 24 hours old.
    const [oldest] = r.bot.history.uploadTimesSince('300000000000000001', 0);
    expect(third.text).toContain(`<t:${(oldest ?? 0) + 86400}:R>`);
    expect(third.dmxapiRequests).toBe(0);
  });
});

describe('/uploads', () => {
  async function seeded(): Promise<RunningBot> {
    const r = await start();
    for (let i = 0; i < 7; i++) {
      bots.dmxapi.script({ kind: 'success', fileId: String(3000 + i) });
      await upload(r, {
        fileName: i % 2 === 0 ? `alice-${i}.wav` : `bob-${i}.wav`,
        bytes: makeWav(i < 5 ? 13 + i / 10 : 3 + i / 10),
        purpose: i < 5 ? 'voice_clone' : 'prompt_audio',
      });
    }
    return r;
  }

  it('lists the guild newest first with copyable file_ids, pages with buttons, and filters', async () => {
    const r = await seeded();
    const list = r.discord.dispatchChatInputCommand({ name: 'uploads' });
    const first = await list.waitForEdit((body) => (body.embeds?.length ?? 0) > 0);
    const text = embedText(first.body as EditBody);
    expect(text).toContain('Page 1 of 2 · 7 uploads');
    expect(text.indexOf('```\n3006\n```')).toBeLessThan(text.indexOf('```\n3005\n```'));
    expect(text).not.toContain('```\n3001\n```');

    // The "Next" button as the message carries it (its custom id names the saved search).
    const nextId = /"custom_id":"(uploads:1:[^"]+)"/.exec(JSON.stringify(first.body))?.[1];
    const next = r.discord.dispatchButton(list, nextId ?? '');
    const update = await next.callback();
    expect(update.body).toMatchObject({ type: InteractionResponseType.UpdateMessage });
    const second = embedText((update.body as { data?: EditBody }).data);
    expect(second).toContain('Page 2 of 2');
    expect(second).toContain('```\n3000\n```');

    const prompts = r.discord.dispatchChatInputCommand({
      name: 'uploads',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'purpose', value: 'prompt_audio' },
        { type: ApplicationCommandOptionType.String, name: 'file', value: 'BOB' },
      ],
    });
    const filtered = embedText(
      (await prompts.waitForEdit((body) => (body.embeds?.length ?? 0) > 0)).body as EditBody,
    );
    expect(filtered).toContain('1 upload');
    expect(filtered).toContain('```\n3005\n```');
  });

  it('suggests file names as the member types', async () => {
    const r = await seeded();
    const suggestion = r.discord.dispatchAutocomplete({
      name: 'uploads',
      options: [{ type: ApplicationCommandOptionType.String, name: 'file', value: 'ali', focused: true }],
    });
    const callback = await suggestion.callback();
    expect(callback.body).toMatchObject({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
    });
    const choices = (callback.body as { data: { choices: { name: string }[] } }).data.choices.map(
      (c) => c.name,
    );
    expect(choices).toEqual(['alice-6.wav', 'alice-4.wav', 'alice-2.wav', 'alice-0.wav']);
  });
});
