// Browser tests run against the *release* bundle in dist/ (built by `trunk build --release`
// in scripts/test.sh), served by tests/browser/serve-dist.mjs. Chromium comes from Debian
// (/usr/bin/chromium); Playwright never downloads a browser here.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.BALLOT_TEST_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'tests/browser',
  testMatch: /.*\.spec\.(ts|js|mjs)$/,
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  // 'list' prints one line per test and ends with the "N passed / N failed" summary.
  reporter: [['list']],
  use: {
    baseURL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `node tests/browser/serve-dist.mjs dist ${port}`,
    url: `${baseURL}/index.html`,
    reuseExistingServer: false,
    timeout: 15_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
