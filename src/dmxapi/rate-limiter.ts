import { systemClock, type Clock } from '../domain/clock.ts';

const WINDOW_MS = 60_000;

export interface AcquireOptions {
  /**
   * Called with the caller's place in line (1 = next) whenever it changes while it waits; never
   * called when a request starts at once.
   */
  readonly onQueued?: ((position: number) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly onQueued: ((position: number) => void) | undefined;
  lastPosition: number;
  detach: () => void;
}

/**
 * Requests per rolling minute for one operation on one key. Requests over the rate wait in line,
 * first come first served, instead of failing with MiniMax's rate-limit error. A rate-limit answer
 * that still comes back (another bot on the key, a lower account limit) halves the rate; it grows
 * back by one request per quiet minute.
 */
export class RateLimiter {
  readonly perMinute: number;
  readonly #clock: Clock;
  /** Start times (ms) within the last window, oldest first. */
  readonly #starts: number[] = [];
  readonly #queue: Waiter[] = [];
  #reducedTo: number;
  #slowedAt = 0;
  #pausedUntil = 0;
  #cancelTimer: (() => void) | undefined;

  constructor(perMinute: number, clock: Clock = systemClock) {
    if (!Number.isInteger(perMinute) || perMinute < 1) throw new RangeError('perMinute must be 1 or more');
    this.perMinute = perMinute;
    this.#reducedTo = perMinute;
    this.#clock = clock;
  }

  /** Requests currently waiting for their turn. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** The rate allowed now: `perMinute`, or less after a rate-limit answer. */
  get currentRate(): number {
    const recovered = Math.floor((this.#clock.now() - this.#slowedAt) / WINDOW_MS);
    return Math.min(this.perMinute, this.#reducedTo + recovered);
  }

  /** Resolves when the caller may send one request; rejects with the signal's reason if it aborts first. */
  async acquire({ onQueued, signal }: AcquireOptions = {}): Promise<void> {
    signal?.throwIfAborted();
    if (this.#queue.length === 0 && this.#delayUntilFree() === 0) {
      this.#starts.push(this.#clock.now());
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, onQueued, lastPosition: 0, detach: () => undefined };
      if (signal) {
        const onAbort = () => {
          const index = this.#queue.indexOf(waiter);
          if (index >= 0) this.#queue.splice(index, 1);
          // The signal's own reason, whatever it is, as AbortSignal.throwIfAborted() does.
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          reject(signal.reason);
          this.#pump();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  /** MiniMax or the gateway said "too many requests": halve the rate and hold the line a while. */
  slowDown(retryAfterMs?: number): void {
    const now = this.#clock.now();
    this.#reducedTo = Math.max(1, Math.floor(this.currentRate / 2));
    this.#slowedAt = now;
    this.#pausedUntil = Math.max(this.#pausedUntil, now + (retryAfterMs ?? WINDOW_MS / this.#reducedTo));
    this.#pump();
  }

  /** Milliseconds until one more request may start (0: now). */
  #delayUntilFree(): number {
    const now = this.#clock.now();
    while (this.#starts.length > 0 && (this.#starts[0] ?? 0) <= now - WINDOW_MS) this.#starts.shift();
    const paused = Math.max(0, this.#pausedUntil - now);
    const rate = this.currentRate;
    if (this.#starts.length < rate) return paused;
    // The oldest start that must leave the window before there is room again.
    const freeAt = (this.#starts[this.#starts.length - rate] ?? now) + WINDOW_MS;
    return Math.max(paused, freeAt - now);
  }

  #pump(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    while (this.#queue.length > 0) {
      const delay = this.#delayUntilFree();
      if (delay > 0) {
        this.#cancelTimer = this.#clock.setTimer(delay, () => {
          this.#cancelTimer = undefined;
          this.#pump();
        });
        break;
      }
      const waiter = this.#queue.shift();
      if (!waiter) break;
      waiter.detach();
      this.#starts.push(this.#clock.now());
      waiter.resolve();
    }
    this.#announcePositions();
  }

  #announcePositions(): void {
    this.#queue.forEach((waiter, index) => {
      if (waiter.lastPosition === index + 1) return;
      waiter.lastPosition = index + 1;
      waiter.onQueued?.(index + 1);
    });
  }
}
