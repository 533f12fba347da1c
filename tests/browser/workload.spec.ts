// The background client workload: every protocol's default run shows its protocol working
// without a click (entries commit, a value is chosen, transactions are decided), it can be
// switched off (`?workload=0` or the Clients switch), and it is part of the run: a share link
// replays the requests it made.
import { test, expect, Page } from '@playwright/test';
import { fingerprintOf, root, watchErrors } from './helpers';

test.use({ locale: 'en-US' });

const committedCells = (page: Page) => page.locator('[data-index][data-committed="true"]');

for (const [protocol, done] of [
  ['raft', async (page: Page) => (await committedCells(page).count()) > 0],
  ['paxos', async (page: Page) => !!(await root(page).getAttribute('data-chosen'))],
  ['multipaxos', async (page: Page) => (await page.locator('[data-slot][data-applied="true"]').count()) > 0],
  ['twopc', async (page: Page) => (await page.locator('svg.ring [data-role="participant"][data-state="committed"], svg.ring [data-role="participant"][data-state="aborted"]').count()) > 0],
] as const) {
  test(`${protocol} works by itself: no click, progress within 20 s at the default speed`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(`/?protocol=${protocol}`);
    await expect(root(page)).toHaveAttribute('data-playing', 'true');
    await expect.poll(() => done(page), { timeout: 20_000 }).toBe(true);
    await expect(root(page)).toHaveAttribute('data-violations', '0');
    expect(errors).toEqual([]);
  });
}

test('twopc by itself: without a click, the default run commits one transaction and rolls another back within 20 s', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?protocol=twopc');
  await expect(root(page)).toHaveAttribute('data-playing', 'true');
  // The coordinator's data-state goes init → committed or aborted for each transaction; the
  // workload makes a random participant vote no one time in three (a `vote=no` request).
  const seen = new Set<string>();
  const coordinator = page.locator('svg.ring [data-node-id="1"]');
  await expect.poll(async () => {
    seen.add((await coordinator.getAttribute('data-state')) ?? '');
    return seen.has('committed') && seen.has('aborted');
  }, { timeout: 20_000, intervals: [100] }).toBe(true);
  await expect(root(page)).toHaveAttribute('data-violations', '0');
  expect(errors).toEqual([]);
});

test('?workload=0: Raft elects a leader and then has nothing to replicate', async ({ page }) => {
  await page.goto('/?protocol=raft&speed=1&workload=0');
  await expect(page.locator('[data-control="workload"]')).not.toBeChecked();
  await expect(root(page)).toHaveAttribute('data-leader', /^\d$/, { timeout: 15_000 });
  await expect.poll(async () => Number(await root(page).getAttribute('data-now-ms')), { timeout: 20_000 }).toBeGreaterThan(2500);
  await expect(committedCells(page)).toHaveCount(0);
  await expect(page.locator('[data-index]')).toHaveCount(0);
});

test('the Clients switch stops the requests from now on; a link replays the ones made', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?protocol=raft&speed=1');
  const toggle = page.locator('[data-control="workload"]');
  await expect(toggle).toBeChecked();
  await expect.poll(async () => committedCells(page).count(), { timeout: 20_000 }).toBeGreaterThan(2);
  await toggle.uncheck();
  await page.locator('[data-action="play"]').click();
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  const entries = async () => Number(await page.locator('[data-index]').count());
  const before = await entries();
  // Off: a few more seconds of virtual time add no entry (a leader change may add a no-op in
  // other protocols, never in Raft).
  await page.locator('[data-action="play"]').click();
  const t0 = Number(await root(page).getAttribute('data-now-ms'));
  await expect.poll(async () => Number(await root(page).getAttribute('data-now-ms')), { timeout: 20_000 }).toBeGreaterThan(t0 + 2000);
  expect(await entries()).toBe(before);
  // The requests made are interventions of the run: its link replays them exactly.
  await page.locator('[data-action="play"]').click();
  await page.locator('[data-action="share"]').click();
  const url = await page.locator('[data-share-url]').inputValue();
  const fingerprint = await root(page).getAttribute('data-fingerprint');
  expect(fingerprintOf(url.slice(url.indexOf('#')))).toBe(fingerprint);
  expect(errors).toEqual([]);
});
