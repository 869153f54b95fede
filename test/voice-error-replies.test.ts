import { describe, expect, it } from 'vitest';
import { describeError } from '../src/discord/error-replies.ts';
import {
  DmxapiConnectionError,
  DmxapiHttpError,
  DmxapiMalformedResponseError,
  DmxapiServiceError,
  DmxapiTimeoutError,
  type DmxapiError,
  type DmxapiOperation,
} from '../src/dmxapi/errors.ts';
import {
  InvalidRequestValueError,
  SpeechTextEmptyError,
  SpeechTextTooLongError,
  SpeechWouldNotFitError,
  VoiceIdInvalidError,
  VoiceIdTakenError,
} from '../src/dmxapi/input-errors.ts';
import { enUS } from '../src/i18n/en-US/index.ts';
import { zhCN } from '../src/i18n/zh-CN/index.ts';
import { PreviewDownloadFailedError } from '../src/pipeline/errors.ts';

function during<E extends DmxapiError>(operation: DmxapiOperation, error: E): E {
  error.operation = operation;
  return error;
}

const service = (operation: DmxapiOperation, code: number) =>
  during(operation, new DmxapiServiceError(code, `minimax says ${code}`, `req-${code}`));

function text(error: unknown, t = enUS): string {
  const reply = describeError(t, error, 'sample.mp3');
  expect(reply.reference, 'a known error never gets the "unexpected error" reply').toBeUndefined();
  return [
    reply.text.title,
    reply.text.description,
    reply.text.hint,
    ...reply.fields.map((f) => f.value),
  ].join('\n');
}

describe('every clone and speech failure has its own reply, in both languages', () => {
  it.each([
    [
      '2039 voice_id taken (with a suggestion)',
      new VoiceIdTakenError('TeamAlice2026', true, 'TeamAlice2026-2'),
      ['2039', '`TeamAlice2026-2`'],
      ['2039', '`TeamAlice2026-2`'],
    ],
    [
      'a voice_id this bot already made',
      new VoiceIdTakenError('TeamAlice2026', false, 'Alice-20261201'),
      ['Nothing was sent', 'Alice-20261201'],
      ['没有发送', 'Alice-20261201'],
    ],
    ['20132 invalid sample or voice_id', service('clone', 20132), ['20132', 'voice_clone'], ['20132']],
    ['2042 no access to the voice', service('speech', 2042), ['2042', '7 days'], ['2042', '7 天']],
    ['1043 speech did not match the text', service('clone', 1043), ['1043'], ['1043']],
    [
      '1044 prompt clip did not match prompt_text',
      service('clone', 1044),
      ['1044', 'prompt_text'],
      ['1044', 'prompt_text'],
    ],
    ['1026 sensitive sample', service('clone', 1026), ['1026', 'sample'], ['1026', '音频样本']],
    ['1026 sensitive text', service('speech', 1026), ['1026', 'text'], ['1026', '文本']],
    ['2038 cloning not enabled', service('clone', 2038), ['2038', 'real-name'], ['2038', '实名认证']],
    ['2048 prompt clip too long', service('clone', 2048), ['2048', '8 s'], ['2048', '8 秒']],
    ['2037 sample duration', service('clone', 2037), ['2037', '10 s to 5 min'], ['2037', '10 秒至 5 分钟']],
    ['1042 invisible characters', service('speech', 1042), ['1042', 'invisible'], ['1042', '不可见字符']],
    ['text too long', new SpeechTextTooLongError(2345, 2000), ['2,345', '2,000'], ['2,345', '2,000']],
    ['empty text', new SpeechTextEmptyError(), ['empty'], ['为空']],
    [
      'speech that could not fit one attachment',
      new SpeechWouldNotFitError(4000, 2600),
      ['Nothing was sent'],
      ['没有发送'],
    ],
    [
      'an invalid voice_id',
      new VoiceIdInvalidError('1abc', 'first_character', 'Alice-20261201'),
      ['ASCII letter', 'Alice-20261201'],
      ['英文字母', 'Alice-20261201'],
    ],
    [
      'a value DMXAPI cannot take',
      new InvalidRequestValueError('file_id', 'not int64'),
      ['file_id'],
      ['file_id'],
    ],
    [
      'preview download failed',
      new PreviewDownloadFailedError('TeamAlice2026', 'http_status', undefined, 403),
      ['`TeamAlice2026` exists', 'HTTP 403', '/say'],
      ['`TeamAlice2026`', 'HTTP 403', '/say'],
    ],
    [
      'preview from a host not allowed',
      new PreviewDownloadFailedError('TeamAlice2026', 'host_not_allowed'),
      ['DMXAPI_AUDIO_HOSTS'],
      ['DMXAPI_AUDIO_HOSTS'],
    ],
  ] as const)('%s', (_label, error, english, chinese) => {
    const en = text(error);
    const zh = text(error, zhCN);
    for (const part of english) expect(en).toContain(part);
    for (const part of chinese) expect(zh).toContain(part);
    // Its own reply: not the generic table's "MiniMax refused …".
    expect(en).not.toMatch(/^MiniMax answered with an error/m);
  });

  it('the same MiniMax code on an upload keeps the upload wording', () => {
    expect(text(service('upload', 2037))).toMatch(/^MiniMax refused the upload/);
    expect(text(service('clone', 2037))).toMatch(/^The sample is too short or too long/);
  });

  it('a preview failure is a notice: the voice was still created', () => {
    expect(describeError(enUS, new PreviewDownloadFailedError('TeamAlice2026', 'timeout'), '').notice).toBe(
      true,
    );
  });
});

describe('transport failures name the operation and what may have happened', () => {
  it.each([
    [
      'clone',
      new DmxapiTimeoutError(120_000),
      ['did not finish the clone', 'voice may have been created', '/say'],
    ],
    [
      'speech',
      new DmxapiTimeoutError(120_000),
      ['did not finish the speech request', 'may have been billed'],
    ],
    ['clone', new DmxapiHttpError({ status: 503 }), ['DMXAPI_CLONE_MODEL']],
    ['speech', new DmxapiHttpError({ status: 503 }), ['DMXAPI_SPEECH_MODEL']],
    ['clone', new DmxapiHttpError({ status: 504 }), ['refused the clone', 'voice may have been created']],
    [
      'clone',
      new DmxapiMalformedResponseError(200, 'x', undefined),
      ['unknown whether the voice was created'],
    ],
    [
      'speech',
      new DmxapiConnectionError('reset', undefined, true),
      ['unknown whether the characters were billed'],
    ],
    [
      'speech',
      new DmxapiConnectionError('reset', undefined, false),
      ['before the request was sent in full', 'did not happen'],
    ],
    [
      'clone',
      new DmxapiConnectionError('refused', undefined),
      ['nothing was sent', 'the clone did not happen'],
    ],
  ] as const)('%s: %s', (operation, error, parts) => {
    const en = text(during(operation, error));
    for (const part of parts) expect(en).toContain(part);
    expect(text(during(operation, error), zhCN)).toMatch(/[\u3400-\u9fff]/);
  });

  it('upload wording is unchanged', () => {
    expect(text(new DmxapiTimeoutError(90_000))).toContain('did not finish the upload');
    expect(text(new DmxapiHttpError({ status: 503 }))).toContain('DMXAPI_MODEL');
  });
});
