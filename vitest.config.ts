import { defineConfig } from 'vitest/config';

// The sanitizer build runs at -O1 with ASan checks on every access: the
// training tests take several times longer there.
const timeout = process.env.PRUNAS_SANITIZED_RUN === '1' ? 1_200_000 : 180_000;

export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: timeout,
    hookTimeout: timeout,
  },
});
