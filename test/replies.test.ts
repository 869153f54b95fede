import { describe, expect, it } from 'vitest';
import {
  DmxapiConnectionError,
  DmxapiHttpError,
  DmxapiMalformedResponseError,
  DmxapiServiceError,
  DmxapiTimeoutError,
} from '../src/dmxapi/errors.ts';
import { GuildOnlyError, ShuttingDownError, UploadCutOffError } from '../src/discord/errors.ts';
import {
  AudioTooLongError,
  ConversionFailedError,
  ConvertedTooLargeError,
  ConverterUnavailableError,
  DecodedLengthMismatchError,
  NoAudioDecodedError,
  NoAudioTrackError,
  SilentAudioError,
} from '../src/audio/convert/errors.ts';
import { describeError } from '../src/discord/error-replies.ts';
import { displayFileName, errorEmbed, progressEmbed, successEmbed } from '../src/discord/replies.ts';
import { enUS } from '../src/i18n/en-US/index.ts';
import {
  AttachmentUrlRejectedError,
  AudioTooComplexError,
  DeclaredSizeTooLargeError,
  DownloadFailedError,
  DownloadHttpError,
  DownloadTimeoutError,
  DownloadTooLargeError,
  DurationOutOfRangeError,
} from '../src/pipeline/errors.ts';
import { CorruptAudioError, EmptyAudioError, UnsupportedAudioFormatError } from '../src/audio/errors.ts';
import { DEFAULT_AUDIO_LIMITS } from '../src/domain/limits.ts';
import { UPLOADED_MP3 } from './support/upload-outcome.ts';

function render(error: unknown, fileName = 'sample.mp3'): string {
  const embed = errorEmbed(enUS, describeError(enUS, error, fileName)).toJSON();
  return [embed.title, embed.description, ...(embed.fields ?? []).map((f) => `${f.name}: ${f.value}`)].join(
    '\n',
  );
}

describe('error replies say what was wrong, the measured value, the limit, and what to do', () => {
  it.each([
    [
      new DeclaredSizeTooLargeError(25 * 1024 * 1024, 20 * 1024 * 1024),
      ['File too large', '25.0 MiB', '20.0 MiB', 'Trim'],
    ],
    [
      new DownloadTooLargeError(21 * 1024 * 1024, 20 * 1024 * 1024),
      ['passed the 20.0 MiB limit', 'stopped at 21.0 MiB'],
    ],
    [
      new AttachmentUrlRejectedError('evil.example', 'host_not_allowed'),
      ['`evil.example`', 'not an allowed host'],
    ],
    [new AttachmentUrlRejectedError('cdn.discordapp.com', 'insecure_protocol'), ['not https']],
    [new DownloadHttpError(404), ['HTTP 404', 'attach the file again']],
    [new DownloadHttpError(500), ['HTTP 500', 'Try again']],
    [new DownloadTimeoutError(60_000, 1536), ['longer than 1 min', '1.5 KiB received']],
    [new DownloadFailedError(new Error('ECONNRESET')), ['network error']],
    [new EmptyAudioError(), ['empty (0 bytes)']],
    [
      new UnsupportedAudioFormatError('Ogg (Speex)'),
      ['is Ogg (Speex), which this bot cannot take', 'Accepted: MP3, M4A, WAV, Ogg', 'FLAC and WebM'],
    ],
    [
      new ConverterUnavailableError('MP4'),
      ['is MP4', 'needs ffmpeg', 'apt-get install ffmpeg', 'FFMPEG_PATH'],
    ],
    [new NoAudioTrackError('MP4 video'), ['(MP4 video) has no audio track']],
    [new NoAudioDecodedError('Ogg Opus'), ['looks like Ogg Opus', 'no audio at all']],
    [
      new SilentAudioError('Ogg Opus', -Infinity, -60),
      ['Only silence', 'loudest sample is zero', '-60 dBFS'],
    ],
    [
      new DecodedLengthMismatchError('FLAC', 3.04, 1.5, false),
      ['cut off or damaged', 'says it is 3.0 s long', 'only 1.5 s of audio'],
    ],
    [
      new DecodedLengthMismatchError('Ogg Opus', 12, 12.1, true),
      ['holds more than it says', 'more than 12.1 s', 'one plain file'],
    ],
    [new AudioTooLongError('WebM Opus', 301, true, 300), ['lasts more than 301.0 s', 'at most 5 min']],
    [
      new ConvertedTooLargeError(700, 16_000, 22_400_044, 20 * 2 ** 20),
      ['at 16 kHz', '21.4 MiB', 'the limit is 20.0 MiB'],
    ],
    [new ConversionFailedError('MP4', 'timeout', undefined, 30_000), ['longer than 30 s, the limit']],
    [new ConversionFailedError('MP4', 'unreadable'), ['ffmpeg could not read']],
    [new UnsupportedAudioFormatError(undefined), ['not audio this bot can read']],
    [new CorruptAudioError('mp3', 'truncated'), ['MP3 file that ends before']],
    [new CorruptAudioError('m4a', 'unreadable'), ['looks like M4A but could not be read']],
    [new CorruptAudioError('wav', 'no_duration'), ['could not be measured']],
    [
      new CorruptAudioError('mp3', 'length_mismatch', undefined, { claimedSeconds: 61.7, foundSeconds: 0.5 }),
      ['should hold 61.7 s (1 min 1.7 s) of audio, going by its header or its size, but holds 0.5 s'],
    ],
    [
      new CorruptAudioError('m4a', 'truncated', undefined, { claimedSeconds: 12, foundSeconds: 1.2 }),
      ['ends before the audio its header describes: it holds 1.2 s of the 12.0 s it states'],
    ],
    [
      new AudioTooComplexError('timeout', { timeoutMs: 5000 }),
      [
        'this file is malformed or too complex to read',
        'longer than 5 s, the limit',
        'Export the recording again',
      ],
    ],
    [new AudioTooComplexError('memory'), ['malformed or too complex to read', 'more memory']],
    [
      new AudioTooComplexError('structure', { structure: { what: 'mp4_box_depth', found: 33, limit: 32 } }),
      ['MP4 boxes nested to a depth of 33 or more; the limit is 32'],
    ],
    [
      new DurationOutOfRangeError(7.4, 'voice_clone', DEFAULT_AUDIO_LIMITS.duration.voice_clone),
      ['Audio too short', '**sample.mp3** is 7.4 s long; voice_clone needs 10 s to 5 min.'],
    ],
    [
      new DurationOutOfRangeError(312.25, 'voice_clone', DEFAULT_AUDIO_LIMITS.duration.voice_clone),
      [
        'Audio too long',
        '**sample.mp3** is 312.3 s (5 min 12.3 s) long; voice_clone needs 10 s to 5 min',
        'Trim',
      ],
    ],
    [
      new DurationOutOfRangeError(8, 'prompt_audio', DEFAULT_AUDIO_LIMITS.duration.prompt_audio),
      ['**sample.mp3** is 8.0 s long; prompt_audio needs shorter than 8 s.'],
    ],
  ])('%s', (error, expected) => {
    const text = render(error);
    for (const part of expected) expect(text).toContain(part);
    expect(text).toContain('What to do: ');
  });

  it.each([500, 502, 504, 524])(
    'an upload that failed with HTTP %i after it was sent warns that it may have been billed',
    (status) => {
      const text = render(new DmxapiHttpError({ status }));
      expect(text).toContain('may have been stored and billed anyway');
      expect(text).not.toContain('nothing is lost');
    },
  );

  it('an upload whose connection was cut after sending, or whose answer was unreadable, warns too', () => {
    const warning = 'may have been stored and billed';
    expect(render(new DmxapiMalformedResponseError(200, 'not json', undefined))).toContain(warning);
    expect(render(new DmxapiConnectionError('reset', new Error('socket hang up')))).toContain(warning);
    expect(render(new DmxapiConnectionError('reset', new Error('reset'), false))).not.toContain(warning);
  });

  it.each([
    [401, "rejected the bot's API key", 'DMXAPI_API_KEY'],
    [403, 'quota used up', 'top it up'],
    [404, 'base URL is wrong', 'DMXAPI_BASE_URL'],
    [413, 'too large', 'smaller file'],
    [429, 'rate limiting', 'Wait a minute'],
    [503, 'not available', 'DMXAPI_MODEL'],
    [504, 'timed out', 'may have been stored'],
    [418, 'answered with an error (HTTP 418)', 'Try again'],
  ])('gateway HTTP %i: meaning, advice, the service message and request id', (status, meaning, advice) => {
    const text = render(
      new DmxapiHttpError({
        status,
        serviceMessage: 'upstream said no',
        requestId: 'req-42',
        serviceCode: 'c',
      }),
    );
    expect(text).toContain(`HTTP ${status}`);
    expect(text).toContain(meaning);
    expect(text).toContain(advice);
    expect(text).toContain('DMXAPI said: ```\nupstream said no\n```');
    expect(text).toContain('Request id: `req-42`');
  });

  it.each([
    [1000, 'invalid'],
    [1002, 'rate limiting'],
    [1004, 'DMXAPI_API_KEY'],
    [1008, 'balance'],
    [1026, 'sensitive'],
    [2013, 'parameters'],
    [2037, '10 s to 5 min'],
    [2038, 'real-name verification'],
    [2048, 'shorter than 8 s'],
    [2049, 'API key'],
    [9999, 'MiniMax answered with an error (status 9999)'],
  ])('MiniMax status %i is explained', (code, expected) => {
    const text = render(new DmxapiServiceError(code, 'raw msg', 'r-1'));
    expect(text).toContain(`status ${code}`);
    expect(text).toContain(expected);
    expect(text).toContain('raw msg');
  });

  it('shows how many attempts were made after retries', () => {
    const error = new DmxapiHttpError({ status: 503 });
    error.attempts = 3;
    expect(render(error)).toContain('Attempts: 3');
  });

  it.each([
    [new DmxapiMalformedResponseError(200, 'x', undefined), 'something other than the JSON'],
    [new DmxapiTimeoutError(120_000), 'within 2 min'],
    [new DmxapiConnectionError('refused', undefined), 'refused, so nothing was sent'],
    [new DmxapiConnectionError('reset', undefined), 'unknown whether the file was stored'],
    [new DmxapiConnectionError('dns', undefined), 'could not be resolved'],
    [new GuildOnlyError(), 'server channel'],
    [new ShuttingDownError(), 'restarting'],
    [new UploadCutOffError(), 'restarted before this upload finished'],
  ])('%s', (error, expected) => {
    expect(render(error)).toContain(expected);
  });

  it('gives an unexpected error a reference to find it in the logs, and no internals', () => {
    const reply = describeError(enUS, new TypeError('secret internals at line 42'), 'a.mp3');
    expect(reply.reference).toMatch(/^[0-9a-f]{8}$/);
    const text = render(new TypeError('secret internals at line 42'));
    expect(text).toContain('unexpected error');
    expect(text).not.toContain('secret internals');
  });

  it('shows file names as literal text: no markdown, no mentions', () => {
    expect(displayFileName('@everyone **x** <@123>.mp3')).toBe(
      '@\u200beveryone \\*\\*x\\*\\* \\<@\u200b123>.mp3',
    );
    const text = render(new EmptyAudioError(), '@everyone **x** <@123>.mp3');
    expect(text).not.toContain('**x**');
    expect(text).not.toContain('<@123>');
  });
});

describe('success embed', () => {
  const outcome = UPLOADED_MP3;

  it('holds the file_id in a code block and everything the next step needs', () => {
    const embed = successEmbed(enUS, 'my *voice*.mp3', 'voice_clone', outcome, 'alice').toJSON();
    expect(embed.title).toBe('Voice sample uploaded');
    expect(embed.description).toContain('```\n9007199254740993123\n```');
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields).toEqual({
      Purpose: 'Voice to clone (`voice_clone`)',
      Size: '199.2 KiB (203,955 bytes)',
      File: 'my \\*voice\\*.mp3',
      Audio: 'MP3 · 12.7 s · 44,100 Hz · mono',
      Created: '<t:1770876014:F> (<t:1770876014:R>)',
      'Token usage': '203 total · 0 input · 203 output',
    });
    expect(embed.footer?.text).toBe('Uploaded by alice');
  });

  it('progress shows the stage and the share downloaded', () => {
    const state = { stage: 'downloading', receivedBytes: 512 * 1024, totalBytes: 2048 * 1024 } as const;
    expect(progressEmbed(enUS, 'a.wav', 'prompt_audio', state).toJSON().description).toContain(
      'Downloading… 512.0 KiB of 2.0 MiB (25%)',
    );
    expect(
      progressEmbed(enUS, 'a.wav', 'prompt_audio', { stage: 'queued', position: 2 }).toJSON().description,
    ).toContain('number 2 in the queue');
    expect(
      progressEmbed(enUS, 'a.ogg', 'voice_clone', {
        stage: 'converting',
        from: 'Ogg Opus',
        bytes: 1000,
      }).toJSON().description,
    ).toContain('Converting Ogg Opus to WAV');
  });
});
