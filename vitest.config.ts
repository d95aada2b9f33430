import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Many tests spawn processes, kill them, or change uid: separate processes keep them apart.
    pool: 'forks',
    // Most tests wait on child processes, terminals and the sandbox rather than compute: two workers
    // on two cores halve the run (measured 304 → 162 s); vitest's default would be one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/global-setup.ts'],
    // Guards against a hung test, not budgets: CI is a loaded 2-core machine, where the heavier
    // tests (hundreds of saves with fsync, dozens of program runs) take minutes (issue 11, item 14).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // The JSON report is what .ci/run counts; the default reporter is what people read.
    // scripts/test-node-versions.sh runs the end-to-end tests again on other Node versions, each into its own report.
    reporters: ['default', ['json', { outputFile: process.env.BACKUP_PANEL_TEST_REPORT ?? 'reports/vitest.json' }]],
  },
});
