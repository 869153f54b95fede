import type { Purpose } from '../domain/purposes.ts';
import { DmxapiError } from '../dmxapi/errors.ts';
import type { InFlightClaim } from '../history/in-flight-uploads.ts';
import type { UploadHistory, UploadRecord } from '../history/upload-history.ts';
import type { UploadOutcome } from '../pipeline/upload-pipeline.ts';
import type { CommandContext } from './commands/command.ts';
import {
  AlreadyUploadedError,
  ShuttingDownError,
  UploadedPrivatelyBeforeError,
  UploadQueueFullError,
  UploadStartedTooLateError,
} from './errors.ts';
import { tokenAlive } from './answer-window.ts';
import type { Catalogue } from '../i18n/index.ts';
import { withThrottledEdits } from './progress.ts';
import { NO_MENTIONS, progressEmbed, type ProgressState } from './replies.ts';

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
  /** The result is shown to the uploader only; dedup never reveals it to anyone else. */
  readonly private: boolean;
  /** Link to the message that holds the sample, when the whole channel can open one. */
  readonly messageUrl: string | undefined;
  /** When the interaction's token stops working (epoch ms): the upload starts only if it can answer before. */
  readonly answerBy: number;
  readonly onProgress: (state: ProgressState) => void;
}

/** Where an entry point shows an upload's progress: the reply that will hold its result. */
export interface ProgressDisplay {
  readonly t: Catalogue;
  readonly edit: (message: ReturnType<typeof progressMessage>) => Promise<unknown>;
}

function progressMessage(t: Catalogue, job: Pick<UploadJob, 'attachment' | 'purpose'>, state: ProgressState) {
  return {
    embeds: [progressEmbed(t, job.attachment.name, job.purpose, state)],
    allowedMentions: NO_MENTIONS,
  };
}

/**
 * `runUploadJob`, showing its progress (queue position, download, check, upload) as every entry
 * point does: throttled to Discord's edit rate, and finished before the caller sends the result,
 * so a late progress edit can never overwrite it.
 */
export async function runUploadWithProgress(
  context: CommandContext,
  job: Omit<UploadJob, 'onProgress'>,
  display: ProgressDisplay,
): Promise<UploadOutcome> {
  return withThrottledEdits(
    // Past the token's end an edit can only fail; the result is posted another way then.
    async (state: ProgressState) => {
      if (tokenAlive(job.answerBy)) await display.edit(progressMessage(display.t, job, state));
    },
    context.logger,
    (update) => runUploadJob(context, { ...job, onProgress: update }),
  );
}

/**
 * One upload as every entry point runs it (/upload, the message menu): quota, queue, pipeline,
 * dedup against the history and the uploads in flight just before the key would be spent, the
 * history record (written before the caller shows the file_id, so a repeat finds it at once),
 * metrics, and the outcome's log line (a failure's is written where it becomes a reply).
 */
export async function runUploadJob(context: CommandContext, job: UploadJob): Promise<UploadOutcome> {
  const { pipeline, slots, lifecycle, metrics, history, quota } = context;
  if (!lifecycle.acceptingUploads) throw new ShuttingDownError();
  if (!slots.hasRoom) throw new UploadQueueFullError(slots.waiting);
  const sentAt = job.answerBy - context.answerWindow.tokenLifetimeMs;
  const startBy = job.answerBy - context.answerWindow.uploadBudgetMs;
  if (Date.now() >= startBy) throw new UploadStartedTooLateError(Date.now() - sentAt);
  const reservation = quota.reserve(job.userId);
  const acceptedAt = context.inFlight.now();
  const state: { sent: boolean; claim: InFlightClaim | undefined } = { sent: false, claim: undefined };
  // A job still waiting for a slot when it could no longer answer in time leaves the queue then.
  const tooLate = new AbortController();
  const lateTimer = setTimeout(
    () => tooLate.abort(new UploadStartedTooLateError(Date.now() - sentAt)),
    startBy - Date.now(),
  );
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
            onStage: (stage) => {
              // From here on the key may have been spent.
              if (stage.stage === 'uploading') state.sent = true;
              job.onProgress(stage);
            },
            signal: lifecycle.cutOffSignal,
            beforeUpload: async (_audio, sha256) => {
              state.claim = await claimContent(context, job, sha256, acceptedAt);
            },
          },
        ),
      {
        onPositionChange: (position) => job.onProgress({ stage: 'queued', position }),
        signal: AbortSignal.any([tooLate.signal, lifecycle.stoppingSignal]),
      },
    );
    const record = toRecord(outcome, job);
    if (await recordUpload(history, record, context)) reservation.recorded();
    else reservation.keep();
    state.claim?.settle(record);
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
    state.claim?.settle(undefined);
    if (state.sent && mayHaveBeenStored(error)) reservation.keep();
    else reservation.release();
    if (!(error instanceof AlreadyUploadedError || error instanceof UploadedPrivatelyBeforeError))
      metrics.uploadFailed(job.purpose, error);
    throw error;
  } finally {
    clearTimeout(lateTimer);
  }
}

/**
 * Makes this job the one that uploads its content (for its guild and purpose), or throws the earlier
 * upload as a duplicate. The history is checked (unless forced), then the uploads in flight and
 * those finished since the job was accepted (even when forced: a double click pays once). A job that
 * finds the same content in flight waits for that upload, and only uploads itself if that one fails.
 * Returns undefined for a forced copy of another member's private upload, which must neither wait
 * for nor reveal that one.
 */
async function claimContent(
  { history, inFlight, lifecycle }: CommandContext,
  job: UploadJob,
  sha256: string,
  acceptedAt: number,
): Promise<InFlightClaim | undefined> {
  const { guildId, purpose, userId } = job;
  for (;;) {
    const earlier =
      (job.force ? undefined : history.findDuplicate(guildId, sha256, purpose, userId)) ??
      inFlight.finishedSince(guildId, purpose, sha256, job.force ? acceptedAt : -Infinity);
    if (earlier && !(job.force && isOthersPrivate(earlier, job))) throw duplicateOf(earlier, job);
    const running = inFlight.get(guildId, purpose, sha256);
    if (running === undefined) {
      return inFlight.claim(guildId, purpose, sha256, { uploaderId: userId, private: job.private });
    }
    if (job.force && isOthersPrivate(running, job)) return undefined;
    job.onProgress({ stage: 'waiting_for_same_file' });
    const record = await untilAborted(running.outcome, lifecycle.cutOffSignal);
    if (record) throw duplicateOf(record, job);
  }
}

function isOthersPrivate(upload: { uploaderId: string; private: boolean }, job: UploadJob): boolean {
  return upload.private && upload.uploaderId !== job.userId;
}

function duplicateOf(earlier: UploadRecord, job: UploadJob): Error {
  return isOthersPrivate(earlier, job)
    ? new UploadedPrivatelyBeforeError()
    : new AlreadyUploadedError(earlier);
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * Whether a failed upload may still have stored the file (and spent the key): true unless DMXAPI's
 * answer proves it did not (see DmxapiError.mayHaveBeenProcessed).
 */
function mayHaveBeenStored(error: unknown): boolean {
  return !(error instanceof DmxapiError) || error.mayHaveBeenProcessed;
}

function toRecord(outcome: UploadOutcome, job: UploadJob): UploadRecord {
  return {
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
    // The bot's own clock: the history orders and counts quotas by it. DMXAPI's created_at is only shown.
    createdAt: Math.floor(Date.now() / 1000),
    totalTokens: outcome.file.usage?.totalTokens,
    inputTokens: outcome.file.usage?.inputTokens,
    outputTokens: outcome.file.usage?.outputTokens,
    private: job.private,
  };
}

/**
 * Writes a successful upload to the history. A failure here must not hide the file_id the user
 * already has: it is logged with everything needed to add the row by hand.
 */
async function recordUpload(
  history: UploadHistory,
  record: UploadRecord,
  { logger, metrics }: CommandContext,
): Promise<boolean> {
  try {
    await history.recordWhenUnlocked(record);
    return true;
  } catch (error) {
    logger.error({ err: error, record }, 'upload succeeded but could not be written to the history');
    metrics.historyWriteFailed();
    return false;
  }
}
