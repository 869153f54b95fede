import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DmxapiClient, type SynthesizeSpeechInput } from '../src/dmxapi/client.ts';
import { DmxapiAudioTooLargeError, DmxapiMalformedResponseError } from '../src/dmxapi/errors.ts';
import {
  SpeechTextEmptyError,
  SpeechTextTooLongError,
  SpeechWouldNotFitError,
} from '../src/dmxapi/input-errors.ts';
import { chooseSpeechBitrate, estimateBilledCharacters } from '../src/dmxapi/speech-text.ts';
import {
  clientOptions,
  DmxapiStandIn,
  minimaxBilledCharacters,
  SPEECH_MP3,
} from './support/dmxapi-stand-in.ts';

const TEN_MIB = 10 * 1024 * 1024;
let standIn: DmxapiStandIn;
let client: DmxapiClient;

beforeEach(async () => {
  standIn = await DmxapiStandIn.start();
  client = new DmxapiClient(clientOptions(standIn.baseUrl, { timeoutMs: 5000 }));
});

afterEach(async () => {
  await client.close();
  await standIn.close();
});

const say = (input: Partial<SynthesizeSpeechInput> = {}) =>
  client.synthesizeSpeech({
    voiceId: 'male-qn-qingse',
    text: 'Hello there.',
    maxAudioBytes: TEN_MIB,
    ...input,
  });

describe('synthesizeSpeech request', () => {
  it('sends the documented body: model from DMXAPI_SPEECH_MODEL, mp3 as hex, the voice as sent', async () => {
    await say({ voiceId: 'English_Graceful_Lady', speed: 1.25, emotion: 'calm', languageBoost: 'English' });
    const [request] = standIn.received;
    expect(request?.problems).toEqual([]);
    expect(request?.json).toEqual({
      model: 'speech-2.8-hd',
      input: 'Hello there.',
      stream: false,
      voice_setting: { voice_id: 'English_Graceful_Lady', speed: 1.25, vol: 1, pitch: 0, emotion: 'calm' },
      audio_setting: { sample_rate: 32000, bitrate: 128000, format: 'mp3', channel: 1 },
      language_boost: 'English',
      output_format: 'hex',
      aigc_watermark: false,
    });
  });

  it('leaves emotion and language_boost out unless asked', async () => {
    await say();
    expect(standIn.received[0]?.json).not.toHaveProperty('language_boost');
    expect(standIn.received[0]?.json?.voice_setting).toEqual({
      voice_id: 'male-qn-qingse',
      speed: 1,
      vol: 1,
      pitch: 0,
    });
  });

  it('refuses a text over SPEECH_MAX_CHARS, counting code points, before sending anything', async () => {
    const small = new DmxapiClient(clientOptions(standIn.baseUrl, { speechMaxChars: 5 }));
    try {
      await expect(
        small.synthesizeSpeech({ voiceId: 'male-qn-qingse', text: '😀😀😀😀😀', maxAudioBytes: TEN_MIB }),
      ).resolves.toBeDefined();
      const error: unknown = await small
        .synthesizeSpeech({ voiceId: 'male-qn-qingse', text: '😀😀😀😀😀😀', maxAudioBytes: TEN_MIB })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpeechTextTooLongError);
      expect(error).toMatchObject({ characters: 6, maxCharacters: 5 });
      expect(standIn.received).toHaveLength(1);
    } finally {
      await small.close();
    }
  });

  it('refuses an empty or blank text before sending anything', async () => {
    await expect(say({ text: ' \n ' })).rejects.toBeInstanceOf(SpeechTextEmptyError);
    expect(standIn.received).toHaveLength(0);
  });

  it('refuses a text whose pauses could not fit one attachment, before sending anything', async () => {
    const text = Array.from({ length: 40 }, () => 'word<#99.99#>').join('') + 'end';
    const error: unknown = await say({ text, maxAudioBytes: 8 << 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpeechWouldNotFitError);
    expect(standIn.received).toHaveLength(0);
  });
});

describe('synthesizeSpeech answer', () => {
  it.each([7, 4099])(
    'decodes the hex mp3 written %i bytes at a time, with duration and billed characters',
    async (writeBytes) => {
      standIn.script({ kind: 'success', writeBytes, audioLengthMs: 12_700 });
      const speech = await say({ text: '你好，world' });
      expect(speech.audio.equals(SPEECH_MP3)).toBe(true);
      expect(speech).toMatchObject({
        durationMs: 12_700,
        billedCharacters: minimaxBilledCharacters('你好，world'),
        bitrate: 128000,
        attempts: 1,
      });
      expect(speech.requestId).toMatch(/^trace-/);
    },
  );

  it('decodes a large answer (several MiB of hex) to the same bytes', async () => {
    const audio = Buffer.concat(Array.from({ length: 60 }, () => SPEECH_MP3));
    standIn.script({ kind: 'success', audio, writeBytes: 65_536 });
    const speech = await say();
    expect(speech.audio.length).toBe(audio.length);
    expect(speech.audio.equals(audio)).toBe(true);
  });

  it('stops reading past maxAudioBytes', async () => {
    const error: unknown = await say({ maxAudioBytes: SPEECH_MP3.length - 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DmxapiAudioTooLargeError);
    expect(error).toMatchObject({ operation: 'speech', mayHaveBeenProcessed: true, attempts: 1 });
  });

  it('a voice the account cannot use fails as 2042', async () => {
    await expect(say({ voiceId: 'SomeoneElses01' })).rejects.toMatchObject({
      statusCode: 2042,
      reason: 'voice_access_denied',
      operation: 'speech',
    });
  });

  it.each([
    ['audio_size that disagrees with the audio', { kind: 'success', audioSize: 12 } as const, 'audio_size'],
    [
      'audio that is not an mp3',
      { kind: 'success', audio: Buffer.from('<html>nope</html>') } as const,
      'not an mp3',
    ],
    [
      'an odd number of hex digits',
      {
        kind: 'reply',
        status: 200,
        body: '{"data":{"audio":"fff","status":2},"extra_info":{"audio_length":1,"usage_characters":1},"base_resp":{"status_code":0}}',
      } as const,
      'odd number',
    ],
    [
      'no audio',
      {
        kind: 'reply',
        status: 200,
        body: {
          data: { status: 2 },
          extra_info: { audio_length: 1, usage_characters: 1 },
          base_resp: { status_code: 0 },
        },
      } as const,
      'without data.audio',
    ],
    [
      'no usage_characters',
      {
        kind: 'reply',
        status: 200,
        body: {
          data: { audio: 'fffb9000', status: 2 },
          extra_info: { audio_length: 1 },
          base_resp: { status_code: 0 },
        },
      } as const,
      'usage_characters',
    ],
    [
      'a negative audio_length',
      {
        kind: 'reply',
        status: 200,
        body: {
          data: { audio: 'fffb9000', status: 2 },
          extra_info: { audio_length: -1, usage_characters: 1 },
          base_resp: { status_code: 0 },
        },
      } as const,
      'audio_length',
    ],
    [
      'an unfinished status',
      {
        kind: 'reply',
        status: 200,
        body: {
          data: { audio: 'fffb9000', status: 1 },
          extra_info: { audio_length: 1, usage_characters: 1 },
          base_resp: { status_code: 0 },
        },
      } as const,
      'data.status',
    ],
  ])('reports %s as malformed', async (_label, script, detail) => {
    standIn.script(script);
    const error: unknown = await say().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DmxapiMalformedResponseError);
    expect((error as DmxapiMalformedResponseError).detail).toContain(detail);
    expect(standIn.received).toHaveLength(1);
  });
});

describe('speech bitrate and billing', () => {
  it('the longest allowed text, spoken slowest, fits a 10 MiB attachment', () => {
    const longestChinese = '说'.repeat(4000);
    const bitrate = chooseSpeechBitrate(longestChinese, 0.5, TEN_MIB);
    expect(bitrate).toBe(32000);
    // 4 characters a second at speed 1 is slower than Chinese is spoken: a ceiling on the length.
    const seconds = 4000 / 4 / 0.5;
    expect((seconds * bitrate) / 8).toBeLessThan(TEN_MIB);
  });

  it('short texts get 128 kbit/s, longer ones step down', () => {
    expect(chooseSpeechBitrate('Hello there.', 1, TEN_MIB)).toBe(128000);
    expect(chooseSpeechBitrate('a'.repeat(2000), 1, TEN_MIB)).toBe(128000);
    expect(chooseSpeechBitrate('a'.repeat(4000), 0.5, TEN_MIB)).toBe(64000);
    expect(chooseSpeechBitrate('说'.repeat(2000), 1, TEN_MIB)).toBe(128000);
    expect(chooseSpeechBitrate('说'.repeat(2000), 0.5, TEN_MIB)).toBe(64000);
  });

  it('estimates billing as an upper bound of what the service bills', () => {
    for (const text of [
      'Hello there.',
      '你好，world',
      'カタカナ と 한국어',
      'pause<#1.5#>here',
      '😀 emoji',
    ]) {
      expect(estimateBilledCharacters(text)).toBeGreaterThanOrEqual(minimaxBilledCharacters(text));
    }
    expect(estimateBilledCharacters('你好')).toBe(4);
    expect(estimateBilledCharacters('a<#2#>b')).toBe(2);
  });
});
