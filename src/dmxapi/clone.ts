import { type CheckedAnswer, type JsonObject } from './answer.ts';
import { InvalidRequestValueError, VoiceIdInvalidError } from './input-errors.ts';
import { int64Json } from '../domain/int64.ts';
import { textBody, type RequestBody } from './transport.ts';
import { readUsage, type TokenUsage } from './upload.ts';
import { voiceIdProblem } from '../domain/voice-id.ts';

export interface CloneVoiceInput {
  /** file_id of a `voice_clone` upload, as exact digits. */
  readonly sampleFileId: string;
  /** Chosen by the caller; MiniMax does not echo it. */
  readonly voiceId: string;
  /** A short `prompt_audio` clip and exactly what it says: both or neither. */
  readonly prompt?: { readonly fileId: string; readonly text: string } | undefined;
  readonly noiseReduction?: boolean | undefined;
  readonly volumeNormalization?: boolean | undefined;
  /** `''` (none, the default), `auto` or a language name. */
  readonly languageBoost?: string | undefined;
}

export interface ClonedVoice {
  readonly voiceId: string;
  /** Where the preview mp3 can be fetched for about 48 hours; undefined when MiniMax made none. */
  readonly demoAudioUrl: string | undefined;
  /** MiniMax sent something as `demo_audio` that is not a URL: the voice exists, its preview does not. */
  readonly demoAudioMalformed: boolean;
  /** MiniMax's content check flagged the sample (the voice was still made). */
  readonly inputSensitive: boolean;
  readonly usage: TokenUsage | undefined;
  readonly requestId: string | undefined;
  readonly attempts: number;
}

const PROMPT_TEXT_MAX = 2000;
const URL_MAX = 4096;

/** The documented clone body, ids written as bare digits (docs/dmxapi.md, "Clone"). */
export function cloneRequestBody(model: string, input: CloneVoiceInput): RequestBody {
  const problem = voiceIdProblem(input.voiceId);
  if (problem) throw new VoiceIdInvalidError(input.voiceId, problem);
  const parts = [
    `"model":${JSON.stringify(model)}`,
    `"input":[{"file_id":${int64JsonOrThrow(input.sampleFileId, 'file_id')}}]`,
    `"voice_id":${JSON.stringify(input.voiceId)}`,
  ];
  if (input.prompt) {
    const text = input.prompt.text.trim();
    if (text.length === 0 || text.length > PROMPT_TEXT_MAX) {
      throw new InvalidRequestValueError('prompt_text', `must hold 1 to ${PROMPT_TEXT_MAX} characters`);
    }
    parts.push(
      `"clone_prompt":{"prompt_audio":${int64JsonOrThrow(input.prompt.fileId, 'prompt_file_id')},"prompt_text":${JSON.stringify(text)}}`,
    );
  }
  parts.push(
    `"need_noise_reduction":${input.noiseReduction === true}`,
    `"need_volume_normalization":${input.volumeNormalization === true}`,
    `"aigc_watermark":false`,
    `"language_boost":${JSON.stringify(input.languageBoost ?? '')}`,
  );
  return textBody(`{${parts.join(',')}}`);
}

function int64JsonOrThrow(digits: string, field: 'file_id' | 'prompt_file_id'): string {
  try {
    return int64Json(digits, field);
  } catch {
    throw new InvalidRequestValueError(field, 'must be a positive int64');
  }
}

/**
 * The clone answer. Once `base_resp` says success the voice exists, so nothing else in the answer
 * may turn it into a failure: an odd `demo_audio` only costs the preview.
 */
export function readClonedVoice(
  voiceId: string,
  { json, requestId }: CheckedAnswer,
): Omit<ClonedVoice, 'attempts'> {
  const demo = json.demo_audio;
  let demoAudioUrl: string | undefined;
  let demoAudioMalformed = false;
  if (typeof demo === 'string' && demo !== '') {
    if (demo.length <= URL_MAX && URL.canParse(demo)) demoAudioUrl = demo;
    else demoAudioMalformed = true;
  } else if (demo !== undefined && demo !== null && demo !== '') {
    demoAudioMalformed = true;
  }
  return {
    voiceId,
    demoAudioUrl,
    demoAudioMalformed,
    inputSensitive: json.input_sensitive === true,
    usage: readUsage(json),
    requestId,
  };
}

/**
 * Reads the fields the project needs from a clone answer that is not valid JSON (the service's own
 * example is malformed, with repeated lines): undefined unless a `base_resp.status_code` is found.
 */
export function lenientCloneAnswer(text: string): JsonObject | undefined {
  const statusCode = /"status_code"\s*:\s*(-?\d{1,9})\b/.exec(text)?.[1];
  if (statusCode === undefined) return undefined;
  const string = (key: string): string | undefined => {
    const raw = new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\\\n]|\\\\.){0,${URL_MAX}})"`).exec(text)?.[1];
    if (raw === undefined) return undefined;
    try {
      const decoded: unknown = JSON.parse(`"${raw}"`);
      return typeof decoded === 'string' ? decoded : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    base_resp: { status_code: Number(statusCode), status_msg: string('status_msg') },
    demo_audio: string('demo_audio'),
    input_sensitive: /"input_sensitive"\s*:\s*true\b/.test(text),
  };
}
