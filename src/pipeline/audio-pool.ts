import { Worker, type ResourceLimits } from 'node:worker_threads';
import {
  AudioWorkerError,
  reviveError,
  type AudioJob,
  type AudioJobKind,
  type AudioJobResult,
  type JobMessage,
  type ReplyMessage,
  type StartedMessage,
} from './audio-jobs.ts';
import { AudioTooComplexError } from './errors.ts';

export interface AudioWorkerPoolOptions {
  /** Most workers alive at once; jobs beyond that wait in order. */
  readonly size: number;
  /** A worker with nothing to do for this long exits (default 30 s), so an idle bot pays nothing. */
  readonly idleMs?: number | undefined;
  /** V8 heap limits per worker. They do not bound ArrayBuffers or WASM memory: jobs bound those. */
  readonly resourceLimits?: ResourceLimits | undefined;
}

export interface RunOptions {
  /** The job's time limit, counted from when a worker takes it. Past it the worker is terminated. */
  readonly timeoutMs: number;
  /** Aborting stops the job (its worker is terminated if it has started) and rejects with the reason. */
  readonly signal?: AbortSignal | undefined;
}

export interface AudioWorkerPoolStats {
  readonly busy: number;
  readonly idle: number;
  readonly queued: number;
  /** Workers terminated because a job ran past its time limit, since the pool was made. */
  readonly terminatedForTimeout: number;
  /** Workers that died by exhausting their heap limit. */
  readonly terminatedForMemory: number;
  /** Workers that died any other way (a bug). */
  readonly crashed: number;
}

/**
 * V8's flags are the process's: a `--max-semi-space-size` on the command line (npm start sets 1 MB)
 * also sets a worker's semi-spaces, overriding the young generation here (a new space of 2 MB under
 * npm start, checked with v8.getHeapSpaceStatistics in a worker; conversion measured no slower).
 */
export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = Object.freeze({
  maxOldGenerationSizeMb: 256,
  maxYoungGenerationSizeMb: 32,
  stackSizeMb: 4,
});

const WORKER_URL = new URL('./audio-worker.ts', import.meta.url);
/** How long a worker may take to load and take its first job before it counts as broken. */
const WORKER_START_MS = 60_000;

/**
 * A worker inherits the process's flags, preloads (`--import`, `--require`) included, which are meant
 * for the main thread. It keeps only what it needs to load TypeScript and the warnings settings.
 */
const WORKER_EXEC_ARGV = process.execArgv.filter((flag) =>
  /^--(no-)?(experimental-(strip|transform)-types|warnings|disable-warning)/.test(flag),
);

interface PendingJob {
  readonly message: JobMessage;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (result: AudioJobResult) => void;
  readonly reject: (error: unknown) => void;
  readonly onAbort: () => void;
}

interface Slot {
  readonly worker: Worker;
  job: PendingJob | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Set once the pool itself ends this worker, so its exit is not taken for a crash. */
  retired: boolean;
}

/**
 * A small pool of worker threads for work on untrusted audio (inspection now, conversion later),
 * so a hostile file costs one worker, not the event loop everyone's interactions need.
 *
 *   const pool = new AudioWorkerPool({ size: 4 });
 *   const audio = await pool.run({ kind: 'inspect', path }, { timeoutMs: 5000 });
 *
 * Workers start on demand and exit after `idleMs` without work. A job past its time limit has its
 * worker terminated and rejects with AudioTooComplexError('timeout'); a worker that runs out of heap
 * rejects with AudioTooComplexError('memory'). Either way the next job gets a fresh worker.
 * Refusals thrown inside the worker (AudioRejectedError subclasses) arrive as the same class.
 */
export class AudioWorkerPool {
  readonly #size: number;
  readonly #idleMs: number;
  readonly #resourceLimits: ResourceLimits;
  readonly #slots = new Set<Slot>();
  readonly #queue: PendingJob[] = [];
  readonly #idleTimers = new Map<Slot, NodeJS.Timeout>();
  #nextId = 1;
  #closed = false;
  #terminatedForTimeout = 0;
  #terminatedForMemory = 0;
  #crashed = 0;

  constructor(options: AudioWorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError('pool size must be ≥ 1');
    this.#size = options.size;
    this.#idleMs = options.idleMs ?? 30_000;
    this.#resourceLimits = options.resourceLimits ?? DEFAULT_RESOURCE_LIMITS;
  }

  /** Runs one job in a worker and resolves with its result. */
  run<K extends AudioJobKind>(job: AudioJob<K>, options: RunOptions): Promise<AudioJobResult<K>> {
    if (this.#closed) return Promise.reject(new AudioWorkerError('audio worker pool is closed'));
    options.signal?.throwIfAborted();
    const { kind, ...params } = job;
    const message: JobMessage = { id: this.#nextId++, kind, params };
    return new Promise<AudioJobResult<K>>((resolve, reject) => {
      const pending: PendingJob = {
        message,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        resolve,
        reject,
        onAbort: () => this.#abort(pending),
      };
      options.signal?.addEventListener('abort', pending.onAbort, { once: true });
      this.#queue.push(pending);
      this.#dispatch();
    });
  }

  get stats(): AudioWorkerPoolStats {
    let busy = 0;
    for (const slot of this.#slots) if (slot.job) busy++;
    return {
      busy,
      idle: this.#slots.size - busy,
      queued: this.#queue.length,
      terminatedForTimeout: this.#terminatedForTimeout,
      terminatedForMemory: this.#terminatedForMemory,
      crashed: this.#crashed,
    };
  }

  /** Rejects queued jobs, ends every worker (running jobs reject) and waits until they have exited. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) {
      this.#settle(pending);
      pending.reject(new AudioWorkerError('audio worker pool is closed'));
    }
    await Promise.all(
      [...this.#slots].map((slot) => this.#retire(slot, new AudioWorkerError('audio worker pool is closed'))),
    );
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const slot = this.#freeSlot();
      if (!slot) return;
      const pending = this.#queue.shift() as PendingJob;
      this.#start(slot, pending);
    }
  }

  #freeSlot(): Slot | undefined {
    for (const slot of this.#slots) {
      if (!slot.job && !slot.retired) {
        clearTimeout(this.#idleTimers.get(slot));
        this.#idleTimers.delete(slot);
        return slot;
      }
    }
    return this.#slots.size < this.#size ? this.#spawn() : undefined;
  }

  #start(slot: Slot, pending: PendingJob): void {
    slot.job = pending;
    slot.worker.ref();
    // A new worker loads its modules before it reads the job; on a busy machine that alone can take
    // seconds, which must not count against the file. The time limit starts when the worker says it
    // has the job (see #onMessage); until then only a generous start-up limit applies.
    slot.timer = setTimeout(() => {
      this.#crashed++;
      void this.#retire(
        slot,
        new AudioWorkerError(`audio worker did not start within ${WORKER_START_MS} ms`),
      );
    }, WORKER_START_MS);
    slot.worker.postMessage(pending.message);
  }

  #onMessage(slot: Slot, message: ReplyMessage | StartedMessage): void {
    if ('started' in message) {
      const pending = slot.job;
      if (!pending || pending.message.id !== message.id || slot.retired) return;
      clearTimeout(slot.timer);
      slot.timer = setTimeout(() => {
        this.#terminatedForTimeout++;
        void this.#retire(slot, new AudioTooComplexError('timeout', { timeoutMs: pending.timeoutMs }));
      }, pending.timeoutMs);
      return;
    }
    this.#finish(slot, message);
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_URL, {
      resourceLimits: this.#resourceLimits,
      execArgv: WORKER_EXEC_ARGV,
    });
    const slot: Slot = { worker, job: undefined, timer: undefined, retired: false };
    this.#slots.add(slot);
    worker.on('message', (message: ReplyMessage | StartedMessage) => this.#onMessage(slot, message));
    worker.on('error', (error: Error & { code?: string }) => {
      if (slot.retired) return;
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      if (outOfMemory) this.#terminatedForMemory++;
      else this.#crashed++;
      void this.#retire(
        slot,
        outOfMemory
          ? new AudioTooComplexError('memory')
          : new AudioWorkerError(`audio worker crashed: ${error.message}`, { cause: error }),
      );
    });
    worker.on('exit', (code) => {
      if (!slot.retired) {
        this.#crashed++;
        void this.#retire(slot, new AudioWorkerError(`audio worker exited with code ${code}`));
      }
    });
    return slot;
  }

  #finish(slot: Slot, reply: ReplyMessage): void {
    const pending = slot.job;
    if (!pending || pending.message.id !== reply.id || slot.retired) return;
    clearTimeout(slot.timer);
    slot.job = undefined;
    this.#settle(pending);
    if (reply.ok) pending.resolve(reply.value as AudioJobResult);
    else pending.reject(reviveError(reply.error));
    this.#idle(slot);
    this.#dispatch();
  }

  #idle(slot: Slot): void {
    if (slot.job || slot.retired) return;
    // An idle worker must not keep the process alive, and exits on its own after a while.
    slot.worker.unref();
    const timer = setTimeout(() => void this.#retire(slot, undefined), this.#idleMs);
    timer.unref();
    this.#idleTimers.set(slot, timer);
  }

  /** Ends a worker; its running job, if any, rejects with `error`. A queued job gets a fresh worker. */
  async #retire(slot: Slot, error: Error | undefined): Promise<void> {
    if (slot.retired) return;
    slot.retired = true;
    clearTimeout(slot.timer);
    clearTimeout(this.#idleTimers.get(slot));
    this.#idleTimers.delete(slot);
    this.#slots.delete(slot);
    const pending = slot.job;
    slot.job = undefined;
    if (pending) {
      this.#settle(pending);
      pending.reject(error ?? new AudioWorkerError('audio worker ended'));
    }
    this.#dispatch();
    await slot.worker.terminate();
  }

  #abort(pending: PendingJob): void {
    const index = this.#queue.indexOf(pending);
    if (index >= 0) {
      this.#queue.splice(index, 1);
      this.#settle(pending);
      pending.reject(pending.signal?.reason);
      return;
    }
    for (const slot of this.#slots) {
      if (slot.job === pending) void this.#retire(slot, pending.signal?.reason as Error);
    }
  }

  #settle(pending: PendingJob): void {
    pending.signal?.removeEventListener('abort', pending.onAbort);
  }
}
