interface Waiter {
  readonly start: () => void;
  readonly onPositionChange: ((position: number) => void) | undefined;
}

/**
 * Caps uploads in flight, first come first served. Each holds up to a file in memory and a
 * DMXAPI connection, so a busy channel must queue rather than exhaust memory or the rate limit.
 */
export class UploadSlots {
  readonly #capacity: number;
  readonly #waiting: Waiter[] = [];
  #running = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `task` once a slot is free. While it waits, `onPositionChange` hears its place in the
   * queue (1 = next to start), first as soon as it has to wait.
   */
  async run<T>(task: () => Promise<T>, onPositionChange?: (position: number) => void): Promise<T> {
    if (this.#running < this.#capacity && this.#waiting.length === 0) {
      this.#running++;
    } else {
      await new Promise<void>((start) => {
        this.#waiting.push({ start, onPositionChange });
        onPositionChange?.(this.#waiting.length);
      });
    }
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) {
      // The slot passes straight to the next upload; the count of running ones stays the same.
      next.start();
      this.#waiting.forEach((waiter, index) => waiter.onPositionChange?.(index + 1));
      return;
    }
    this.#running--;
  }
}
