/**
 * Entry point of an audio worker thread (started by AudioWorkerPool; never imported by the main
 * thread). Runs one job at a time and answers with its result or its error, always handing the
 * input bytes back so the main thread can upload them without a copy.
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
import { inspectAudio } from './inspect.ts';

type Handler<K extends AudioJobKind> = (job: AudioJob<K>) => Promise<AudioJobs[K]['result']>;

// Exhaustive: a kind added to AudioJobs without a handler here fails type checking.
const handlers: { readonly [K in AudioJobKind]: Handler<K> } = {
  inspect: (job) => inspectAudio(job.bytes),
  // Loaded on the first conversion: a worker that only inspects never loads a decoder.
  convert: async (job) => {
    const { convertInProcess } = await import('../audio/convert/convert-in-process.ts');
    return convertInProcess(job.path, job.source, job.limits);
  },
};

if (!parentPort) throw new Error('audio-worker.ts runs only as a worker thread');
const port = parentPort;

port.on('message', (message: JobMessage) => {
  port.postMessage({ id: message.id, started: true } satisfies StartedMessage);
  void run(message).then((reply) =>
    port.postMessage(reply, [reply.buffer, ...(reply.ok ? transferablesOf(reply.value, reply.buffer) : [])]),
  );
});

async function run(message: JobMessage): Promise<ReplyMessage> {
  const { id, kind, params, buffer, byteOffset, byteLength } = message;
  const back = { id, buffer, byteOffset, byteLength };
  try {
    const bytes = new Uint8Array(buffer, byteOffset, byteLength);
    // The message pairs `kind` with its own params (audio-pool.ts built it from an AudioJob<K>).
    const handler = handlers[kind] as Handler<AudioJobKind>;
    const value = await handler({ ...params, kind, bytes });
    return { ...back, ok: true, value };
  } catch (error) {
    return { ...back, ok: false, error: serializeError(error) };
  }
}

/**
 * Byte arrays a result carries at its top level (a converted file, say) travel back without a copy.
 * A handler must not detach its input bytes: they go back to the main thread with every answer.
 */
function transferablesOf(value: unknown, input: ArrayBuffer): ArrayBuffer[] {
  if (typeof value !== 'object' || value === null) return [];
  const buffers = new Set<ArrayBuffer>();
  for (const field of Object.values(value)) {
    if (
      ArrayBuffer.isView(field) &&
      field.buffer instanceof ArrayBuffer &&
      field.buffer !== input &&
      !isMarkedAsUntransferable(field.buffer)
    ) {
      buffers.add(field.buffer);
    }
  }
  return [...buffers];
}
