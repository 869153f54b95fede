import { countOrUndefined, isRecord, type CheckedAnswer } from './answer.ts';
import { DmxapiMalformedResponseError } from './errors.ts';
import { InvalidRequestValueError, SpeechTextEmptyError, SpeechTextTooLongError } from './input-errors.ts';
import { chooseSpeechBitrate, speechCharacters } from './speech-text.ts';
import { textBody, type RawAnswer, type RequestBody } from './transport.ts';
import { readUsage, type TokenUsage } from './upload.ts';
import {
  MINIMAX_SPEECH_TEXT_LIMIT,
  SPEECH_SPEED_MAX,
  SPEECH_SPEED_MIN,
  type SpeechBitrate,
  type SpeechEmotion,
} from '../domain/voices.ts';

export interface SynthesizeSpeechInput {
  /** A cloned voice or one of MiniMax's system voices. */
  readonly voiceId: string;
  readonly text: string;
  /** 0.5–2, default 1. */
  readonly speed?: number | undefined;
  readonly emotion?: SpeechEmotion | undefined;
  readonly languageBoost?: string | undefined;
  /** The largest audio accepted (the attachment limit where it will be posted). */
  readonly maxAudioBytes: number;
}

export interface SynthesizedSpeech {
  readonly voiceId: string;
  /** The mp3, decoded from the answer's hex. */
  readonly audio: Buffer;
  readonly durationMs: number;
  /** Characters MiniMax billed (`extra_info.usage_characters`). */
  readonly billedCharacters: number;
  readonly bitrate: SpeechBitrate;
  readonly usage: TokenUsage | undefined;
  readonly requestId: string | undefined;
  readonly attempts: number;
}

export const SPEECH_SAMPLE_RATE = 32_000;
const VOICE_ID_MAX = 256;

/** Checks the input and writes the documented speech body (docs/dmxapi.md, "Speech"). */
export function speechRequestBody(
  model: string,
  input: SynthesizeSpeechInput,
  maxCharacters: number,
): { body: RequestBody; bitrate: SpeechBitrate } {
  const characters = speechCharacters(input.text);
  if (input.text.trim() === '') throw new SpeechTextEmptyError();
  const limit = Math.min(maxCharacters, MINIMAX_SPEECH_TEXT_LIMIT - 1);
  if (characters > limit) throw new SpeechTextTooLongError(characters, limit);
  const speed = input.speed ?? 1;
  if (!(speed >= SPEECH_SPEED_MIN && speed <= SPEECH_SPEED_MAX)) {
    throw new InvalidRequestValueError('speed', `must be ${SPEECH_SPEED_MIN} to ${SPEECH_SPEED_MAX}`);
  }
  // System voice ids hold spaces and brackets, so only length and control characters are checked.
  if (input.voiceId.length === 0 || input.voiceId.length > VOICE_ID_MAX || /\p{Cc}/u.test(input.voiceId)) {
    throw new InvalidRequestValueError('voice_id', `must be 1 to ${VOICE_ID_MAX} printable characters`);
  }
  const bitrate = chooseSpeechBitrate(input.text, speed, input.maxAudioBytes);
  const voiceSetting = {
    voice_id: input.voiceId,
    speed,
    vol: 1,
    pitch: 0,
    ...(input.emotion ? { emotion: input.emotion } : {}),
  };
  const body = {
    model,
    input: input.text,
    stream: false,
    voice_setting: voiceSetting,
    audio_setting: { sample_rate: SPEECH_SAMPLE_RATE, bitrate, format: 'mp3', channel: 1 },
    ...(input.languageBoost ? { language_boost: input.languageBoost } : {}),
    output_format: 'hex',
    aigc_watermark: false,
  };
  return { body: textBody(JSON.stringify(body)), bitrate };
}

/** The speech answer, every field the bot relies on checked against the audio it came with. */
export function readSpeech(
  input: SynthesizeSpeechInput,
  bitrate: SpeechBitrate,
  { audio, problem }: Pick<RawAnswer, 'audio' | 'problem'>,
  { json, requestId, status }: CheckedAnswer,
): Omit<SynthesizedSpeech, 'attempts'> {
  const malformed = (detail: string) => new DmxapiMalformedResponseError(status, detail, requestId);
  if (problem !== undefined) throw malformed(problem);
  const data = isRecord(json.data) ? json.data : undefined;
  if (data?.status !== undefined && data.status !== 2) throw malformed('data.status is not 2 (complete)');
  if (!audio || audio.length === 0) throw malformed('success without data.audio');
  const extra = isRecord(json.extra_info) ? json.extra_info : undefined;
  const durationMs = countOrUndefined(extra?.audio_length);
  const billedCharacters = countOrUndefined(extra?.usage_characters);
  if (durationMs === undefined) throw malformed('no extra_info.audio_length');
  if (billedCharacters === undefined) throw malformed('no extra_info.usage_characters');
  if (extra?.audio_format !== undefined && extra.audio_format !== 'mp3')
    throw malformed('audio_format is not mp3');
  if (extra?.audio_size !== undefined && extra.audio_size !== audio.length) {
    throw malformed(
      `extra_info.audio_size says ${JSON.stringify(extra.audio_size)} bytes, the audio holds ${audio.length}`,
    );
  }
  if (!looksLikeMp3(audio)) throw malformed('data.audio is not an mp3');
  return {
    voiceId: input.voiceId,
    audio,
    durationMs,
    billedCharacters,
    bitrate,
    usage: readUsage(json),
    requestId,
  };
}

/** An ID3 tag or an MPEG audio frame sync at the start. */
export function looksLikeMp3(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  if (bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) return true;
  return bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0;
}
