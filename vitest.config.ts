import { defineConfig } from 'vitest/config';

// One command runs every tier; each tier is a project so it can be run alone
// (`npx vitest run --project api`).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'api', include: ['test/api/**/*.test.ts'], testTimeout: 20_000 } },
      { test: { name: 'worker', include: ['test/worker/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
});
