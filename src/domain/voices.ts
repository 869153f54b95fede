/** MiniMax's speech emotions (docs/dmxapi.md, "Speech"). */
export const SPEECH_EMOTIONS = [
  'happy',
  'sad',
  'angry',
  'fearful',
  'disgusted',
  'surprised',
  'calm',
  'fluent',
  'whisper',
] as const;
export type SpeechEmotion = (typeof SPEECH_EMOTIONS)[number];

/**
 * `language_boost` values offered as choices: `auto` and the main languages MiniMax names
 * (Discord allows 25 choices; the empty string, "none", is the option left out).
 */
export const LANGUAGE_BOOSTS = [
  'auto',
  'Chinese',
  'Chinese,Yue',
  'English',
  'Japanese',
  'Korean',
  'Spanish',
  'French',
  'German',
  'Portuguese',
  'Italian',
  'Russian',
  'Arabic',
  'Turkish',
  'Dutch',
  'Ukrainian',
  'Vietnamese',
  'Indonesian',
  'Thai',
  'Polish',
  'Hindi',
] as const;
export type LanguageBoost = (typeof LANGUAGE_BOOSTS)[number];

/** mp3 bitrates MiniMax accepts, lowest first. */
export const SPEECH_BITRATES = [32_000, 64_000, 128_000, 256_000] as const;
export type SpeechBitrate = (typeof SPEECH_BITRATES)[number];

export const SPEECH_SPEED_MIN = 0.5;
export const SPEECH_SPEED_MAX = 2;
/** MiniMax takes texts shorter than this many characters. */
export const MINIMAX_SPEECH_TEXT_LIMIT = 10_000;
