import type { VoiceIdRule } from '../domain/voice-id.ts';

/**
 * Requests refused before anything is sent: a check failed, so the key is not spent. Each carries
 * what a reply needs; wording lives in the i18n catalogues.
 */
export abstract class DmxapiInputError extends Error {
  abstract readonly code: string;
}

export class VoiceIdInvalidError extends DmxapiInputError {
  readonly code = 'voice_id_invalid';
  readonly voiceId: string;
  readonly rule: VoiceIdRule;
  /** A valid voice_id to offer instead, when the caller had one to suggest. */
  readonly suggestion: string | undefined;
  constructor(voiceId: string, rule: VoiceIdRule, suggestion?: string) {
    super(`voice_id breaks the ${rule} rule`);
    this.voiceId = voiceId;
    this.rule = rule;
    this.suggestion = suggestion;
  }
}

/** A file_id, speed or other value that is not what DMXAPI takes. */
export class InvalidRequestValueError extends DmxapiInputError {
  readonly code = 'invalid_request_value';
  readonly field: 'file_id' | 'prompt_file_id' | 'prompt_text' | 'speed' | 'voice_id';
  constructor(field: InvalidRequestValueError['field'], detail: string) {
    super(`${field}: ${detail}`);
    this.field = field;
  }
}

export class SpeechTextEmptyError extends DmxapiInputError {
  readonly code = 'speech_text_empty';
  constructor() {
    super('the text to say is empty');
  }
}

export class SpeechTextTooLongError extends DmxapiInputError {
  readonly code = 'speech_text_too_long';
  /** Characters (Unicode code points) in the text. */
  readonly characters: number;
  readonly maxCharacters: number;
  constructor(characters: number, maxCharacters: number) {
    super(`the text has ${characters} characters, the limit is ${maxCharacters}`);
    this.characters = characters;
    this.maxCharacters = maxCharacters;
  }
}

/** Even at the lowest bitrate the speech could outgrow the attachment limit (long pauses, slow speed). */
export class SpeechWouldNotFitError extends DmxapiInputError {
  readonly code = 'speech_would_not_fit';
  readonly estimatedSeconds: number;
  readonly maxSeconds: number;
  constructor(estimatedSeconds: number, maxSeconds: number) {
    super(`the speech could last ${estimatedSeconds} s; at most ${maxSeconds} s fits one attachment`);
    this.estimatedSeconds = estimatedSeconds;
    this.maxSeconds = maxSeconds;
  }
}

/** The voice_id is taken: by a voice this bot made (nothing sent), or per MiniMax's 2039. */
export class VoiceIdTakenError extends DmxapiInputError {
  readonly code = 'voice_id_taken';
  readonly voiceId: string;
  readonly byMinimax: boolean;
  /** A free voice_id to offer instead. */
  readonly suggestion: string | undefined;
  constructor(voiceId: string, byMinimax: boolean, suggestion?: string) {
    super(`voice_id ${voiceId} is taken${byMinimax ? ' (MiniMax 2039)' : ''}`);
    this.voiceId = voiceId;
    this.byMinimax = byMinimax;
    this.suggestion = suggestion;
  }
}
