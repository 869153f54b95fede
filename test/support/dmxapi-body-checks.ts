/**
 * The DMXAPI stand-in's checks: each request body against the documented shape, field by field,
 * so a client that sends anything else (an id as a string or rounded, a prompt half given, a stray
 * field) is caught by the test that made it.
 */
export interface BodyCheck {
  readonly model: string | undefined;
  /** The parsed body; int64 ids as their exact digits (strings), an upload's `dataf` as `<n bytes>`. */
  readonly json: Record<string, unknown> | undefined;
  readonly problems: readonly string[];
  /** Upload: the base64 as sent. */
  readonly dataf?: string | undefined;
}

const ID_KEYS = new Set(['file_id', 'prompt_audio']);

/** Parses keeping int64 ids as the digits written in the text, and flags any id not written as bare digits. */
function parse(text: string, problems: string[]): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(text, (key, value: unknown, context?: { source?: string }) => {
      if (!ID_KEYS.has(key)) return value;
      const source = context?.source;
      if (typeof value !== 'number' || source === undefined || !/^[1-9]\d{0,18}$/.test(source)) {
        problems.push(`${key} must be a bare JSON integer, got ${JSON.stringify(value)}`);
        return value;
      }
      return source;
    });
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      problems.push('the body is not a JSON object');
      return undefined;
    }
    return json as Record<string, unknown>;
  } catch (error) {
    problems.push(`the body is not JSON: ${String(error)}`);
    return undefined;
  }
}

function keys(
  problems: string[],
  where: string,
  value: unknown,
  required: string[],
  optional: string[] = [],
): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${where} must be an object`);
    return false;
  }
  const present = Object.keys(value);
  for (const key of required) if (!present.includes(key)) problems.push(`${where}.${key} is missing`);
  for (const key of present) {
    if (!required.includes(key) && !optional.includes(key))
      problems.push(`${where}.${key} is not documented`);
  }
  return true;
}

function expectType(
  problems: string[],
  where: string,
  value: unknown,
  type: 'string' | 'boolean' | 'number',
): void {
  if (typeof value !== type) problems.push(`${where} must be a ${type}, got ${JSON.stringify(value)}`);
}

export function checkUploadBody(text: string): BodyCheck {
  const problems: string[] = [];
  const json = parse(text, problems);
  let dataf: string | undefined;
  if (json && keys(problems, 'body', json, ['model', 'input', 'dataf'])) {
    const input = json.input;
    if (!Array.isArray(input) || input.length !== 1 || !keys(problems, 'input[0]', input[0], ['purpose'])) {
      problems.push('input must be [{"purpose": …}]');
    } else if (
      !['voice_clone', 'prompt_audio'].includes(String((input[0] as { purpose: unknown }).purpose))
    ) {
      problems.push('input[0].purpose must be voice_clone or prompt_audio');
    }
    if (typeof json.dataf === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(json.dataf)) {
      dataf = json.dataf;
      json.dataf = `<${Buffer.from(dataf, 'base64').length} bytes>`;
    } else {
      problems.push('dataf must be base64');
    }
  }
  return { model: typeof json?.model === 'string' ? json.model : undefined, json, problems, dataf };
}

export function checkCloneBody(text: string): BodyCheck {
  const problems: string[] = [];
  const json = parse(text, problems);
  const documented = [
    'model',
    'input',
    'voice_id',
    'need_noise_reduction',
    'need_volume_normalization',
    'aigc_watermark',
    'language_boost',
  ];
  if (json && keys(problems, 'body', json, documented, ['clone_prompt'])) {
    const input = json.input;
    if (!Array.isArray(input) || input.length !== 1 || !keys(problems, 'input[0]', input[0], ['file_id'])) {
      problems.push('input must be [{"file_id": <int64>}]');
    }
    const voiceId = json.voice_id;
    if (typeof voiceId !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{6,254}[A-Za-z0-9]$/.test(voiceId)) {
      problems.push(`voice_id breaks MiniMax's rules: ${JSON.stringify(voiceId)}`);
    }
    if (
      'clone_prompt' in json &&
      keys(problems, 'clone_prompt', json.clone_prompt, ['prompt_audio', 'prompt_text'])
    ) {
      const promptText = json.clone_prompt.prompt_text;
      if (typeof promptText !== 'string' || promptText.trim() === '')
        problems.push('clone_prompt.prompt_text must be text');
    }
    expectType(problems, 'need_noise_reduction', json.need_noise_reduction, 'boolean');
    expectType(problems, 'need_volume_normalization', json.need_volume_normalization, 'boolean');
    expectType(problems, 'aigc_watermark', json.aigc_watermark, 'boolean');
    expectType(problems, 'language_boost', json.language_boost, 'string');
  }
  return { model: typeof json?.model === 'string' ? json.model : undefined, json, problems };
}

const EMOTIONS = ['happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised', 'calm', 'fluent', 'whisper'];

export function checkSpeechBody(text: string): BodyCheck {
  const problems: string[] = [];
  const json = parse(text, problems);
  const documented = [
    'model',
    'input',
    'stream',
    'voice_setting',
    'audio_setting',
    'output_format',
    'aigc_watermark',
  ];
  if (json && keys(problems, 'body', json, documented, ['language_boost'])) {
    if (typeof json.input !== 'string' || json.input.length === 0 || json.input.length >= 10_000) {
      problems.push('input must be text shorter than 10,000 characters');
    }
    if (json.stream !== false) problems.push('stream must be false');
    if (json.output_format !== 'hex') problems.push('output_format must be hex');
    expectType(problems, 'aigc_watermark', json.aigc_watermark, 'boolean');
    if ('language_boost' in json) expectType(problems, 'language_boost', json.language_boost, 'string');
    const voice = json.voice_setting;
    if (keys(problems, 'voice_setting', voice, ['voice_id', 'speed', 'vol', 'pitch'], ['emotion'])) {
      expectType(problems, 'voice_setting.voice_id', voice.voice_id, 'string');
      const { speed, vol, pitch, emotion } = voice;
      if (typeof speed !== 'number' || speed < 0.5 || speed > 2)
        problems.push('voice_setting.speed must be 0.5–2');
      if (typeof vol !== 'number' || vol <= 0 || vol > 10)
        problems.push('voice_setting.vol must be in (0, 10]');
      if (typeof pitch !== 'number' || !Number.isInteger(pitch) || Math.abs(pitch) > 12) {
        problems.push('voice_setting.pitch must be −12–12');
      }
      if (emotion !== undefined && !(typeof emotion === 'string' && EMOTIONS.includes(emotion))) {
        problems.push(`unknown emotion ${JSON.stringify(emotion)}`);
      }
    }
    const audio = json.audio_setting;
    if (keys(problems, 'audio_setting', audio, ['sample_rate', 'bitrate', 'format', 'channel'])) {
      if (![8000, 16000, 22050, 24000, 32000, 44100].includes(Number(audio.sample_rate))) {
        problems.push('audio_setting.sample_rate is not one MiniMax takes');
      }
      if (![32000, 64000, 128000, 256000].includes(Number(audio.bitrate))) {
        problems.push('audio_setting.bitrate is not one MiniMax takes');
      }
      if (audio.format !== 'mp3') problems.push('audio_setting.format must be mp3');
      if (audio.channel !== 1 && audio.channel !== 2) problems.push('audio_setting.channel must be 1 or 2');
    }
  }
  return { model: typeof json?.model === 'string' ? json.model : undefined, json, problems };
}
