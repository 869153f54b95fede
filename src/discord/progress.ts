import type { Logger } from '../logger.ts';

/** Discord allows about five edits per five seconds on a message; one a second leaves room for the answer. */
const PROGRESS_INTERVAL_MS = 1000;

/**
 * Shows the latest state of a long task without flooding Discord: at most one edit per interval,
 * never two at once, the newest state winning. `close()` waits for an edit in flight so that the
 * final reply, sent after it, can never be overwritten by a late progress edit.
 */
export class ThrottledEditor<T> {
  readonly #edit: (value: T) => Promise<unknown>;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  #pending: { value: T } | undefined;
  #inFlight: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastEditAt = -Infinity;
  #closed = false;

  constructor(edit: (value: T) => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void) {
    this.#edit = edit;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  update(value: T): void {
    if (this.#closed) return;
    this.#pending = { value };
    this.#schedule();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#pending = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#inFlight !== undefined || this.#pending === undefined) return;
    const wait = Math.max(0, this.#lastEditAt + this.#intervalMs - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, wait);
  }

  #flush(): void {
    const pending = this.#pending;
    if (this.#closed || pending === undefined) return;
    this.#pending = undefined;
    this.#lastEditAt = performance.now();
    this.#inFlight = this.#edit(pending.value)
      .then(
        () => undefined,
        (error: unknown) => this.#onError(error),
      )
      .finally(() => {
        this.#inFlight = undefined;
        this.#schedule();
      });
  }
}

/**
 * Runs `work`, handing it an `update` that shows the latest state through `edit` (a failed edit is
 * logged, not thrown); every edit has ended when this returns, so the caller's result comes last.
 */
export async function withThrottledEdits<State, Outcome>(
  edit: (state: State) => Promise<unknown>,
  logger: Logger,
  work: (update: (state: State) => void) => Promise<Outcome>,
): Promise<Outcome> {
  const progress = new ThrottledEditor<State>(edit, PROGRESS_INTERVAL_MS, (error) =>
    logger.warn({ err: error }, 'progress edit failed'),
  );
  try {
    return await work((state) => progress.update(state));
  } finally {
    await progress.close();
  }
}
