import type { UploadHistory } from '../history/upload-history.ts';
import type { Logger } from '../logger.ts';
import type { Purpose } from '../domain/purposes.ts';
import type { UploadOutcome } from '../pipeline/upload-pipeline.ts';
import type { CommandContext } from './commands/command.ts';
import { AlreadyUploadedError, ShuttingDownError } from './errors.ts';
import type { ProgressState } from './replies.ts';

export interface UploadJob {
  readonly guildId: string;
  /** Where the sample was posted, for the history. */
  readonly channelId: string;
  readonly userId: string;
  readonly userName: string;
  readonly attachment: { readonly url: string; readonly name: string; readonly size: number };
  readonly purpose: Purpose;
  /** Upload even when the same content was uploaded for this purpose before. */
  readonly force: boolean;
  /** Link to the message that holds the sample, when the whole channel can open one. */
  readonly messageUrl: string | undefined;
  readonly onProgress: (state: ProgressState) => void;
}

/**
 * One upload as every entry point runs it (/upload, the message menu): quota, queue, pipeline,
 * dedup against the history just before the key would be spent, the history record (written before
 * the caller shows the file_id, so a repeat finds it at once), metrics, and the outcome's log line
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
    recordUpload(history, outcome, job, context.logger);
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

/**
 * Writes a successful upload to the history. A failure here must not hide the file_id the user
 * already has: it is logged with everything needed to add the row by hand.
 */
function recordUpload(history: UploadHistory, outcome: UploadOutcome, job: UploadJob, logger: Logger): void {
  const record = {
    fileId: outcome.file.fileId,
    purpose: job.purpose,
    fileName: job.attachment.name,
    bytes: outcome.bytes,
    format: outcome.audio.format,
    durationSeconds: outcome.audio.durationSeconds,
    sha256: outcome.sha256,
    uploaderId: job.userId,
    uploaderName: job.userName,
    guildId: job.guildId,
    channelId: job.channelId,
    messageUrl: job.messageUrl,
    createdAt: outcome.file.createdAt ?? Math.floor(Date.now() / 1000),
    totalTokens: outcome.file.usage?.totalTokens,
    inputTokens: outcome.file.usage?.inputTokens,
    outputTokens: outcome.file.usage?.outputTokens,
  };
  try {
    history.record(record);
  } catch (error) {
    logger.error({ err: error, record }, 'upload succeeded but could not be written to the history');
  }
}
