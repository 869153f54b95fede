/**
 * Entry point of an audio worker thread (started by AudioWorkerPool; never imported by the main
 * thread). Runs one job at a time and answers with its result or its error.
 */
import { isMarkedAsUntransferable, parentPort } from 'node:worker_threads';
import {
  serializeError,
  type AudioJob,
  type AudioJobKind,
  type AudioJobs,
  type JobMessage,
  type ReplyMessage,
  type StartedMessage,
} from './audio-jobs.ts';

type Handler<K extends AudioJobKind> = (job: AudioJob<K>) => Promise<AudioJobs[K]['result']>;

// Exhaustive: a kind added to AudioJobs without a loader here fails type checking. Each kind's code is
// loaded on its first job: a worker that only converts (voice messages, FLAC) never loads inspection
// (nor music-metadata, about 19 MB), as one that only inspects loads no decoder.
const loaders: { readonly [K in AudioJobKind]: () => Promise<Handler<K>> } = {
  inspect: async () => {
    const { inspectFile } = await import('./inspect-file.ts');
    return (job) => inspectFile(job.path);
  },
  convert: async () => {
    const { convertInProcess } = await import('../audio/convert/convert-in-process.ts');
    return (job) => convertInProcess(job.path, job.source, job.limits);
  },
};

if (!parentPort) throw new Error('audio-worker.ts runs only as a worker thread');
const port = parentPort;

port.on('message', (message: JobMessage) => {
  // Loading a kind's code is part of the worker's start, so it happens before the worker says it has
  // the job: the file's time limit counts from there.
  void (loaders[message.kind] as () => Promise<Handler<AudioJobKind>>)()
    .then(
      (handler) => {
        port.postMessage({ id: message.id, started: true } satisfies StartedMessage);
        return run(message, handler);
      },
      (error: unknown) => failed(message, error),
    )
    .then((reply) => port.postMessage(reply, reply.ok ? transferablesOf(reply.value) : []));
});

async function run(message: JobMessage, handler: Handler<AudioJobKind>): Promise<ReplyMessage> {
  const { id, kind, params } = message;
  try {
    // The message pairs `kind` with its own params (audio-pool.ts built it from an AudioJob<K>).
    const value = await handler({ ...params, kind } as AudioJob);
    return { id, ok: true, value };
  } catch (error) {
    return failed(message, error);
  }
}

function failed({ id }: JobMessage, error: unknown): ReplyMessage {
  return { id, ok: false, error: serializeError(error) };
}

/** Byte arrays a result carries at its top level (a converted file, say) travel back without a copy. */
function transferablesOf(value: unknown): ArrayBuffer[] {
  if (typeof value !== 'object' || value === null) return [];
  const buffers = new Set<ArrayBuffer>();
  for (const field of Object.values(value)) {
    if (
      ArrayBuffer.isView(field) &&
      field.buffer instanceof ArrayBuffer &&
      !isMarkedAsUntransferable(field.buffer)
    ) {
      buffers.add(field.buffer);
    }
  }
  return [...buffers];
}
