import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Browser benchmarks (scripts/bench.sh): same server set-up as the tests, one worker, no retries.
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  workers: 1,
  retries: 0,
  timeout: 180_000,
});
