import { defineConfig } from '@playwright/test';

// Two instances behind nginx (scripts/e2e-two-instances.sh starts them, nginx and PostgreSQL and
// sets the E2E_* variables): the browser talks to nginx.
const nginx = process.env.E2E_NGINX_URL;
if (!nginx) throw new Error('run scripts/e2e-two-instances.sh');

export default defineConfig({
  testDir: './scale',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  workers: 1,
  // The test kills instance A: a retry would find it dead.
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: nginx,
    locale: 'da-DK',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
    },
  },
});
