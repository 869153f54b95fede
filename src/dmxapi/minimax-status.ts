/**
 * MiniMax's `base_resp.status_code` values the project knows, by name (docs/dmxapi.md, "Errors").
 * The Discord layer maps each name to a reply; a code not listed here is `other`.
 */
export const MINIMAX_STATUS_REASONS = {
  1000: 'unknown_error',
  1001: 'service_timeout',
  1002: 'rate_limited',
  1004: 'authentication_failed',
  1008: 'insufficient_balance',
  1024: 'internal_error',
  1026: 'sensitive_content',
  1033: 'system_error',
  1039: 'token_limit',
  1041: 'connection_limit',
  1042: 'invisible_characters',
  1043: 'speech_text_mismatch',
  1044: 'prompt_text_mismatch',
  2013: 'invalid_parameters',
  2037: 'sample_duration_out_of_range',
  2038: 'cloning_not_enabled',
  2039: 'voice_id_taken',
  2042: 'voice_access_denied',
  2048: 'prompt_audio_too_long',
  2049: 'invalid_api_key',
  20132: 'invalid_sample_or_voice_id',
} as const;

export type MinimaxStatusReason =
  (typeof MINIMAX_STATUS_REASONS)[keyof typeof MINIMAX_STATUS_REASONS] | 'other';

export function minimaxStatusReason(statusCode: number): MinimaxStatusReason {
  return (MINIMAX_STATUS_REASONS as Readonly<Record<number, MinimaxStatusReason>>)[statusCode] ?? 'other';
}

/** Codes that mean "too many requests for this account": the limiter slows down when it sees one. */
export const RATE_LIMIT_STATUS_CODES: ReadonlySet<number> = new Set([1002, 1039, 1041]);
