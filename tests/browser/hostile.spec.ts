// Bounded work in the page: inputs that used to freeze the tab (timers of a microsecond) end
// with a clear outcome within seconds, and the page stays usable.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attr, cli, fingerprintOf, repo, root, watchErrors } from './helpers';

test.use({ locale: 'en-US' });
test.setTimeout(60_000);

test('a scenario whose timers fire every microsecond stops at the event limit with a message', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?paused=1');
  await page.locator('[data-action="export-scenario"]').click();
  const box = page.locator('[data-scenario]');
  await expect(box).toHaveValue(/protocol raft/);
  const before = await attr(page, 'data-fingerprint');
  const text = fs.readFileSync(path.join(repo, 'tests/hostile/raft-microsecond-timers.scn'), 'utf8');
  await box.fill(text);
  const started = Date.now();
  await page.locator('[data-action="import-scenario"]').click();
  const notice = page.locator('[data-scenario-error]');
  await expect(notice).toContainText(/at most 5000000 events/, { timeout: 30_000 });
  const took = Date.now() - started;
  console.log(`dense scenario refused after ${took} ms`);
  expect(took).toBeLessThan(20_000);
  // The run on screen is unchanged and still answers.
  await expect(root(page)).toHaveAttribute('data-fingerprint', before);
  await page.locator('[data-action="step"]').click();
  await expect(root(page)).not.toHaveAttribute('data-fingerprint', before);
  expect(errors).toEqual([]);
  await expect(page.locator('[data-error]')).toHaveCount(0);
});

test('a share link of a dense run opens within seconds, draws a bounded ring, and seeking in it is quick', async ({ page }) => {
  const errors = watchErrors(page);
  const file = path.join(os.tmpdir(), 'ballot-dense.scn');
  fs.writeFileSync(
    file,
    'protocol raft\ncluster 9\nconfig heartbeat 1us\nconfig election-timeout 2us..3us\nrun 30ms\n',
  );
  const link = cli('link', file);
  const started = Date.now();
  await page.goto(`/${link}`);
  await expect(root(page)).toHaveAttribute('data-fingerprint', fingerprintOf(link), { timeout: 30_000 });
  const took = Date.now() - started;
  console.log(`dense link (${await attr(page, 'data-events')} events) opened in ${took} ms`);
  expect(Number(await attr(page, 'data-events'))).toBeGreaterThan(500_000);
  expect(took).toBeLessThan(20_000);
  // Tens of thousands of messages are on the wire; the ring draws the oldest 200 and says so.
  const inFlight = Number(await attr(page, 'data-in-flight'));
  expect(inFlight).toBeGreaterThan(10_000);
  await expect(page.locator('.ring [data-msg-id]')).toHaveCount(200);
  await expect(page.locator('.ring [data-undrawn]')).toHaveAttribute('data-undrawn', String(inFlight - 200));
  await expect(page.locator('.ring [data-undrawn]')).toContainText('more messages in flight');
  // One event back replays from a checkpoint at most DEFAULT_EVENT_SPACING events earlier.
  const end = await attr(page, 'data-fingerprint');
  const seek = Date.now();
  await page.keyboard.press(',');
  await expect(root(page)).toHaveAttribute('data-scrub', 'true');
  await expect(root(page)).not.toHaveAttribute('data-fingerprint', end);
  console.log(`one event back in ${Date.now() - seek} ms`);
  expect(Date.now() - seek).toBeLessThan(3_000);
  expect(errors).toEqual([]);
  await expect(page.locator('[data-error]')).toHaveCount(0);
});
