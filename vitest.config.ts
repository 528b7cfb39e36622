import { defineConfig } from 'vitest/config';
import { silenceSdkNodeVersionWarning } from './infra/local/sdk-node-warning.js';

// Node 20 is run here on purpose: the AWS SDK's one warning about it would fill the output (the
// workers inherit this). Every other warning still prints.
silenceSdkNodeVersionWarning();

// Quiet test runs: no EMF metric lines and only warnings and errors from the Powertools logger (the
// workers inherit this). Tests of the telemetry itself turn them back on (tests/support/capture-output.ts).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const localCloud = './tests/support/global-setup.ts';

export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // Some suites start servers and a JVM: keep parallelism sane on a 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: [localCloud],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: [localCloud],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Faults across features (npm run test:faults): kill and restart, SES faults, poison events, races.
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          environment: 'node',
          globalSetup: [localCloud],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      // The soak (npm run test:soak): the demo's story for many customers at once; only when asked for,
      // so a plain `vitest run` (npm test) leaves it out.
      ...(process.env.KEIRO_SOAK
        ? [
            {
              test: {
                name: 'soak',
                include: ['tests/soak/**/*.test.ts'],
                environment: 'node',
                globalSetup: [localCloud],
                testTimeout: 60 * 60_000,
                hookTimeout: 120_000,
              },
            },
          ]
        : []),
      {
        test: {
          name: 'infra',
          include: ['tests/infra/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
