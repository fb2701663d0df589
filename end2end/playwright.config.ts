import { defineConfig } from '@playwright/test';
import * as path from 'node:path';
import * as os from 'node:os';

// One server for the run, on a fresh database; each test creates its own kommune and users.
const port = Number(process.env.E2E_PORT ?? 3100);
const root = path.resolve(__dirname, '..');
const cache = process.env.ARBEJDSBORD_CACHE ?? path.join(os.homedir(), '.cache', 'arbejdsbord');
process.env.E2E_PORT = String(port);
// E2E_DATABASE_URL may name a PostgreSQL database instead (scripts/test-all.sh runs the suite on both).
process.env.E2E_WORK_DIR ??= path.join(cache, 'e2e');
process.env.E2E_DATABASE_URL ??= `sqlite://${path.join(process.env.E2E_WORK_DIR, 'e2e.db')}`;
process.env.ARBEJDSBORD_BIN ??= path.join(cache, 'target', 'release', 'arbejdsbord');
process.env.LEPTOS_SITE_ROOT ??= path.join(root, 'target', 'site');

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'da-DK',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    command: path.join(root, 'scripts', 'e2e-server.sh'),
    url: `http://127.0.0.1:${port}/login`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
