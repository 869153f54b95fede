export interface SlotRequest {
  /** Hears the task's place in the queue (1 = next to start), first as soon as it has to wait. */
  readonly onPositionChange?: ((position: number) => void) | undefined;
  /**
   * Aborting it while the task still waits takes it out of the queue, and `run` rejects with the
   * signal's reason. A task that has started is not affected.
   */
  readonly signal?: AbortSignal | undefined;
}

interface Waiter {
  readonly start: () => void;
  readonly onPositionChange: ((position: number) => void) | undefined;
}

/**
 * Caps uploads in flight, first come first served, and how many may wait. Each holds up to a file
 * in memory and a DMXAPI connection, so a busy channel must queue rather than exhaust memory or the
 * rate limit; and a queue too long to be worked through in time must refuse at once.
 */
export class UploadSlots {
  readonly #capacity: number;
  readonly #maxWaiting: number;
  readonly #waiting: Waiter[] = [];
  #running = 0;

  constructor(capacity: number, maxWaiting = Infinity) {
    this.#capacity = capacity;
    this.#maxWaiting = maxWaiting;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Whether a task run now would start or find a place in the queue. */
  get hasRoom(): boolean {
    return this.#running < this.#capacity || this.#waiting.length < this.#maxWaiting;
  }

  /** Runs `task` once a slot is free; the caller checks `hasRoom` first. */
  async run<T>(task: () => Promise<T>, { onPositionChange, signal }: SlotRequest = {}): Promise<T> {
    signal?.throwIfAborted();
    if (this.#running < this.#capacity && this.#waiting.length === 0) {
      this.#running++;
    } else {
      await this.#wait(onPositionChange, signal);
    }
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #wait(
    onPositionChange: ((position: number) => void) | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const abort = (): void => {
        const index = this.#waiting.indexOf(waiter);
        if (index < 0) return;
        this.#waiting.splice(index, 1);
        this.#tellPositions(index);
        reject(signal?.reason as Error);
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', abort);
          resolve();
        },
        onPositionChange,
      };
      this.#waiting.push(waiter);
      signal?.addEventListener('abort', abort, { once: true });
      onPositionChange?.(this.#waiting.length);
    });
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) {
      // The slot passes straight to the next upload; the count of running ones stays the same.
      next.start();
      this.#tellPositions(0);
      return;
    }
    this.#running--;
  }

  /** Tells the waiters from `from` on their new place, after one ahead of them left. */
  #tellPositions(from: number): void {
    this.#waiting.forEach((waiter, index) => {
      if (index >= from) waiter.onPositionChange?.(index + 1);
    });
  }
}
