import type { Dispatcher } from 'undici';
import { downloadAttachment } from './download.ts';
import {
  AttachmentUrlRejectedError,
  DownloadHttpError,
  DownloadTimeoutError,
  DownloadTooLargeError,
  PreviewDownloadFailedError,
  type PreviewFailure,
} from './errors.ts';
import { looksLikeMp3 } from '../dmxapi/speech.ts';

export interface PreviewDownloadOptions {
  /** DMXAPI_AUDIO_HOSTS: host names, or `.domain` for any host under it. */
  readonly allowedHosts: readonly string[];
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly dispatcher?: Dispatcher | undefined;
}

/**
 * Fetches a clone's `demo_audio` at once (the link expires in about 48 hours) through the same
 * checked downloader as attachments: allowed hosts only, https (http on loopback for tests), no
 * redirects, a size cap and a timeout. The bytes must be an mp3 before they are attached anywhere.
 */
export async function downloadPreview(
  voiceId: string,
  url: string,
  options: PreviewDownloadOptions,
): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    ({ bytes } = await downloadAttachment(url, options));
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new PreviewDownloadFailedError(voiceId, failureOf(error), error, statusOf(error));
  }
  if (!looksLikeMp3(bytes)) throw new PreviewDownloadFailedError(voiceId, 'not_mp3');
  return bytes;
}

function failureOf(error: unknown): PreviewFailure {
  if (error instanceof AttachmentUrlRejectedError) return error.reason;
  if (error instanceof DownloadHttpError) return 'http_status';
  if (error instanceof DownloadTooLargeError) return 'too_large';
  if (error instanceof DownloadTimeoutError) return 'timeout';
  return 'network';
}

function statusOf(error: unknown): number | undefined {
  return error instanceof DownloadHttpError ? error.status : undefined;
}
