import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Most end-to-end tests wait on sockets and timers, not the CPU: one test file per core (vitest's
    // default leaves one core idle) runs the suite in about two thirds of the time on two cores.
    maxWorkers: availableParallelism(),
    // Servers under test bind 127.0.0.1 only; nothing here may reach another host.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
