/**
 * Every HTTP request the bot made, in order, and the waiting built on them: tests wait for what the bot
 * actually sent instead of sleeping, and a wait that times out explains what did arrive.
 */
import type { RecordedRequest } from './types.ts';

interface Waiter {
  check(): void;
  abort(reason: string): void;
}

export class Recorder {
  readonly requests: RecordedRequest[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #describeGateway: () => string;
  #closed = false;

  constructor(describeGateway: () => string) {
    this.#describeGateway = describeGateway;
  }

  record(request: RecordedRequest): void {
    this.requests.push(request);
    this.notify();
  }

  /** Re-checks every pending wait; call after any change a test could be waiting for. */
  notify(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }

  /** Resolves with the first defined value of `probe`, checked now and after every change. */
  waitUntil<T>(probe: () => T | undefined, timeoutMs: number, explain: () => string): Promise<T> {
    const immediate = probe();
    if (immediate !== undefined) return Promise.resolve(immediate);
    if (this.#closed) return Promise.reject(new Error(`${explain()} (DiscordStandIn is closed)`));
    // Created here so the stack trace points at the test that waited, not at a timer.
    const failure = new Error('pending');
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const fail = (reason: string): void => {
        finish();
        failure.message = `${reason}\n${this.#describeState()}`;
        reject(failure);
      };
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value === undefined) return;
          finish();
          resolve(value);
        },
        abort: fail,
      };
      const timer = setTimeout(() => {
        fail(explain());
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Fails every pending wait. */
  close(): void {
    this.#closed = true;
    for (const waiter of [...this.#waiters]) waiter.abort('DiscordStandIn was closed');
  }

  #describeState(): string {
    const recent = this.requests.slice(-20).map((request) => `  ${describeRequest(request)}`);
    return [
      this.#describeGateway(),
      `last ${recent.length} of ${this.requests.length} request(s):`,
      ...recent,
    ].join('\n');
  }
}

function describeRequest(request: RecordedRequest): string {
  const query = request.query.size > 0 ? `?${request.query.toString()}` : '';
  const body = request.body === undefined ? '' : ` ${JSON.stringify(request.body).slice(0, 160)}`;
  const files = request.files.map((file) => ` [${file.name}: ${file.filename}, ${file.size} B]`).join('');
  return `${request.at.toFixed(0)}ms ${request.method} ${request.path}${query}${body}${files}`;
}
