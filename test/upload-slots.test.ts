import { describe, expect, it } from 'vitest';
import { UploadSlots } from '../src/pipeline/upload-slots.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('UploadSlots', () => {
  it('runs at most `capacity` tasks at once, first come first served, telling each waiter its place', async () => {
    const slots = new UploadSlots(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const positions = new Map<number, number[]>();
    const runs = gates.map((gate, index) =>
      slots.run(
        async () => {
          started.push(index);
          await gate.promise;
          return index;
        },
        { onPositionChange: (position) => positions.set(index, [...(positions.get(index) ?? []), position]) },
      ),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(slots.running).toBe(2);
    expect(slots.waiting).toBe(3);
    expect([...positions]).toEqual([
      [2, [1]],
      [3, [2]],
      [4, [3]],
    ]);

    gates[1]?.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect(positions.get(3)).toEqual([2, 1]);
    expect(positions.get(4)).toEqual([3, 2]);

    gates.forEach((gate) => gate.resolve());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(slots.running).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const slots = new UploadSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(() => Promise.resolve('next'))).resolves.toBe('next');
    expect(slots.running).toBe(0);
  });

  it('has room while a task would start or find a place in the queue', async () => {
    const slots = new UploadSlots(1, 2);
    const gate = deferred();
    const runs = [slots.run(() => gate.promise)];
    expect(slots.hasRoom).toBe(true);
    runs.push(
      slots.run(() => Promise.resolve()),
      slots.run(() => Promise.resolve()),
    );
    expect(slots.waiting).toBe(2);
    expect(slots.hasRoom).toBe(false);
    gate.resolve();
    await Promise.all(runs);
    expect(slots.hasRoom).toBe(true);
  });

  it('takes a waiting task out of the queue when its signal aborts, and moves the others up', async () => {
    const slots = new UploadSlots(1);
    const gate = deferred();
    const first = slots.run(() => gate.promise);
    const gaveUp = new AbortController();
    const positions: number[] = [];
    const abandoned = slots.run(() => Promise.resolve('ran'), { signal: gaveUp.signal });
    const last = slots.run(() => Promise.resolve('last'), {
      onPositionChange: (position) => positions.push(position),
    });
    gaveUp.abort(new Error('too late to start'));
    await expect(abandoned).rejects.toThrow('too late to start');
    expect(slots.waiting).toBe(1);
    expect(positions).toEqual([2, 1]);
    gate.resolve();
    await first;
    await expect(last).resolves.toBe('last');
    expect(slots.running).toBe(0);
  });

  it('leaves a task that has started alone when its signal aborts', async () => {
    const slots = new UploadSlots(1);
    const gate = deferred();
    const signal = new AbortController();
    const run = slots.run(
      async () => {
        await gate.promise;
        return 'finished';
      },
      { signal: signal.signal },
    );
    signal.abort(new Error('late'));
    gate.resolve();
    await expect(run).resolves.toBe('finished');
  });
});
