import { performance } from 'node:perf_hooks';
import type { UploadedFile, UploadFileInput } from '../dmxapi/client.ts';
import type { AudioWorkerPool } from './audio-pool.ts';
import { downloadAttachment, releaseDownload } from './download.ts';
import { DeclaredSizeTooLargeError } from './errors.ts';
import { checkDuration, type AudioInfo } from './inspect.ts';
import type { AudioLimits } from '../domain/limits.ts';
import type { Purpose } from '../domain/purposes.ts';

export interface UploadRequest {
  readonly url: string;
  readonly fileName: string;
  /** The size the chat platform declared for the attachment, if it did. */
  readonly declaredBytes: number | undefined;
  readonly purpose: Purpose;
}

export type UploadStage =
  | { readonly stage: 'downloading'; readonly receivedBytes: number; readonly totalBytes: number | undefined }
  | { readonly stage: 'checking'; readonly bytes: number }
  | { readonly stage: 'uploading'; readonly bytes: number; readonly audio: AudioInfo };

export interface StageTimings {
  readonly downloadMs: number;
  readonly inspectMs: number;
  readonly uploadMs: number;
}

export interface UploadOutcome {
  readonly file: UploadedFile;
  readonly audio: AudioInfo;
  readonly bytes: number;
  /** sha256 (hex) of the content: the same file, whatever it is called. */
  readonly sha256: string;
  readonly timings: StageTimings;
}

/** Anything that can store the audio and hand back a file id: DmxapiClient, or a test double. */
export interface AudioUploader {
  uploadFile(input: UploadFileInput): Promise<UploadedFile>;
}

export interface UploadPipelineOptions {
  readonly uploader: AudioUploader;
  readonly limits: AudioLimits;
  readonly allowedHosts: readonly string[];
  readonly downloadTimeoutMs: number;
  /** Where untrusted bytes are parsed, off the main thread. */
  readonly audioWorkers: AudioWorkerPool;
  /** Time limit of one inspection (INSPECT_TIMEOUT_MS). */
  readonly inspectTimeoutMs: number;
}

export interface RunOptions {
  readonly onStage?: ((stage: UploadStage) => void) | undefined;
  /**
   * Called with the checked audio and its sha256 just before anything is sent, and awaited (it may
   * wait for the same content uploaded by someone else); throwing stops the upload (a duplicate,
   * say) without spending the key.
   */
  readonly beforeUpload?: ((audio: AudioInfo, sha256: string) => void | Promise<void>) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Attachment URL in, DMXAPI file id out: download, check it is usable audio, upload.
 * Everything that fails validation is refused before a byte goes to DMXAPI.
 */
export class UploadPipeline {
  readonly #options: UploadPipelineOptions;

  constructor(options: UploadPipelineOptions) {
    this.#options = options;
  }

  async run(
    request: UploadRequest,
    { onStage, beforeUpload, signal }: RunOptions = {},
  ): Promise<UploadOutcome> {
    const { limits, allowedHosts, downloadTimeoutMs, uploader, audioWorkers, inspectTimeoutMs } =
      this.#options;
    if (request.declaredBytes !== undefined && request.declaredBytes > limits.maxBytes) {
      throw new DeclaredSizeTooLargeError(request.declaredBytes, limits.maxBytes);
    }

    let mark = performance.now();
    const lap = (): number => {
      const now = performance.now();
      const elapsed = now - mark;
      mark = now;
      return elapsed;
    };

    onStage?.({ stage: 'downloading', receivedBytes: 0, totalBytes: request.declaredBytes });
    const downloaded = await downloadAttachment(request.url, {
      allowedHosts,
      maxBytes: limits.maxBytes,
      timeoutMs: downloadTimeoutMs,
      expectedBytes: request.declaredBytes,
      signal,
      onProgress: (receivedBytes) =>
        onStage?.({ stage: 'downloading', receivedBytes, totalBytes: request.declaredBytes }),
    });
    const downloadMs = lap();
    const { sha256 } = downloaded;
    // The worker gets the download's memory itself (transferred, not copied) and hands it back.
    let bytes = downloaded.bytes;

    try {
      onStage?.({ stage: 'checking', bytes: bytes.length });
      const inspected = await audioWorkers.run(
        { kind: 'inspect', bytes },
        { timeoutMs: inspectTimeoutMs, signal },
      );
      bytes = inspected.bytes;
      const audio = inspected.value;
      checkDuration(audio, request.purpose, limits);
      await beforeUpload?.(audio, sha256);
      const inspectMs = lap();

      onStage?.({ stage: 'uploading', bytes: bytes.length, audio });
      const file = await uploader.uploadFile({ audio: bytes, purpose: request.purpose, signal });
      const uploadMs = lap();
      return { file, audio, bytes: bytes.length, sha256, timings: { downloadMs, inspectMs, uploadMs } };
    } finally {
      releaseDownload(bytes);
    }
  }
}
