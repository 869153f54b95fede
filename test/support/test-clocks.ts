import type { Clock } from '../../src/domain/clock.ts';

/** A clock that moves only when the test says so; timers fire as it passes their time. */
export class ManualClock implements Clock {
  #now: number;
  #timers: { at: number; callback: () => void }[] = [];

  constructor(start = Date.UTC(2026, 11, 1, 12)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, callback: () => void): () => void {
    const timer = { at: this.#now + ms, callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward, firing due timers in order, then lets promise callbacks run. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = due.at;
      due.callback();
      await flush();
    }
    this.#now = target;
    await flush();
  }
}

/** A clock whose waits pass at once: time jumps to each timer. Records every wait asked for. */
export class SkippingClock implements Clock {
  readonly waits: number[] = [];
  #now = Date.UTC(2026, 11, 1, 12);

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, callback: () => void): () => void {
    this.waits.push(ms);
    let cancelled = false;
    setImmediate(() => {
      if (cancelled) return;
      this.#now += ms;
      callback();
    });
    return () => {
      cancelled = true;
    };
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
