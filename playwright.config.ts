import { defineConfig } from '@playwright/test';

// End-to-end tests drive Debian's Chromium (no browser download here) against the web host,
// which runs the real services over a real SQLite file (see test/e2e/helpers.ts).
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    headless: true,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1366, height: 900 },
    trace: 'off',
    launchOptions: {
      executablePath: process.env.FNE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--lang=fr-FR', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
