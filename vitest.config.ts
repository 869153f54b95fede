import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Servers under test bind 127.0.0.1 only; nothing here may reach another host.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
