import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // @typescript-eslint/rule-tester hooks into the test framework's globals (describe/it/afterAll).
    globals: true,
    include: ['packages/*/tests/**/*.test.ts', 'bench/tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
