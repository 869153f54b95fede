import type { UploadHistory } from '../history/upload-history.ts';
import type { Logger } from '../logger.ts';
import type { Purpose } from '../pipeline/limits.ts';
import type { UploadOutcome } from '../pipeline/upload-pipeline.ts';
import type { CommandContext } from './commands/command.ts';
import { AlreadyUploadedError, ShuttingDownError } from './errors.ts';
import type { ProgressState } from './replies.ts';

export interface UploadJob {
  readonly guildId: string;
  readonly userId: string;
  readonly attachment: { readonly url: string; readonly name: string; readonly size: number };
  readonly purpose: Purpose;
  /** Upload even when the same content was uploaded for this purpose before. */
  readonly force: boolean;
  readonly onProgress: (state: ProgressState) => void;
}

/**
 * One upload as every entry point runs it (/upload, the message menu): quota, queue, pipeline,
 * dedup against the history just before the key would be spent, metrics, and the outcome's log line
 * (a failure's is written where it becomes a reply).
 */
export async function runUploadJob(context: CommandContext, job: UploadJob): Promise<UploadOutcome> {
  const { pipeline, slots, lifecycle, metrics, history, quota } = context;
  if (!lifecycle.acceptingUploads) throw new ShuttingDownError();
  quota.claim(job.userId);
  try {
    const outcome = await slots.run(
      () =>
        pipeline.run(
          {
            url: job.attachment.url,
            fileName: job.attachment.name,
            declaredBytes: job.attachment.size,
            purpose: job.purpose,
          },
          {
            onStage: job.onProgress,
            signal: lifecycle.cutOffSignal,
            beforeUpload: (_audio, sha256) => {
              const earlier = job.force ? undefined : history.findDuplicate(job.guildId, sha256, job.purpose);
              if (earlier) throw new AlreadyUploadedError(earlier);
            },
          },
        ),
      (position) => job.onProgress({ stage: 'queued', position }),
    );
    metrics.uploadSucceeded(job.purpose, outcome.bytes, outcome.timings);
    context.logger.info(
      {
        outcome: 'uploaded',
        purpose: job.purpose,
        bytes: outcome.bytes,
        format: outcome.audio.format,
        durationSeconds: outcome.audio.durationSeconds,
        fileId: outcome.file.fileId,
        attempts: outcome.file.attempts,
        requestId: outcome.file.requestId,
        timings: outcome.timings,
      },
      'upload succeeded',
    );
    return outcome;
  } catch (error) {
    if (!(error instanceof AlreadyUploadedError)) metrics.uploadFailed(job.purpose, error);
    throw error;
  }
}

export interface RecordContext {
  readonly guildId: string;
  readonly channelId: string;
  readonly uploaderId: string;
  readonly uploaderName: string;
  readonly fileName: string;
  readonly purpose: Purpose;
  readonly messageUrl: string | undefined;
}

/**
 * Writes a successful upload to the history. A failure here must not hide the file_id the user
 * already has: it is logged with everything needed to add the row by hand.
 */
export function recordUpload(
  history: UploadHistory,
  outcome: UploadOutcome,
  at: RecordContext,
  logger: Logger,
): boolean {
  const record = {
    fileId: outcome.file.fileId,
    purpose: at.purpose,
    fileName: at.fileName,
    bytes: outcome.bytes,
    format: outcome.audio.format,
    durationSeconds: outcome.audio.durationSeconds,
    sha256: outcome.sha256,
    uploaderId: at.uploaderId,
    uploaderName: at.uploaderName,
    guildId: at.guildId,
    channelId: at.channelId,
    messageUrl: at.messageUrl,
    createdAt: outcome.file.createdAt ?? Math.floor(Date.now() / 1000),
    totalTokens: outcome.file.usage?.totalTokens,
    inputTokens: outcome.file.usage?.inputTokens,
    outputTokens: outcome.file.usage?.outputTokens,
  };
  try {
    history.record(record);
    return true;
  } catch (error) {
    logger.error({ err: error, record }, 'upload succeeded but could not be written to the history');
    return false;
  }
}
