import { describe, expect, it } from 'vitest';
import { describeError } from '../src/discord/error-replies.ts';
import { errorEmbed } from '../src/discord/replies.ts';
import { catalogueFor } from '../src/i18n/index.ts';
import { NotAudioError } from '../src/pipeline/errors.ts';
import { inspectAudio } from '../src/pipeline/inspect.ts';
import { ffmpeg } from './support/ffmpeg.ts';
import { makeZip } from './support/zip.ts';

const image = (codec: string[], name: string) =>
  ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=32x32', '-frames:v', '1', ...codec], name);

const officeEntries = (part: string) =>
  [
    ['[Content_Types].xml', '<?xml version="1.0"?><Types/>'],
    ['_rels/.rels', '<Relationships/>'],
    [`${part}/document.xml`, '<document/>'],
  ] as const;

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

const cases: [string, () => Uint8Array, NotAudioError['what']][] = [
  ['a JPEG photo', () => image([], 'x.jpg'), 'jpeg'],
  ['a PNG screenshot', () => image([], 'x.png'), 'png'],
  ['a GIF', () => image([], 'x.gif'), 'gif'],
  ['a WebP image', () => image(['-c:v', 'libwebp'], 'x.webp'), 'webp'],
  ['a PDF', () => PDF, 'pdf'],
  ['a Word document', () => makeZip(officeEntries('word')), 'docx'],
  ['an Excel workbook', () => makeZip(officeEntries('xl')), 'xlsx'],
  ['a PowerPoint deck', () => makeZip(officeEntries('ppt')), 'pptx'],
  [
    'an OpenDocument text',
    () =>
      makeZip([
        ['mimetype', 'application/vnd.oasis.opendocument.text'],
        ['content.xml', '<x/>'],
      ]),
    'opendocument',
  ],
  ['a ZIP archive', () => makeZip([['take1.mp3', 'not really']]), 'zip'],
  [
    'an MP4 video with no sound track',
    () =>
      ffmpeg(
        ['-f', 'lavfi', '-i', 'color=c=black:s=64x64:r=5', '-t', '2', '-c:v', 'libx264', '-an'],
        'x.mp4',
      ),
    'video_without_audio',
  ],
];

describe('files that are not audio are named, not called damaged audio', () => {
  it.each(cases)('%s', async (_name, make, what) => {
    const error = await inspectAudio(make()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAudioError);
    expect(error).toMatchObject({ code: 'not_audio', what });
  });

  it('says what the file is, in both languages', () => {
    const render = (locale: 'en-US' | 'zh-CN', error: unknown, fileName: string) => {
      const t = catalogueFor(locale);
      const embed = errorEmbed(t, describeError(t, error, fileName)).toJSON();
      return `${embed.title}\n${embed.description}\n${embed.fields?.map((f) => f.value).join('\n')}`;
    };
    expect(render('en-US', new NotAudioError('jpeg'), 'voice.mp3')).toContain(
      '**voice.mp3** is a JPEG image, not audio',
    );
    expect(render('zh-CN', new NotAudioError('jpeg'), 'voice.mp3')).toContain(
      '**voice.mp3** 是 JPEG 图片，不是音频',
    );
    expect(render('en-US', new NotAudioError('video_without_audio'), 'clip.mp4')).toContain(
      '**clip.mp4** is a video with no sound track',
    );
    expect(render('zh-CN', new NotAudioError('docx'), 'notes.wav')).toContain('Word 文档');
  });
});
