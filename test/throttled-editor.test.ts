import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ThrottledEditor } from '../src/discord/progress.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ThrottledEditor', () => {
  it('sends the first state at once, then at most one edit per interval with the newest state', async () => {
    const sent: string[] = [];
    const editor = new ThrottledEditor<string>(
      (value) => {
        sent.push(value);
        return Promise.resolve();
      },
      1000,
      () => undefined,
    );
    editor.update('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(['a']);

    for (const value of ['b', 'c', 'd']) {
      editor.update(value);
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(sent).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(400);
    expect(sent).toEqual(['a', 'd']);
    await editor.close();
  });

  it('never has two edits in flight, and close() waits for the one in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const finishers: (() => void)[] = [];
    const editor = new ThrottledEditor<number>(
      () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return new Promise<void>((resolve) =>
          finishers.push(() => {
            inFlight--;
            resolve();
          }),
        );
      },
      10,
      () => undefined,
    );
    editor.update(1);
    await vi.advanceTimersByTimeAsync(0);
    editor.update(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(maxInFlight).toBe(1);

    let closed = false;
    const closing = editor.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(closed).toBe(false);
    finishers.shift()?.();
    await closing;
    expect(closed).toBe(true);
    expect(finishers).toHaveLength(0);
    editor.update(3);
    await vi.advanceTimersByTimeAsync(100);
    expect(finishers).toHaveLength(0);
  });

  it('reports a failed edit and carries on', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const editor = new ThrottledEditor<number>(
      () => (++calls === 1 ? Promise.reject(new Error('429')) : Promise.resolve()),
      10,
      (error) => errors.push(error),
    );
    editor.update(1);
    await vi.advanceTimersByTimeAsync(0);
    editor.update(2);
    await vi.advanceTimersByTimeAsync(20);
    expect(errors).toHaveLength(1);
    expect(calls).toBe(2);
    await editor.close();
  });
});
