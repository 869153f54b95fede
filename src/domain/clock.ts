/** Time as the rate limiter and the reminder scheduler see it; tests pass a clock they move by hand. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` after `ms`; the returned function cancels it. */
  setTimer(ms: number, callback: () => void): () => void;
}

export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimer(ms: number, callback: () => void) {
    const timer = setTimeout(callback, ms);
    // A pending wait must not keep a stopping process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
});
