import { systemClock, type Clock } from '../domain/clock.ts';
import type { VoiceRecord, VoiceStore } from '../history/voice-store.ts';

export interface ReminderSchedulerOptions {
  readonly store: VoiceStore;
  /** Posts one reminder (the Discord layer: the cloning channel, or a DM for a private voice). */
  readonly send: (voice: VoiceRecord) => Promise<void>;
  /**
   * Told about a reminder that could not be posted (tried again on a later pass), or, without a
   * voice, about a pass that failed as a whole (the database, say).
   */
  readonly onError?: ((error: unknown, voice: VoiceRecord | undefined) => void) | undefined;
  readonly clock?: Clock | undefined;
  /** How often to look for voices to remind about (default 10 minutes). */
  readonly intervalMs?: number | undefined;
  /** How long before the deadline to remind (default a day). */
  readonly leadSeconds?: number | undefined;
}

export interface ReminderPass {
  readonly sent: readonly string[];
  readonly failed: readonly string[];
}

/**
 * Reminds a team, once, a day before MiniMax deletes an unused voice. The "sent" mark is claimed in
 * the database before posting, so neither a second pass nor a restart repeats it; a post that fails
 * gives its claim back and is tried on the next pass, until the deadline.
 */
export class ReminderScheduler {
  readonly #options: ReminderSchedulerOptions;
  readonly #clock: Clock;
  #cancelTimer: (() => void) | undefined;
  #running: Promise<ReminderPass> | undefined;
  #stopped = true;

  constructor(options: ReminderSchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** One pass: finds the voices due, claims each, and hands it to `send`. */
  async runOnce(): Promise<ReminderPass> {
    this.#running ??= this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Runs a pass now, then every interval until `stop`. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.#tick();
  }

  /** No further passes; waits for one in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    await this.#running;
  }

  async #tick(): Promise<void> {
    try {
      await this.runOnce();
    } catch (error) {
      this.#options.onError?.(error, undefined);
    }
    if (this.#stopped) return;
    this.#cancelTimer = this.#clock.setTimer(
      this.#options.intervalMs ?? 10 * 60 * 1000,
      () => void this.#tick(),
    );
  }

  async #pass(): Promise<ReminderPass> {
    const { store, send, onError } = this.#options;
    const now = Math.floor(this.#clock.now() / 1000);
    const sent: string[] = [];
    const failed: string[] = [];
    for (const voice of store.dueForReminder(now, this.#options.leadSeconds ?? 24 * 60 * 60)) {
      if (!store.claimReminder(voice.voiceId, now)) continue;
      try {
        await send(voice);
        sent.push(voice.voiceId);
      } catch (error) {
        store.releaseReminder(voice.voiceId);
        failed.push(voice.voiceId);
        onError?.(error, voice);
      }
    }
    return { sent, failed };
  }
}
