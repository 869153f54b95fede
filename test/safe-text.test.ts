import { describe, expect, it } from 'vitest';
import { describeError } from '../src/discord/error-replies.ts';
import { AlreadyUploadedError } from '../src/discord/errors.ts';
import { displayFileName, errorEmbed, historyEmbed, successEmbed } from '../src/discord/replies.ts';
import { cutText, plainText, safeCode, safeText } from '../src/discord/safe-text.ts';
import { DmxapiServiceError } from '../src/dmxapi/errors.ts';
import type { UploadRecord } from '../src/history/upload-history.ts';
import { enUS } from '../src/i18n/en-US/index.ts';
import { CorruptAudioError, UnsupportedAudioFormatError } from '../src/audio/errors.ts';
import type { UploadOutcome } from '../src/pipeline/upload-pipeline.ts';

/** What a reader sees as a link: a masked link with unescaped brackets, or a web address Discord links. */
function linksIn(markdown: string): string[] {
  const masked = markdown.match(/(?<!\\)\[[^\]]*(?<!\\)\]\([^)]*\)/g) ?? [];
  const bare = markdown.match(/https?:\/\/\S+/g) ?? [];
  return [...masked, ...bare];
}

const LINK = '[x](https://evil.example)';

function record(fields: Partial<UploadRecord>): UploadRecord {
  return {
    fileId: '1',
    purpose: 'voice_clone',
    fileName: 'a.wav',
    bytes: 1,
    format: 'wav',
    durationSeconds: 12,
    sha256: 'ab'.repeat(32),
    uploaderId: '2',
    uploaderName: 'alice',
    guildId: '3',
    channelId: '4',
    messageUrl: undefined,
    createdAt: 1_770_876_014,
    totalTokens: undefined,
    inputTokens: undefined,
    outputTokens: undefined,
    private: false,
    ...fields,
  };
}

describe('safeText: outside text shown literally', () => {
  it.each([
    ['a masked link', LINK],
    ['a bare address', 'see https://evil.example/path'],
    ['an address in angle brackets', '<https://evil.example>'],
  ])('%s is not a link', (_label, value) => {
    expect(linksIn(safeText(value, 100))).toEqual([]);
  });

  it.each([
    ['# Heading', '\\# Heading'],
    ['## smaller', '\\## smaller'],
    ['-# subtext', '\\-# subtext'],
    ['> quoted', '\\> quoted'],
    ['>>> quoted to the end', '\\>>> quoted to the end'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['* item', '\\* item'],
    ['1. first', '1\\. first'],
    ['  # indented', '\\# indented'],
  ])('line-start Markdown %j is escaped', (value, shown) => {
    expect(safeText(value, 100)).toBe(shown);
  });

  it('escapes inline Markdown, mentions and custom emoji, and keeps ordinary text as it is', () => {
    expect(safeText('@everyone **x** <@123>.mp3', 100)).toBe(
      '@\u200beveryone \\*\\*x\\*\\* \\<@\u200b123>.mp3',
    );
    expect(safeText('__u__ ~~s~~ ||spoiler|| `code` \\ <:emoji:1>', 100)).toBe(
      '\\_\\_u\\_\\_ \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\`code\\` \\\\ \\<:emoji:1>',
    );
    expect(safeText('Take 3 (final) - 2024.mp3', 100)).toBe('Take 3 (final) - 2024.mp3');
    expect(safeText('声音样本 🎤.wav', 100)).toBe('声音样本 🎤.wav');
  });

  it('puts a value on one line, so nothing in it starts a heading or a quote', () => {
    expect(safeText('a\n# b\r\n> c\u2028d', 100)).toBe('a # b > c d');
  });

  it('removes bidi controls and zero-width characters, but keeps the joiner inside an emoji', () => {
    // "exe.mp3" spelled backwards behind a right-to-left override, a classic disguise.
    expect(safeText('invoice\u202Egnp.exe', 100)).toBe('invoicegnp.exe');
    expect(safeText('a\u200Bb\u200Cc\u2060d\uFEFFe\u200Ef\u2066g\u2069h\u061Ci\u00ADj', 100)).toBe(
      'abcdefghij',
    );
    expect(safeText('tag\u{E0041}\u{E0042}s', 100)).toBe('tags');
    expect(safeText('\u3164', 100)).toBe('');
    expect(safeText('👩\u200D💻 and a\u200Db', 100)).toBe('👩\u200D💻 and ab');
  });
});

describe('cutting by grapheme', () => {
  it('never splits an emoji: the result is well-formed UTF-16 with an ellipsis', () => {
    const cut = cutText('😀'.repeat(300), 200);
    expect(cut.isWellFormed()).toBe(true);
    expect(cut).toBe(`${'😀'.repeat(199)}…`);
    const family = '👨‍👩‍👧‍👦';
    const families = cutText(family.repeat(10), 5);
    expect(families).toBe(`${family.repeat(4)}…`);
  });

  it('keeps letters with their accents', () => {
    expect(cutText('e\u0301'.repeat(10), 4)).toBe(`${'e\u0301'.repeat(3)}…`);
  });

  it('bounds the length in UTF-16 units too, dropping a grapheme too long to fit whole', () => {
    const zalgo = `a${'\u0300'.repeat(500)}`;
    expect(cutText(`${zalgo}bc`, 10, 20)).toBe('…');
    expect(plainText('x'.repeat(50) + zalgo, 100, 100)).toBe(`${'x'.repeat(50)}…`);
    for (const max of [1, 2, 3, 10]) expect(cutText('😀😀😀😀😀', 10, max).length).toBeLessThanOrEqual(max);
  });

  it('leaves short text alone', () => {
    expect(cutText('short', 5)).toBe('short');
    expect(cutText('😀😀', 2)).toBe('😀😀');
  });

  it('safeText stays within four UTF-16 units per grapheme allowed, whatever it escapes', () => {
    for (const value of [
      '*'.repeat(500),
      '@'.repeat(500),
      '😀'.repeat(500),
      '::'.repeat(500),
      '//'.repeat(500),
    ]) {
      expect(safeText(value, 50).length).toBeLessThanOrEqual(200);
      expect(safeText(value, 50).isWellFormed()).toBe(true);
    }
  });

  it('safeCode keeps code blocks closed and cuts by grapheme', () => {
    expect(safeCode('```\nbreak out\n```', 100, { multiline: true })).toBe("'''\nbreak out\n'''");
    expect(safeCode('id\nwith break', 100)).toBe('id with break');
    expect(safeCode('😀'.repeat(100), 10).isWellFormed()).toBe(true);
  });
});

describe('every reply puts outside text through it', () => {
  it('a file name of emoji cut at the limit stays valid UTF-16', () => {
    const shown = displayFileName(`${'😀'.repeat(300)}.mp3`);
    expect(shown.isWellFormed()).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
  });

  it('a codec or container string from the file posts no link', () => {
    const reply = describeError(enUS, new UnsupportedAudioFormatError(`EBML/webm (${LINK})`), 'a.webm');
    expect(reply.text.description).toContain('EBML/webm (\\[x\\](https:\u200b//evil.example))');
    expect(linksIn(reply.text.description)).toEqual([]);
    const corrupt = describeError(enUS, new CorruptAudioError(`# ${LINK}`, 'unreadable'), 'a.bin');
    expect(linksIn(corrupt.text.description)).toEqual([]);
  });

  it('an oversize value from a file is cut, and the reply still fits an embed', () => {
    const reply = describeError(enUS, new UnsupportedAudioFormatError('x'.repeat(10_000)), 'a.webm');
    const embed = errorEmbed(enUS, reply).toJSON();
    expect(embed.description?.length).toBeLessThan(1000);
    expect(embed.description).toContain('…');
  });

  it("a member's name is escaped in the history and the duplicate notice", () => {
    const earlier = record({ uploaderName: `**${LINK}**` });
    const page = historyEmbed(enUS, { number: 1, pages: 1, total: 1 }, [earlier]).toJSON();
    const value = page.fields?.[0]?.value ?? '';
    expect(value).toContain('by \\*\\*\\[x\\](https:\u200b//evil.example)\\*\\*');
    expect(linksIn(value)).toEqual([]);

    const notice = describeError(enUS, new AlreadyUploadedError(earlier), 'a.wav');
    expect(linksIn(notice.text.description)).toEqual([]);
    expect(notice.text.description).toContain('\\*\\*\\[x\\]');
  });

  it('a history entry named with 300 emoji fits a field name and stays valid UTF-16', () => {
    const emoji = record({ fileName: '😀'.repeat(300) });
    const name =
      historyEmbed(enUS, { number: 1, pages: 1, total: 1 }, [emoji]).toJSON().fields?.[0]?.name ?? '';
    expect(name.length).toBeLessThanOrEqual(256);
    expect(name.isWellFormed()).toBe(true);
  });

  it("DMXAPI's message is cut by grapheme inside its code block", () => {
    const reply = describeError(enUS, new DmxapiServiceError(1000, '😀'.repeat(2000), 'r'), '');
    const said = reply.fields.find((field) => field.name === enUS.errorFields.serviceSaid)?.value ?? '';
    expect(said.isWellFormed()).toBe(true);
    expect(said.length).toBeLessThanOrEqual(1024);
  });

  it("the uploader's name in the success footer has no bidi controls", () => {
    const outcome = {
      file: { fileId: '1', bytes: 1, createdAt: undefined, usage: undefined },
      audio: { format: 'wav', durationSeconds: 12, sampleRate: 8000, channels: 1 },
      bytes: 1,
    } as unknown as UploadOutcome;
    const embed = successEmbed(enUS, 'a.wav', 'voice_clone', outcome, 'al\u202Eice').toJSON();
    expect(embed.footer?.text).toBe('Uploaded by alice');
  });
});
