import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  type APIMessageTopLevelComponent,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { UploadRecord } from '../src/history/upload-history.ts';
import { makeWav } from './support/audio.ts';
import type { RunningBot } from './support/start-bot.ts';
import type { DispatchedInteraction, EditBody } from './support/discord-stand-in/index.ts';
import { fileIdIn, sendUpload, type UploadCase } from './support/upload-flow.ts';
import { EVERY_UPLOAD } from './support/history-viewers.ts';
import { e2eBots } from './support/e2e-bots.ts';

const bots = e2eBots();

async function start(env: Record<string, string> = {}): Promise<RunningBot> {
  const bot = await bots.start({ env });
  return bot;
}

/** Length as Discord counts an option's characters: code points, an emoji's two UTF-16 units as one. */
function codePoints(text: string): number {
  return Array.from(text).length;
}

function upload(r: RunningBot, c: UploadCase) {
  return sendUpload(r.discord, bots.dmxapi, c);
}

describe('what the history stores', () => {
  it("orders and counts uploads by the bot's own clock; DMXAPI's created_at is only shown", async () => {
    const r = await start({ USER_DAILY_UPLOAD_LIMIT: '2' });
    const year2100 = 4102444800;
    const before = Math.floor(Date.now() / 1000);
    const first = await upload(r, {
      fileName: 'first.wav',
      bytes: makeWav(11.1),
      dmxapi: [{ kind: 'success', fileId: '5001', createdAt: year2100 }],
    });
    const second = await upload(r, {
      fileName: 'second.wav',
      bytes: makeWav(11.2),
      dmxapi: [{ kind: 'success', fileId: '5002', createdAt: 1000 }],
    });
    const after = Math.ceil(Date.now() / 1000);
    expect([fileIdIn(first.final), fileIdIn(second.final)]).toEqual(['5001', '5002']);
    // What DMXAPI said is shown with the result…
    expect(second.text).toContain('<t:1000:F>');

    // …but the history holds the bot's time: the later upload is listed first,
    const { records } = r.bot.history.search(
      r.discord.guildIds[0] ?? '',
      {},
      { offset: 0, limit: 10 },
      EVERY_UPLOAD,
    );
    expect(records.map((record) => record.fileId)).toEqual(['5002', '5001']);
    for (const record of records) {
      expect(Number.isInteger(record.createdAt)).toBe(true);
      expect(record.createdAt).toBeGreaterThanOrEqual(before);
      expect(record.createdAt).toBeLessThanOrEqual(after);
    }
    // …and both count against today's limit, whatever year DMXAPI claimed.
    const third = await upload(r, { fileName: 'third.wav', bytes: makeWav(11.3) });
    expect(third.text).toContain('uploaded 2 samples in the last 24 hours');
    expect(third.dmxapiRequests).toBe(0);
  });
});

/** A row as an upload would have written it; /uploads reads the history, however it was filled. */
function seed(r: RunningBot, fileId: string, overrides: Partial<UploadRecord>): void {
  r.bot.history.record({
    fileId,
    purpose: 'voice_clone',
    fileName: `${fileId}.wav`,
    bytes: 1000,
    format: 'wav',
    durationSeconds: 12,
    sha256: fileId.padStart(64, '0'),
    uploaderId: '300000000000000001',
    uploaderName: 'tester',
    guildId: r.discord.guildIds[0] ?? '',
    channelId: '1',
    messageUrl: undefined,
    createdAt: 1_700_000_000 + Number(fileId),
    totalTokens: undefined,
    inputTokens: undefined,
    outputTokens: undefined,
    private: false,
    ...overrides,
  });
}

interface Page {
  readonly fileIds: string[];
  readonly footer: string | undefined;
  readonly buttons: { customId: string; label: string; disabled: boolean }[];
}

function readPage(body: EditBody | undefined): Page {
  const embed = body?.embeds?.[0];
  const rows = (body?.components ?? []) as APIMessageTopLevelComponent[];
  return {
    fileIds: (embed?.fields ?? []).flatMap((field) => field.value.match(/```\n(\d+)\n```/)?.[1] ?? []),
    footer: embed?.footer?.text,
    buttons: rows.flatMap((row) =>
      'components' in row
        ? row.components.flatMap((c) =>
            'custom_id' in c && 'label' in c
              ? [{ customId: c.custom_id, label: String(c.label), disabled: c.disabled === true }]
              : [],
          )
        : [],
    ),
  };
}

async function listUploads(
  r: RunningBot,
  options: { purpose?: string; uploader?: string; file?: string },
  as: { userId?: string; memberRoles?: string[]; locale?: string } = {},
): Promise<{ list: DispatchedInteraction; page: Page; text: string }> {
  const list = r.discord.dispatchChatInputCommand({
    name: 'uploads',
    ...as,
    options: [
      ...(options.purpose === undefined
        ? []
        : [{ type: ApplicationCommandOptionType.String as const, name: 'purpose', value: options.purpose }]),
      ...(options.uploader === undefined
        ? []
        : [{ type: ApplicationCommandOptionType.User as const, name: 'uploader', value: options.uploader }]),
      ...(options.file === undefined
        ? []
        : [{ type: ApplicationCommandOptionType.String as const, name: 'file', value: options.file }]),
    ],
  });
  const edit = await list.waitForEdit((body) => (body.embeds?.length ?? 0) > 0);
  return { list, page: readPage(edit.body as EditBody), text: JSON.stringify(edit.body) };
}

async function click(r: RunningBot, list: DispatchedInteraction, page: Page, label: string): Promise<Page> {
  const button = page.buttons.find((b) => b.label === label);
  if (!button) return expect.unreachable(`no "${label}" button`);
  const callback = await r.discord.dispatchButton(list, button.customId).callback();
  return readPage((callback.body as { data?: EditBody }).data);
}

describe('/uploads paging keeps the whole filter', () => {
  // 100 characters, as many as the option takes, with letters outside the BMP that count twice in UTF-16.
  const start100 = `Запись 🎙️ ${'голос-'.repeat(13)}`;
  const longest = start100 + 'я'.repeat(100 - codePoints(start100));
  const widestUploader = '18446744073709551615';

  function seedMatchesAndDecoys(r: RunningBot, filter: string, overrides: Partial<UploadRecord>): void {
    for (let i = 0; i < 7; i++)
      seed(r, String(7000 + i), { ...overrides, fileName: `${filter} take ${i}.wav` });
    // The same first 60 characters, then something else: what a cut filter would also find.
    for (let i = 0; i < 3; i++) {
      seed(r, String(7100 + i), { ...overrides, fileName: `${filter.slice(0, 60)} other ${i}.wav` });
    }
  }

  it.each([
    ['every option at its longest', { purpose: 'prompt_audio', uploader: widestUploader, file: longest }],
    ['a long file filter alone', { file: longest }],
  ])('shows page 2 of the same search as page 1: %s', async (_case, options) => {
    expect(codePoints(longest)).toBe(100);
    const r = await start();
    seedMatchesAndDecoys(r, longest, {
      purpose: 'prompt_audio',
      uploaderId: widestUploader,
      durationSeconds: 5,
    });
    const { list, page: first } = await listUploads(r, options);
    expect(first.footer).toBe('Page 1 of 2 · 7 uploads');
    expect(first.fileIds).toEqual(['7006', '7005', '7004', '7003', '7002']);
    for (const button of first.buttons) expect(button.customId.length).toBeLessThanOrEqual(100);

    const second = await click(r, list, first, 'Next');
    expect(second.footer).toBe('Page 2 of 2 · 7 uploads');
    expect(second.fileIds).toEqual(['7001', '7000']);
    const back = await click(r, list, second, 'Previous');
    expect(back).toEqual(first);
  });

  it.each([
    ['en-US', 'List expired', 'Run `/uploads` again with the same filters.'],
    ['zh-CN', '列表已过期', '请用相同的筛选条件重新运行 `/uploads`。'],
  ])('says, in %s, when the search behind a list is no longer kept', async (locale, title, hint) => {
    const r = await start();
    for (let i = 0; i < 6; i++) seed(r, String(7400 + i), {});
    const { list, page } = await listUploads(r, {});
    const db = new DatabaseSync(join(r.dataDir, 'history.sqlite'));
    db.exec('DELETE FROM upload_searches');
    db.close();
    const next = page.buttons.find((b) => b.label === 'Next');
    const callback = await r.discord.dispatchButton(list, next?.customId ?? '', { locale }).callback();
    const reply = (callback.body as { data?: EditBody }).data;
    expect(reply?.embeds?.[0]?.title).toBe(title);
    expect(JSON.stringify(reply)).toContain(hint);
  });

  it('finds Cyrillic whatever its case, on every page', async () => {
    const r = await start();
    for (let i = 0; i < 6; i++) seed(r, String(7200 + i), { fileName: `ЗАПИСЬ АЛИСЫ ${i}.wav` });
    seed(r, '7300', { fileName: 'bob.wav' });
    const { list, page } = await listUploads(r, { file: 'запись алисы' });
    expect(page.footer).toBe('Page 1 of 2 · 6 uploads');
    expect((await click(r, list, page, 'Next')).fileIds).toEqual(['7200']);
  });
});

describe('/uploads and private uploads', () => {
  const UPLOADER = '300000000000000001';
  const OTHER = '300000000000000002';

  async function withPrivateUploads(): Promise<RunningBot> {
    const r = await start();
    seed(r, '8001', { fileName: 'public take.wav', uploaderId: OTHER, uploaderName: 'other' });
    seed(r, '8002', {
      fileName: 'secret of other.wav',
      uploaderId: OTHER,
      uploaderName: 'other',
      private: true,
    });
    // The uploader's own private upload, through /upload private:true as a member sends it.
    const result = await upload(r, {
      fileName: 'my secret take.wav',
      bytes: makeWav(11.4),
      private: true,
      dmxapi: [{ kind: 'success', fileId: '8003' }],
    });
    expect(fileIdIn(result.final)).toBe('8003');
    return r;
  }

  it('lists a private upload to nobody else, not even by name in suggestions', async () => {
    const r = await withPrivateUploads();
    const { page, text } = await listUploads(r, {}, { userId: '300000000000000009' });
    expect(page.fileIds).toEqual(['8001']);
    expect(page.footer).toBe('Page 1 of 1 · 1 upload');
    expect(text).not.toContain('secret');
    const { page: filtered } = await listUploads(
      r,
      { file: 'secret', uploader: OTHER },
      { userId: UPLOADER },
    );
    expect(filtered.fileIds).toEqual([]);

    const suggestion = r.discord.dispatchAutocomplete({
      name: 'uploads',
      userId: '300000000000000009',
      options: [{ type: ApplicationCommandOptionType.String, name: 'file', value: '', focused: true }],
    });
    await suggestion.callback();
    expect(suggestion.choices()?.map((choice) => choice.name)).toEqual(['public take.wav']);
  });

  it('lists a private upload to its uploader, marked private', async () => {
    const r = await withPrivateUploads();
    const { page, text } = await listUploads(r, {}, { userId: UPLOADER });
    expect(page.fileIds).toEqual(['8003', '8001']);
    expect(text).toMatch(/my secret take\.wav[^}]*private/i);
    expect(text).not.toContain('secret of other');
  });

  it.each([
    ['en-US', /Private/],
    ['zh-CN', /仅上传者可见/],
  ])(
    'lists every upload to a member with Manage Server, the private ones marked (%s)',
    async (locale, mark) => {
      const r = await withPrivateUploads();
      const managers = r.discord.createRole({
        name: 'managers',
        permissions: PermissionFlagsBits.ManageGuild,
      });
      const { page } = await listUploads(
        r,
        {},
        { userId: '300000000000000009', memberRoles: [managers.id], locale },
      );
      expect(page.fileIds).toEqual(['8003', '8002', '8001']);
      const list = r.discord.dispatchChatInputCommand({
        name: 'uploads',
        userId: '300000000000000009',
        memberRoles: [managers.id],
        locale,
      });
      const body = (await list.waitForEdit((b) => (b.embeds?.length ?? 0) > 0)).body as EditBody;
      const fields = body.embeds?.[0]?.fields ?? [];
      const marked = fields
        .filter((field) => mark.test(field.value))
        .map((field) => field.value.match(/```\n(\d+)/)?.[1]);
      expect(marked).toEqual(['8003', '8002']);
    },
  );
});
