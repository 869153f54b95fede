import type { Purpose } from '../domain/purposes.ts';
import { countOrUndefined, isRecord, type CheckedAnswer, type JsonObject } from './answer.ts';
import { DmxapiMalformedResponseError } from './errors.ts';
import type { UploadAudio } from './request-body.ts';
import { isInt64Id } from '../domain/int64.ts';

export interface TokenUsage {
  readonly totalTokens: number | undefined;
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
}

export interface UploadedFile {
  /** The int64 id as its exact decimal digits: a JSON number above 2^53 would be rounded. */
  readonly fileId: string;
  readonly bytes: number | undefined;
  /** Unix seconds. */
  readonly createdAt: number | undefined;
  readonly filename: string | undefined;
  readonly purpose: string | undefined;
  readonly usage: TokenUsage | undefined;
  readonly requestId: string | undefined;
  readonly attempts: number;
}

export interface UploadFileInput {
  /** In memory, or a checked file on disk, sent from the file. */
  readonly audio: UploadAudio;
  readonly purpose: Purpose;
  readonly signal?: AbortSignal | undefined;
}

/** The last second a JavaScript Date can hold (8.64e15 ms after the epoch). */
const MAX_UNIX_SECONDS = 8_640_000_000_000;

/** JSON.parse reviver: the third argument (Node 21+) exposes a number's source text, digits intact. */
export function keepFileIdDigits(key: string, value: unknown, context?: { source?: string }): unknown {
  if (key === 'file_id' && typeof value === 'number' && context?.source !== undefined) return context.source;
  return value;
}

/** The upload answer's `file`, every field checked: a file_id must be a positive int64. */
export function readUploadedFile({ json, requestId, status }: CheckedAnswer): Omit<UploadedFile, 'attempts'> {
  const file = isRecord(json.file) ? json.file : undefined;
  const fileId = file?.file_id;
  if (typeof fileId !== 'string' || !isInt64Id(fileId)) {
    throw new DmxapiMalformedResponseError(
      status,
      'success without a positive int64 file.file_id',
      requestId,
    );
  }
  // Shown to the user only (the history keeps the bot's own clock): a positive whole number of
  // seconds that is a date JavaScript can show, else nothing is shown.
  const createdAt = countOrUndefined(file?.created_at);
  return {
    fileId,
    bytes: countOrUndefined(file?.bytes),
    createdAt:
      createdAt !== undefined && createdAt > 0 && createdAt <= MAX_UNIX_SECONDS ? createdAt : undefined,
    filename: typeof file?.filename === 'string' ? file.filename : undefined,
    purpose: typeof file?.purpose === 'string' ? file.purpose : undefined,
    usage: readUsage(json),
    requestId,
  };
}

export function readUsage(json: JsonObject): TokenUsage | undefined {
  const usage = isRecord(json.usage) ? json.usage : undefined;
  return (
    usage && {
      totalTokens: countOrUndefined(usage.total_tokens),
      inputTokens: countOrUndefined(usage.input_tokens),
      outputTokens: countOrUndefined(usage.output_tokens),
    }
  );
}
