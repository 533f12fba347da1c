// The Check panel: the model checker in the page, in a worker of its own (engine-check), loaded
// only when the panel opens; the counterexample it finds becomes the page's run.
import { test, expect, Page } from '@playwright/test';
import { fingerprintOf, root, watchErrors } from './helpers';

test.use({ locale: 'en-US' });

const panel = (page: Page) => page.locator('[data-check-panel]');
const result = (page: Page) => page.locator('[data-check-result]');

/** Opens the page on `query`, waits for the engine, opens the panel. */
async function openPanel(page: Page, query: string) {
  await page.goto(`/?${query}`);
  await expect(root(page)).not.toHaveAttribute('data-loading', /.*/);
  await page.locator('[data-action="check"]').click();
  await expect(panel(page)).toBeVisible();
  await expect(panel(page).locator('[data-check-bound="max_term"]')).toBeVisible();
}

/** Runs the panel's check, which must break `property`, and waits for the page to open the
 * counterexample's link with the property broken. */
async function runToViolation(page: Page, property: string, timeout: number) {
  await panel(page).locator('[data-action="check-run"]').click();
  await expect(result(page)).toHaveAttribute('data-outcome', 'violation', { timeout });
  await expect(result(page)).toHaveAttribute('data-check-property', property);
  const link = (await result(page).getAttribute('data-check-link'))!;
  expect(link).toMatch(/^run=1\./);
  await expect(root(page)).toHaveAttribute('data-fingerprint', fingerprintOf(`#${link}`));
  await expect(page.locator(`#ballot [data-property="${property}"]`)).toHaveAttribute('data-holds', 'false');
}

test('the checker is not part of the first load: nothing of it is fetched before the panel opens', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(r.url()));
  await page.goto('/?protocol=raft&paused=1');
  await expect(root(page)).not.toHaveAttribute('data-loading', /.*/);
  expect(fetched.filter((u) => /check/.test(u))).toEqual([]);
  await page.locator('[data-action="check"]').click();
  await expect(panel(page)).toBeVisible();
  await expect.poll(() => fetched.filter((u) => /engine-check/.test(u)).length).toBeGreaterThan(0);
  expect(fetched.some((u) => u.endsWith('/check-panel.js'))).toBe(true);
});

test('a broken Paxos: the shortest counterexample becomes the run, each property shown per step', async ({ page }) => {
  const errors = watchErrors(page);
  await openPanel(page, 'protocol=paxos&bug=ignore-promised-values&paused=1');
  // The panel takes the page's broken variant.
  await expect(panel(page).locator('[data-check-bug]')).toHaveValue('ignore-promised-values');
  // The page opens the counterexample: paused at the violating step, the property broken.
  await runToViolation(page, 'Agreement', 20_000);
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  // Per step: Agreement holds (✓) until the last step, where it breaks.
  const steps = panel(page).locator('tr[data-step]');
  const n = Number(await result(page).getAttribute('data-check-length'));
  expect(n).toBeGreaterThan(3);
  await expect(steps).toHaveCount(n);
  const agreement = (await panel(page).locator('th.prop').allTextContents()).indexOf('Agreement');
  expect(agreement).toBeGreaterThanOrEqual(0);
  const holds = async (i: number) => steps.nth(i).locator('td.prop').nth(agreement).getAttribute('data-holds');
  expect(await holds(0)).toBe('true');
  expect(await holds(n - 2)).toBe('true');
  expect(await holds(n - 1)).toBe('false');
  // A click on a step opens the run up to it: no violation yet at the first step.
  await steps.nth(0).click();
  await expect(root(page)).toHaveAttribute('data-violations', '0');
  await expect(page.locator('#ballot [data-property="Agreement"]')).toHaveAttribute('data-holds', 'true');
  expect(errors).toEqual([]);
});

test('a broken Zab checked from a later state: the panel says where, the run includes the way there', async ({ page }) => {
  const errors = watchErrors(page);
  await openPanel(page, 'protocol=zab&bug=skip-sync&paused=1');
  await expect(panel(page).locator('[data-check-start]')).toContainText('epoch 2');
  await runToViolation(page, 'Agreement', 30_000);
  // The first step is taken in epoch 2, seconds into the run: the start's part is in the run.
  await panel(page).locator('tr[data-step]').nth(0).click();
  await expect(root(page)).toHaveAttribute('data-violations', '0');
  expect(Number(await root(page).getAttribute('data-now-ms'))).toBeGreaterThan(4000);
  // A size the start is not written for starts from the initial state, and says nothing.
  await panel(page).locator('[data-check-nodes]').fill('5');
  await panel(page).locator('[data-check-nodes]').dispatchEvent('change');
  await expect(panel(page).locator('[data-check-start]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the correct 2PC checks clean, with live progress, without blocking the page', async ({ page }) => {
  const errors = watchErrors(page);
  await openPanel(page, 'protocol=twopc&paused=1');
  await page.evaluate(() => {
    (window as unknown as { longTasks: number[] }).longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) (window as unknown as { longTasks: number[] }).longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  // More requests and a crash make a search of some seconds.
  await panel(page).locator('[data-check-bound="max_requests"]').fill('2');
  await panel(page).locator('[data-action="check-run"]').click();
  const progress = panel(page).locator('[data-check-progress]');
  await expect(progress).toHaveAttribute('data-states', /\d+/, { timeout: 10_000 });
  await expect(result(page)).toHaveAttribute('data-outcome', 'complete', { timeout: 60_000 });
  expect(Number(await result(page).getAttribute('data-states'))).toBeGreaterThan(1000);
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  // The search ran in its worker: no task on the page's thread came near its length.
  expect(Math.max(0, ...longTasks)).toBeLessThan(200);
  expect(errors).toEqual([]);
});

test('Stop ends a long search at once; a goal finds an example; Chinese words', async ({ page }) => {
  const errors = watchErrors(page);
  await openPanel(page, 'protocol=raft&paused=1');
  await panel(page).locator('[data-check-bound="max_term"]').fill('4');
  await panel(page).locator('[data-check-bound="max_requests"]').fill('3');
  await panel(page).locator('[data-action="check-run"]').click();
  await expect(panel(page).locator('[data-check-progress]')).toHaveAttribute('data-states', /\d+/, { timeout: 10_000 });
  await panel(page).locator('[data-action="check-stop"]').click();
  await expect(panel(page).locator('[data-check-stopped]')).toBeVisible();
  await expect(panel(page).locator('[data-action="check-run"]')).toBeEnabled();
  // "Find an example": a leader in term 3.
  await panel(page).locator('[data-check-bound="max_term"]').fill('3');
  await panel(page).locator('[data-check-bound="max_requests"]').fill('0');
  await panel(page).locator('[data-check-goal]').selectOption({ label: 'A leader is elected in term 3' });
  await panel(page).locator('[data-action="check-run"]').click();
  await expect(result(page)).toHaveAttribute('data-outcome', 'example', { timeout: 30_000 });
  await expect(root(page)).toHaveAttribute('data-leader', /^\d$/);
  const leader = await root(page).getAttribute('data-leader');
  await expect(page.locator(`[data-node-id="${leader}"]`)).toHaveAttribute('data-term', '3');
  // The page's language switch reaches the panel.
  // (The panel covers the top bar's right end, where the switch is: a keyboard user reaches it.)
  await page.locator('button[data-lang="zh-CN"]').dispatchEvent('click');
  await expect(panel(page).locator('h2')).toHaveText('模型检查');
  await expect(panel(page).locator('[data-check-goal] option').nth(1)).toHaveText('选出一位领导者');
  // Escape closes it and gives the focus back to its button.
  await panel(page).locator('h2').click();
  await page.keyboard.press('Escape');
  await expect(panel(page)).toBeHidden();
  await expect(page.locator('[data-action="check"]')).toBeFocused();
  expect(errors).toEqual([]);
});
