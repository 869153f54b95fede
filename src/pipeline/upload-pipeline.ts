import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { UploadedFile, UploadFileInput } from '../dmxapi/client.ts';
import { audioSize } from '../dmxapi/request-body.ts';
import { downloadToFile, releaseDownload } from './download.ts';
import { DeclaredSizeTooLargeError } from './errors.ts';
import { checkDuration, type AudioInfo } from './inspect.ts';
import { prepareAudio, type Conversion, type PrepareOptions } from './prepare-audio.ts';
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
  /** Decoding into the WAV that is sent; `from` names the source ("Ogg Opus"). */
  | { readonly stage: 'converting'; readonly bytes: number; readonly from: string }
  | { readonly stage: 'uploading'; readonly bytes: number; readonly audio: AudioInfo };

export interface StageTimings {
  readonly downloadMs: number;
  readonly inspectMs: number;
  readonly uploadMs: number;
}

export interface UploadOutcome {
  readonly file: UploadedFile;
  /** What was sent (for a converted file, the WAV). */
  readonly audio: AudioInfo;
  /** Set when the posted file was converted before sending. */
  readonly conversion?: Conversion | undefined;
  readonly bytes: number;
  /** sha256 (hex) of the file as posted: the same file, whatever it is called or becomes. */
  readonly sha256: string;
  readonly timings: StageTimings;
}

/** Anything that can store the audio and hand back a file id: DmxapiClient, or a test double. */
export interface AudioUploader {
  uploadFile(input: UploadFileInput): Promise<UploadedFile>;
}

export interface UploadPipelineOptions extends PrepareOptions {
  readonly uploader: AudioUploader;
  readonly allowedHosts: readonly string[];
  readonly downloadTimeoutMs: number;
  /** The most downloaded for conversion (MAX_INPUT_BYTES); MAX_AUDIO_BYTES caps what is sent. */
  readonly maxInputBytes: number;
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
    const { allowedHosts, downloadTimeoutMs, uploader, maxInputBytes } = this.#options;
    if (request.declaredBytes !== undefined && request.declaredBytes > maxInputBytes) {
      throw new DeclaredSizeTooLargeError(request.declaredBytes, maxInputBytes);
    }

    let mark = performance.now();
    const lap = (): number => {
      const now = performance.now();
      const elapsed = now - mark;
      mark = now;
      return elapsed;
    };

    // The download goes to a file of its own (a file to convert may be far bigger than what is sent),
    // removed on every path, failures included.
    const dir = await mkdtemp(join(tmpdir(), 'voice-upload-'));
    let converted: Uint8Array | undefined;
    try {
      onStage?.({ stage: 'downloading', receivedBytes: 0, totalBytes: request.declaredBytes });
      const downloaded = await downloadToFile(request.url, join(dir, 'input'), {
        allowedHosts,
        maxBytes: maxInputBytes,
        timeoutMs: downloadTimeoutMs,
        signal,
        onProgress: (receivedBytes) =>
          onStage?.({ stage: 'downloading', receivedBytes, totalBytes: request.declaredBytes }),
      });
      const downloadMs = lap();

      onStage?.({ stage: 'checking', bytes: downloaded.size });
      const prepared = await prepareAudio(downloaded, request.purpose, this.#options, {
        signal,
        onConverting: (from) => onStage?.({ stage: 'converting', bytes: downloaded.size, from }),
      });
      const { content } = prepared;
      if (content instanceof Uint8Array) converted = content;
      const bytes = audioSize(content);
      const { audio } = prepared;
      checkDuration(audio, request.purpose, this.#options.limits);
      await beforeUpload?.(audio, downloaded.sha256);
      const inspectMs = lap();

      onStage?.({ stage: 'uploading', bytes, audio });
      const file = await uploader.uploadFile({ audio: content, purpose: request.purpose, signal });
      const uploadMs = lap();
      return {
        file,
        audio,
        conversion: prepared.conversion,
        bytes,
        sha256: downloaded.sha256,
        timings: { downloadMs, inspectMs, uploadMs },
      };
    } finally {
      if (converted) releaseDownload(converted);
      await rm(dir, { recursive: true, force: true });
    }
  }
}
