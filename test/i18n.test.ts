import { describe, expect, it } from 'vitest';
import {
  DmxapiConnectionError,
  DmxapiHttpError,
  DmxapiMalformedResponseError,
  DmxapiServiceError,
  DmxapiTimeoutError,
} from '../src/dmxapi/errors.ts';
import {
  GuildOnlyError,
  SearchExpiredError,
  ShuttingDownError,
  UnknownCommandError,
  UploadCutOffError,
  UploadedPrivatelyBeforeError,
} from '../src/discord/errors.ts';
import {
  AudioTooLongError,
  ConverterUnavailableError,
  DecodedLengthMismatchError,
  SilentAudioError,
} from '../src/audio/convert/errors.ts';
import { describeError } from '../src/discord/error-replies.ts';
import { errorEmbed, progressEmbed, successEmbed } from '../src/discord/replies.ts';
import { enUS } from '../src/i18n/en-US/index.ts';
import {
  EN_DURATION_UNITS,
  formatBytes,
  formatBytesIn,
  formatLimitSeconds,
  formatLimitSecondsIn,
  formatMeasuredSeconds,
  formatMeasuredSecondsIn,
} from '../src/i18n/format.ts';
import { catalogueFor } from '../src/i18n/index.ts';
import { zhCN } from '../src/i18n/zh-CN/index.ts';
import {
  AttachmentUrlRejectedError,
  DeclaredSizeTooLargeError,
  DownloadFailedError,
  DownloadHttpError,
  DownloadTimeoutError,
  DownloadTooLargeError,
  DurationOutOfRangeError,
  AudioTooComplexError,
} from '../src/pipeline/errors.ts';
import { CorruptAudioError, EmptyAudioError, UnsupportedAudioFormatError } from '../src/audio/errors.ts';
import { DEFAULT_AUDIO_LIMITS, type DurationLimit } from '../src/domain/limits.ts';
import { UPLOADED_MP3 } from './support/upload-outcome.ts';

const CLONE = DEFAULT_AUDIO_LIMITS.duration.voice_clone;
const PROMPT = DEFAULT_AUDIO_LIMITS.duration.prompt_audio;

type Entry =
  { readonly kind: 'object' } | { readonly kind: 'string' } | { readonly kind: 'function'; readonly fn: Fn };
type Fn = (...args: readonly unknown[]) => unknown;

/** Every key of a catalogue, by dotted path, with what it holds. */
function entries(node: object, prefix = '', into = new Map<string, Entry>()): Map<string, Entry> {
  for (const [key, value] of Object.entries(node) as [string, unknown][]) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'function') into.set(path, { kind: 'function', fn: value as Fn });
    else if (typeof value === 'string') into.set(path, { kind: 'string' });
    else if (typeof value === 'object' && value !== null) {
      into.set(path, { kind: 'object' });
      entries(value, path, into);
    } else throw new TypeError(`unexpected ${typeof value} at ${path}`);
  }
  return into;
}

const en = entries(enUS);
const zh = entries(zhCN);

/** Every string a catalogue entry's value or result holds (an ErrorText's three texts). */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(texts);
  throw new TypeError(`not text: ${String(value)}`);
}

/**
 * Identifiers, product names, units and formats that stay as written in a Chinese reply; any other
 * run of four or more ASCII letters is English left untranslated. Markdown code spans are not checked:
 * they hold commands and setting names.
 */
const ALLOWED_WORDS = new Set([
  'voice_clone',
  'prompt_audio',
  'file_id',
  'voice_id',
  'DMXAPI',
  'DMXAPI_API_KEY',
  'DMXAPI_BASE_URL',
  'DMXAPI_MODEL',
  'MiniMax',
  'Discord',
  'HTTP',
  'https',
  'JSON',
  'Token',
  'MPEG',
  'RIFF',
  'JPEG',
  'WebP',
  'HEIF',
  'HEIC',
  'AVIF',
  'Word',
  'Excel',
  'PowerPoint',
  'OpenDocument',
  'kbps',
  'ffmpeg',
  'npm',
  'register',
  'Opus',
  'Vorbis',
  'FLAC',
  'WebM',
  'AIFF',
  'dBFS',
  'Debian',
  'Ubuntu',
  'Docker',
]);

function englishLeftIn(text: string, data: readonly string[] = []): string[] {
  let rest = text.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`]*`/g, ' ');
  for (const value of data) if (value) rest = rest.replaceAll(value, ' ');
  return (rest.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? []).filter(
    (word) => /[A-Za-z]{4}/.test(word) && !ALLOWED_WORDS.has(word),
  );
}

/** ASCII punctuation written against Chinese text, where ，。：；（）！？ belong. */
function asciiPunctuationIn(text: string): string[] {
  return text.match(/[\u3400-\u9fff][,.;:!?()]|[,;:!?()][\u3400-\u9fff]/g) ?? [];
}

const HAN = /[\u3400-\u9fff]/;

/** Representative arguments for every function in the catalogue, by path. */
const OPERATIONS = ['upload', 'clone', 'speech'] as const;

const SAMPLES: Readonly<Record<string, readonly (readonly unknown[])[]>> = {
  'progress.queued': [[2], [12]],
  replyFailed: [['0a1b2c3d']],
  'progress.downloading': [
    [512 * 1024, 2048 * 1024],
    [300, undefined],
    [3 * 1024 * 1024, 0],
  ],
  'progress.checking': [[203955]],
  'progress.uploading': [[4.6 * 1024 * 1024]],
  'success.description': [[zhCN.purposes.voice_clone], [zhCN.purposes.prompt_audio]],
  'success.sizeValue': [[203955], [512]],
  'success.audioValue': [
    [{ format: 'mp3', duration: '12.7 秒', sampleRate: 44100, channels: 1 }],
    [{ format: 'wav', duration: '7.4 秒', sampleRate: 48000, channels: 2 }],
    [{ format: 'm4a', duration: '312.3 秒（5 分钟 12.3 秒）', channels: 6 }],
    [{ format: 'mp3', duration: '3.0 秒' }],
  ],
  'success.usageValue': [[{ total: '203', input: '0', output: '203' }]],
  'success.uploadedBy': [['alice']],
  'success.lateResult': [['<@300000000000000001>']],
  'clone.lateResult': [['<@300000000000000001>']],
  'say.lateResult': [['<@300000000000000001>']],
  'duration.measured': [[7.4], [9.96, CLONE], [312.25, CLONE], [8, PROMPT]],
  'duration.rule': [
    [CLONE],
    [PROMPT],
    [{ minSeconds: 1, maxSeconds: 8, maxExclusive: true }],
    [{ minSeconds: 0, maxSeconds: 300, maxExclusive: false }],
  ],
  'errors.declaredSizeTooLarge': [
    [{ fileName: 'take one.mp3', bytes: 25 * 2 ** 20, maxBytes: 20 * 2 ** 20 }],
  ],
  'errors.downloadTooLarge': [
    [{ fileName: 'take one.mp3', receivedBytes: 21 * 2 ** 20, maxBytes: 20 * 2 ** 20 }],
  ],
  'errors.hostNotAllowed': [[{ host: 'evil.example', allowed: 'Discord attachments' }]],
  'errors.insecureUrl': [[{ host: 'cdn.discordapp.com' }]],
  'errors.invalidUrl': [[]],
  'errors.downloadStatus': [
    [{ fileName: 'take one.mp3', status: 404 }],
    [{ fileName: 'take one.mp3', status: 500 }],
  ],
  'errors.downloadTimeout': [[{ fileName: 'take one.mp3', timeoutMs: 60_000, receivedBytes: 1536 }]],
  'errors.downloadFailed': [[{ fileName: 'take one.mp3' }]],
  'errors.empty': [[{ fileName: 'take one.mp3' }]],
  'errors.unsupportedFormat': [
    [{ fileName: 'take one.ogg', detected: 'Ogg (Vorbis I)' }],
    [{ fileName: 'notes.txt', detected: undefined }],
  ],
  'errors.truncated': [
    [{ fileName: 'take one.mp3', format: 'mp3', lengths: undefined }],
    [{ fileName: 'take one.mp3', format: 'mp3', lengths: { claimedSeconds: 12.7, foundSeconds: 7.6 } }],
  ],
  'errors.lengthMismatch': [
    [{ fileName: 'take one.mp3', format: 'mp3', lengths: undefined }],
    [{ fileName: 'take one.m4a', format: 'm4a', lengths: { claimedSeconds: 151.2, foundSeconds: 0.5 } }],
  ],
  'errors.unreadable': [[{ fileName: 'take one.m4a', format: 'm4a' }]],
  'errors.noDuration': [[{ fileName: 'take one.wav', format: 'wav' }]],
  'errors.notAudio': [
    [{ fileName: 'take one.mp3', what: 'jpeg' }],
    [{ fileName: 'take one.mp3', what: 'docx' }],
    [{ fileName: 'take one.mp4', what: 'video_without_audio' }],
  ],
  'errors.tooComplex': [
    [{ fileName: 'take one.m4a', reason: 'timeout', timeoutMs: 5000, structure: undefined }],
    [{ fileName: 'take one.m4a', reason: 'memory', timeoutMs: undefined, structure: undefined }],
    [
      {
        fileName: 'take one.m4a',
        reason: 'structure',
        timeoutMs: undefined,
        structure: { what: 'mp4_box_depth', found: 33, limit: 32 },
      },
    ],
    [
      {
        fileName: 'take one.wav',
        reason: 'structure',
        timeoutMs: undefined,
        structure: { what: 'riff_chunk_count', found: 4097, limit: 4096 },
      },
    ],
  ],
  'errors.durationOutOfRange': [
    [
      {
        fileName: 'take one.mp3',
        purpose: 'voice_clone',
        measured: zhCN.duration.measured(7.4, CLONE),
        rule: zhCN.duration.rule(CLONE),
        tooShort: true,
      },
    ],
    [
      {
        fileName: 'take one.mp3',
        purpose: 'prompt_audio',
        measured: zhCN.duration.measured(8, PROMPT),
        rule: zhCN.duration.rule(PROMPT),
        tooShort: false,
      },
    ],
  ],
  'errors.dmxapiHttp': [400, 401, 403, 404, 413, 418, 429, 500, 502, 503, 504, 524].flatMap((status) =>
    OPERATIONS.map((operation) => [{ status, operation }]),
  ),
  'errors.dmxapiService': [
    1000, 1001, 1002, 1004, 1008, 1024, 1026, 1033, 1039, 1041, 1042, 1043, 1044, 2013, 2037, 2038, 2039,
    2042, 2048, 2049, 20132, 9999,
  ].flatMap((statusCode) => OPERATIONS.map((operation) => [{ statusCode, operation }])),
  'errors.dmxapiMalformed': OPERATIONS.map((operation) => [{ status: 200, operation }]),
  'errors.dmxapiTimeout': [
    [{ timeoutMs: 120_000 }],
    ...OPERATIONS.map((operation) => [{ timeoutMs: 90_000, operation }]),
  ],
  'errors.dmxapiRefused': [[], ...OPERATIONS.map((operation) => [{ operation }])],
  'errors.dmxapiReset': [
    [],
    ...OPERATIONS.flatMap((operation) => [[{ operation, written: true }], [{ operation, written: false }]]),
  ],
  'errors.dmxapiDns': [[]],
  'errors.dmxapiNetwork': [[], ...OPERATIONS.map((operation) => [{ operation }])],
  'errors.voiceIdInvalid': (['length', 'first_character', 'characters', 'last_character'] as const).map(
    (rule) => [{ voiceId: 'bad id', rule, suggestion: rule === 'length' ? undefined : 'Alice-20261201' }],
  ),
  'errors.voiceIdTaken': [
    [{ voiceId: 'TeamAlice2026', suggestion: 'TeamAlice2026-2', byMinimax: true }],
    [{ voiceId: 'TeamAlice2026', suggestion: undefined, byMinimax: false }],
  ],
  'errors.sampleOrVoiceIdInvalid': [[]],
  'errors.speechTextMismatch': [[]],
  'errors.promptTextMismatch': [[]],
  'errors.sampleSensitive': [[]],
  'errors.cloningNotEnabled': [[]],
  'errors.promptTooLong': [[]],
  'errors.sampleDuration': [[]],
  'errors.invalidRequestValue': [[{ field: 'file_id' }]],
  'errors.previewFailed': (
    [
      'invalid_url',
      'host_not_allowed',
      'insecure_protocol',
      'http_status',
      'too_large',
      'timeout',
      'network',
      'not_mp3',
    ] as const
  ).map((reason) => [
    { voiceId: 'TeamAlice2026', reason, status: reason === 'http_status' ? 403 : undefined },
  ]),
  'errors.speechTextEmpty': [[]],
  'errors.speechTextTooLong': [[{ characters: 2001, maxCharacters: 2000 }]],
  'errors.speechWouldNotFit': [[{ estimatedSeconds: 4000, maxSeconds: 2600 }]],
  'errors.voiceAccessDenied': [[]],
  'errors.textSensitive': [[]],
  'errors.invisibleCharacters': [[]],
  'errors.cloneNotAllowed': [
    [{ uploaderName: 'alice', which: 'sample' }],
    [{ uploaderName: 'alice', which: 'prompt' }],
    [{ uploaderName: undefined, which: 'sample' }],
  ],
  'errors.wrongSamplePurpose': [
    [{ fileId: '365865350209649', expected: 'voice_clone', actual: 'prompt_audio' }],
    [{ fileId: '365865350209649', expected: 'prompt_audio', actual: 'voice_clone' }],
  ],
  'errors.promptIncomplete': [[{ missing: 'prompt' }], [{ missing: 'prompt_text' }]],
  'errors.speechQuotaExceeded': [
    [{ used: 19_800, limit: 20_000, requested: 300, retryAt: '<t:1780000000:R>' }],
    [{ used: 0, limit: 20_000, requested: 25_000, retryAt: undefined }],
  ],
  'errors.voicePrivate': [[{ voiceId: 'TeamAlice2026', ownerName: 'alice' }]],
  'errors.voiceNotFound': [[]],
  'clone.queued': [[3]],
  'clone.cloning': [['TeamAlice2026']],
  'clone.description': [['TeamAlice2026']],
  'clone.sampleValue': [
    [{ fileName: 'take one.wav', duration: '12.7 秒', link: '[消息](https://discord.com/channels/1/2/3)' }],
    [{ fileName: 'take one.wav', duration: '12.7 秒', link: undefined }],
  ],
  'clone.sampleTyped': [['365865350209649']],
  'clone.promptUsed': [['prompt.wav']],
  'clone.lifetimeValue': [[{ deadline: '<t:1780000000:F>', relative: '<t:1780000000:R>' }]],
  'clone.clonedBy': [['alice']],
  'say.queued': [[2]],
  'say.speaking': [['TeamAlice2026']],
  'say.billedValue': [[{ billed: 17, usedToday: 917, limit: 20_000 }]],
  'say.saidBy': [['alice']],
  'errors.dmxapiAudioTooLarge': [[{ maxBytes: 10 * 1024 * 1024 }]],
  'errors.guildOnly': [[]],
  'errors.searchExpired': [[]],
  'errors.unknownCommand': [[{ name: 'upload' }]],
  'errors.shuttingDown': [[]],
  'errors.cutOffByShutdown': [[]],
  'errors.queueFull': [[{ waiting: 20 }]],
  'errors.notStartedByShutdown': [[]],
  'errors.startedTooLate': [[{ waited: '11 min 2 s' }]],
  'errors.uploadedPrivatelyBefore': [[]],
  'errors.internal': [[{ reference: '0a1b2c3d' }]],
  'errors.accessDirectMessage': [[]],
  'errors.accessGuild': [[]],
  'errors.accessRole': [[]],
  'errors.cooldown': [[{ retryAt: '<t:1770876014:R>' }]],
  'errors.dailyLimit': [
    [{ limit: 50, running: 0, retryAt: '<t:1770876014:R>' }],
    [{ limit: 3, running: 2, retryAt: '<t:1770876014:R>' }],
  ],
  'errors.alreadyUploaded': [
    [
      {
        fileName: 'a.mp3',
        purpose: 'voice_clone',
        uploader: 'alice',
        when: '<t:1770876014:R>',
        fileId: '365865350209649',
      },
    ],
  ],
  'history.footer': [
    [1, 3, 12],
    [1, 1, 1],
  ],
  'history.by': [['alice']],
  'voices.footer': [
    [1, 2, 6],
    [1, 1, 1],
  ],
  'voices.clonedBy': [['alice']],
  'voices.fromSample': [['365865350209649']],
  'voices.created': [['<t:1770876014:R>']],
  'voices.lastUsed': [['<t:1770876014:R>']],
  'voices.uses': [[1], [3]],
  'voices.statePending': [['<t:1770876014:R>']],
  'voices.stateExpired': [['<t:1770876014:R>']],
  'voices.reminder': [['TeamAlice2026', 'alice', '<t:1770876014:R>']],
  'errors.noAudioAttachment': [[{ count: 0 }], [{ count: 1 }], [{ count: 3 }]],
  'messagePrompt.purposeButton': [
    [zhCN.purposes.voice_clone, zhCN.duration.rule(CLONE)],
    [zhCN.purposes.prompt_audio, zhCN.duration.rule(PROMPT)],
  ],
  'messagePrompt.description': [
    ['a.mp3', 1],
    ['a.mp3', 3],
  ],
  'messagePrompt.suggestion': [
    [
      {
        voiceMessage: true,
        duration: '12.6 秒',
        purposeName: zhCN.purposes.voice_clone,
        rule: '10 秒至 5 分钟',
      },
    ],
    [{ voiceMessage: false, duration: '3.0 秒', purposeName: zhCN.purposes.prompt_audio, rule: '短于 8 秒' }],
  ],
  'messagePrompt.fitsNeither': [
    [
      {
        voiceMessage: true,
        duration: '9.0 秒',
        rules: [
          { name: zhCN.purposes.voice_clone, rule: '10 秒至 5 分钟' },
          { name: zhCN.purposes.prompt_audio, rule: '短于 8 秒' },
        ],
      },
    ],
  ],
  'convert.converting': [['Ogg Opus'], ['MP4 video (AAC)']],
  'convert.convertedValue': [
    [{ from: 'Ogg Opus', voiceMessage: true, sampleRate: 24_000, bytes: 14_400_044 }],
    [{ from: 'FLAC', voiceMessage: false, sampleRate: 44_100, bytes: 5_292_044 }],
  ],
  'errors.convertUnavailable': [[{ fileName: 'clip.mp4', format: 'MP4' }]],
  'errors.noAudioTrack': [[{ fileName: 'clip.mp4', format: 'MP4 video' }]],
  'errors.noAudioDecoded': [[{ fileName: 'a.ogg', format: 'Ogg Opus' }]],
  'errors.silent': [
    [{ fileName: 'a.ogg', format: 'Ogg Opus', peakDbfs: -Infinity, thresholdDbfs: -60 }],
    [{ fileName: 'a.ogg', format: 'Ogg Opus', peakDbfs: -72.5, thresholdDbfs: -60 }],
  ],
  'errors.decodedLengthMismatch': [
    [{ fileName: 'a.flac', format: 'FLAC', statedSeconds: 3.04, decodedSeconds: 1.5, atLeast: false }],
    [{ fileName: 'a.ogg', format: 'Ogg Opus', statedSeconds: 12, decodedSeconds: 12.1, atLeast: true }],
  ],
  'errors.tooLong': [
    [{ fileName: 'a.webm', format: 'WebM Opus', seconds: 301, atLeast: true, maxSeconds: 300 }],
    [{ fileName: 'a.ogg', format: 'Ogg Opus', seconds: 20, atLeast: false, maxSeconds: 8 }],
  ],
  'errors.convertedTooLarge': [
    [{ fileName: 'a.flac', seconds: 700, lowestRate: 16_000, bytes: 22_400_044, maxBytes: 20 * 2 ** 20 }],
  ],
  'errors.conversionFailed': [
    [{ fileName: 'a.mp4', format: 'MP4', reason: 'unreadable', timeoutMs: undefined }],
    [{ fileName: 'a.mp4', format: 'MP4', reason: 'timeout', timeoutMs: 30_000 }],
    [{ fileName: 'a.mp4', format: 'MP4', reason: 'memory', timeoutMs: undefined }],
  ],
};

/** The strings passed in as data (file names, hosts, user names): they may be in any language. */
function dataIn(args: readonly unknown[]): string[] {
  return args.flatMap((arg) =>
    typeof arg === 'string'
      ? [arg]
      : typeof arg === 'object' && arg !== null
        ? dataIn(Object.values(arg))
        : [],
  );
}

describe('the zh-CN catalogue is complete', () => {
  it('has every key of en-US and no other, with the same kind of value', () => {
    const missingFromZh = [...en.keys()].filter((path) => !zh.has(path));
    const missingFromEn = [...zh.keys()].filter((path) => !en.has(path));
    expect({ missingFromZh, missingFromEn }).toEqual({ missingFromZh: [], missingFromEn: [] });
    const kindMismatches = [...en].filter(([path, entry]) => zh.get(path)?.kind !== entry.kind);
    expect(kindMismatches.map(([path]) => path)).toEqual([]);
  });

  it('takes the same number of parameters in every function as en-US', () => {
    const mismatches: string[] = [];
    for (const [path, entry] of en) {
      const other = zh.get(path);
      if (entry.kind === 'function' && other?.kind === 'function' && other.fn.length !== entry.fn.length) {
        mismatches.push(`${path}: en-US ${entry.fn.length}, zh-CN ${other.fn.length}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('knows exactly the MiniMax status codes and gateway HTTP statuses that en-US knows', () => {
    const differing: string[] = [];
    for (let code = 0; code < 3000; code++) {
      const enKnows = !enUS.errors
        .dmxapiService({ statusCode: code })
        .description.startsWith('MiniMax answered with an error');
      const zhKnows = !zhCN.errors
        .dmxapiService({ statusCode: code })
        .description.startsWith('MiniMax 返回了错误');
      if (enKnows !== zhKnows) differing.push(`status ${code}`);
    }
    for (let status = 100; status < 600; status++) {
      const enKnows = !enUS.errors
        .dmxapiHttp({ status })
        .description.startsWith('DMXAPI answered with an error');
      const zhKnows = !zhCN.errors.dmxapiHttp({ status }).description.startsWith('DMXAPI 返回了错误');
      if (enKnows !== zhKnows) differing.push(`HTTP ${status}`);
    }
    expect(differing).toEqual([]);
  });
});

describe('every zh-CN text is Chinese', () => {
  const functions = [...zh].flatMap(([path, entry]) =>
    entry.kind === 'function' ? [{ path, fn: entry.fn }] : [],
  );
  const strings = [...zh].flatMap(([path, entry]) => (entry.kind === 'string' ? [path] : []));

  it('has sample arguments for every function (add them here for a new entry)', () => {
    expect(functions.map(({ path }) => path).filter((path) => !(path in SAMPLES))).toEqual([]);
  });

  it.each(strings)('%s', (path) => {
    const text = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], zhCN);
    expect(typeof text).toBe('string');
    const value = String(text);
    expect(englishLeftIn(value)).toEqual([]);
    expect(value).toMatch(HAN);
  });

  it.each(functions)('$path', ({ path, fn }) => {
    for (const args of SAMPLES[path] ?? []) {
      for (const text of texts(fn(...args))) {
        expect(text.trim(), `${path}(${JSON.stringify(args)})`).not.toBe('');
        expect(text, `${path}(${JSON.stringify(args)})`).toMatch(HAN);
        expect(englishLeftIn(text, dataIn(args)), `${path}(${JSON.stringify(args)}): ${text}`).toEqual([]);
        expect(asciiPunctuationIn(text), `${path}(${JSON.stringify(args)}): ${text}`).toEqual([]);
      }
    }
  });
});

describe('durations and sizes read naturally in Chinese', () => {
  it.each([
    [7.4, CLONE, '7.4 秒'],
    [9.96, CLONE, '9.96 秒'],
    [9.9996, CLONE, '9.999 秒'],
    [312.25, CLONE, '312.3 秒（5 分钟 12.3 秒）'],
    [300.0001, CLONE, '300.001 秒（5 分钟 0.001 秒）'],
    [8, PROMPT, '8.0 秒'],
  ] as const)('measured %s s', (seconds, limit, text) => {
    expect(zhCN.duration.measured(seconds, limit)).toBe(text);
  });

  it.each([
    [CLONE, '10 秒至 5 分钟'],
    [PROMPT, '短于 8 秒'],
    [{ minSeconds: 1, maxSeconds: 8, maxExclusive: true }, '至少 1 秒，且短于 8 秒'],
    [{ minSeconds: 0, maxSeconds: 90, maxExclusive: false }, '不超过 1 分钟 30 秒'],
  ] as const)('rule %j', (limit: DurationLimit, text) => {
    expect(zhCN.duration.rule(limit)).toBe(text);
  });

  it('sizes', () => {
    expect(formatBytesIn(512, '字节')).toBe('512 字节');
    expect(zhCN.success.sizeValue(203955)).toBe('199.2 KiB（203,955 字节）');
  });

  it('the unit-parameterised helpers give exactly the English helpers’ output in English units', () => {
    const limits: (DurationLimit | undefined)[] = [undefined, CLONE, PROMPT];
    const seconds = [0, 0.04, 7.4, 7.96, 8, 8.0004, 9.95, 9.96, 9.9996, 10, 59.99, 60, 60.5, 90, 299.96];
    seconds.push(299.9999, 300, 300.0001, 300.04, 312.25, 3600);
    for (const limit of limits) {
      for (const value of seconds) {
        expect(formatMeasuredSecondsIn(value, limit, EN_DURATION_UNITS)).toBe(
          formatMeasuredSeconds(value, limit),
        );
      }
    }
    for (const value of [1, 8, 10, 59, 60, 60.5, 90, 120, 300, 3600]) {
      expect(formatLimitSecondsIn(value, EN_DURATION_UNITS)).toBe(formatLimitSeconds(value));
    }
    for (const value of [0, 1, 1023, 1024, 203955, 20 * 2 ** 20, 3 * 2 ** 30, 5 * 2 ** 40]) {
      expect(formatBytesIn(value, 'bytes')).toBe(formatBytes(value));
    }
  });
});

describe('real replies in Chinese', () => {
  const t = catalogueFor('zh-CN');

  function render(error: unknown, fileName = 'sample.mp3'): string {
    const embed = errorEmbed(t, describeError(t, error, fileName)).toJSON();
    return [embed.title, embed.description, ...(embed.fields ?? []).map((f) => `${f.name}: ${f.value}`)].join(
      '\n',
    );
  }

  const withAttempts = <E extends { attempts: number }>(error: E, attempts: number): E => {
    error.attempts = attempts;
    return error;
  };

  it.each([
    [
      new DurationOutOfRangeError(7.4, 'voice_clone', CLONE),
      ['音频太短', '**sample.mp3** 的时长为 7.4 秒，不符合 voice_clone 的要求（10 秒至 5 分钟）。'],
    ],
    [
      new DurationOutOfRangeError(312.25, 'voice_clone', CLONE),
      ['音频太长', '312.3 秒（5 分钟 12.3 秒）', '10 秒至 5 分钟'],
    ],
    [new DurationOutOfRangeError(8, 'prompt_audio', PROMPT), ['8.0 秒', '短于 8 秒']],
    [new DeclaredSizeTooLargeError(25 * 2 ** 20, 20 * 2 ** 20), ['文件过大', '25.0 MiB', '20.0 MiB']],
    [new DownloadTooLargeError(21 * 2 ** 20, 20 * 2 ** 20), ['20.0 MiB 的上限', '停在 21.0 MiB']],
    [new AttachmentUrlRejectedError('evil.example', 'host_not_allowed'), ['`evil.example`', 'Discord 附件']],
    [new AttachmentUrlRejectedError('cdn.discordapp.com', 'insecure_protocol'), ['不是 https']],
    [new AttachmentUrlRejectedError('', 'invalid_url'), ['有效的 URL']],
    [new DownloadHttpError(404), ['HTTP 404', '重新发送附件']],
    [new DownloadTimeoutError(60_000, 1536), ['超过 1 分钟', '已接收 1.5 KiB']],
    [new DownloadFailedError(new Error('ECONNRESET')), ['网络错误']],
    [new EmptyAudioError(), ['0 字节']],
    [new UnsupportedAudioFormatError('Speex'), ['是 Speex 格式，本机器人无法处理', 'FLAC 和 WebM']],
    [new ConverterUnavailableError('MP4'), ['需要 ffmpeg', '`FFMPEG_PATH`']],
    [new SilentAudioError('Ogg Opus', -Infinity, -60), ['只有静音', '-60 dBFS']],
    [new DecodedLengthMismatchError('Ogg Opus', 12, 12.1, true), ['声明时长为 12.0 秒', '超过 12.1 秒']],
    [new AudioTooLongError('WebM Opus', 301, true, 300), ['超过 301.0 秒', '最长 5 分钟']],
    [new UnsupportedAudioFormatError(undefined), ['不是本机器人能读取的音频']],
    [new CorruptAudioError('mp3', 'truncated'), ['MP3 文件']],
    [new CorruptAudioError('m4a', 'unreadable'), ['M4A 文件，但无法读取']],
    [new CorruptAudioError('wav', 'no_duration'), ['（WAV）的时长']],
    [
      new CorruptAudioError('mp3', 'length_mismatch', undefined, {
        claimedSeconds: 151.2,
        foundSeconds: 0.5,
      }),
      ['按文件头或文件大小应有 151.2 秒（2 分钟 31.2 秒）的音频，实际只有 0.5 秒'],
    ],
    [new AudioTooComplexError('timeout', { timeoutMs: 5000 }), ['格式异常或过于复杂', '超过了 5 秒的上限']],
    [
      new AudioTooComplexError('structure', {
        structure: { what: 'id3_frame_count', found: 4097, limit: 4096 },
      }),
      ['ID3 标签帧的数量为 4,097 或更多，上限为 4,096'],
    ],
    [new DmxapiServiceError(2037, undefined, undefined), ['状态码 2037', '10 秒至 5 分钟']],
    [new DmxapiServiceError(2048, undefined, undefined), ['状态码 2048', '短于 8 秒']],
    [new DmxapiServiceError(9999, undefined, undefined), ['MiniMax 返回了错误（状态码 9999）']],
    [
      new DmxapiHttpError({ status: 401, requestId: 'req-42' }),
      ['HTTP 401', 'DMXAPI_API_KEY', '请求 ID: `req-42`'],
    ],
    [withAttempts(new DmxapiHttpError({ status: 503 }), 3), ['DMXAPI_MODEL', '尝试次数: 3']],
    [new DmxapiHttpError({ status: 418 }), ['DMXAPI 返回了错误（HTTP 418）']],
    [new DmxapiMalformedResponseError(200, 'x', undefined), ['JSON', 'file_id']],
    [new DmxapiTimeoutError(120_000), ['2 分钟内']],
    [new DmxapiConnectionError('refused', undefined), ['拒绝了连接']],
    [new DmxapiConnectionError('reset', undefined), ['无法确定文件是否已保存']],
    [new DmxapiConnectionError('dns', undefined), ['DMXAPI_BASE_URL']],
    [new DmxapiConnectionError('other', undefined), ['网络错误']],
    [new GuildOnlyError(), ['服务器频道']],
    [new SearchExpiredError(), ['30 天', '`/uploads`']],
    [new UnknownCommandError('upload'), ['`upload`', '`npm run register`']],
    [new ShuttingDownError(), ['正在重启']],
    [new UploadCutOffError(), ['file_id']],
    [new UploadedPrivatelyBeforeError(), ['仅自己可见', '`force: True`']],
    [new TypeError('secret internals'), ['意外错误']],
  ])('%s', (error, expected) => {
    const text = render(error);
    for (const part of expected) expect(text).toContain(part);
    expect(text).toContain('解决办法: ');
    expect(
      englishLeftIn(text, ['sample.mp3', 'evil.example', 'cdn.discordapp.com', 'Ogg (Vorbis I)', 'Speex']),
    ).toEqual([]);
  });

  it('shows the service’s own message as it was sent', () => {
    const text = render(new DmxapiServiceError(1002, 'rate limit exceeded', 'r-1'));
    expect(text).toContain('MiniMax 正在对此账户限流');
    expect(text).toContain('DMXAPI 返回的信息: ```\nrate limit exceeded\n```');
  });

  const outcome = UPLOADED_MP3;

  it('success embed', () => {
    const embed = successEmbed(t, 'my *voice*.mp3', 'voice_clone', outcome, 'alice').toJSON();
    expect(embed.title).toBe('声音样本已上传');
    expect(embed.description).toBe(
      '请复制下方的 file_id，在克隆步骤中它代表这段待克隆音频。\n```\n9007199254740993123\n```',
    );
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields).toEqual({
      用途: '待克隆音频 (`voice_clone`)',
      大小: '199.2 KiB（203,955 字节）',
      文件: 'my \\*voice\\*.mp3',
      音频: 'MP3 · 12.7 秒 · 44,100 Hz · 单声道',
      创建时间: '<t:1770876014:F> (<t:1770876014:R>)',
      'Token 用量': '共 203 · 输入 0 · 输出 203',
    });
    expect(embed.footer?.text).toBe('由 alice 上传');
  });

  it('progress embed', () => {
    const describe = (state: Parameters<typeof progressEmbed>[3]) =>
      progressEmbed(t, 'a.wav', 'prompt_audio', state).toJSON();
    const downloading = describe({
      stage: 'downloading',
      receivedBytes: 512 * 1024,
      totalBytes: 2048 * 1024,
    });
    expect(downloading.title).toBe('正在上传声音样本');
    expect(downloading.description).toBe(
      '**a.wav** · 示例音频 (`prompt_audio`)\n正在下载…… 512.0 KiB / 2.0 MiB（25%）',
    );
    expect(describe({ stage: 'queued', position: 2 }).description).toContain('你排在队列第 2 位');
    expect(describe({ stage: 'checking', bytes: 203955 }).description).toContain(
      '正在检查音频（199.2 KiB）……',
    );
    expect(describe({ stage: 'uploading', bytes: 512, audio: outcome.audio }).description).toContain(
      '正在上传到 DMXAPI（512 字节）……',
    );
  });
});

describe('catalogueFor', () => {
  it.each([
    ['zh-CN', zhCN],
    ['en-US', enUS],
    ['en-GB', enUS],
    ['zh-TW', enUS],
    ['fr', enUS],
    ['constructor', enUS],
    ['', enUS],
    [undefined, enUS],
  ])('%s', (locale, catalogue) => {
    expect(catalogueFor(locale)).toBe(catalogue);
  });
});
