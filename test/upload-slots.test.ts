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
        (position) => positions.set(index, [...(positions.get(index) ?? []), position]),
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
});
