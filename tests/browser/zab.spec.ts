// Zab in the page, through the registry: `?protocol=zab` plays by itself (the background clients
// send proposals to the leader), a leader establishes its epoch and proposals commit, without a
// click; zxids read `0x1_0003`; the milestone line says what happened, in both languages.
import { test, expect } from '@playwright/test';
import { root, watchErrors } from './helpers';

test.use({ locale: 'en-US' });

test('?protocol=zab: a leader is elected and proposals commit without any click', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?protocol=zab');
  await expect(root(page)).toHaveAttribute('data-protocol', 'zab');
  await expect(root(page)).toHaveAttribute('data-playing', 'true');
  const leader = page.locator('svg.ring [data-role="leading"][data-phase="broadcast"]');
  await expect(leader).toHaveCount(1, { timeout: 20_000 });
  await expect(page.locator('svg.ring [data-role="following"]').first()).toBeVisible();
  const committed = page.locator('[data-index][data-committed="true"]');
  await expect.poll(async () => committed.count(), { timeout: 25_000 }).toBeGreaterThan(0);
  await expect(committed.first()).toHaveAttribute('data-zxid', /^0x[0-9a-f]+_[0-9a-f]{4}$/);
  await expect(leader).toHaveAttribute('data-zxid', /^0x[0-9a-f]+_[0-9a-f]{4}$/);
  await expect(root(page)).toHaveAttribute('data-violations', '0');
  await expect(page.locator('[data-milestone]')).not.toBeEmpty();
  expect(errors).toEqual([]);
});

test('the milestone line names the newest milestone, and follows the language', async ({ page }) => {
  await page.goto('/?protocol=raft&speed=1&workload=0');
  await expect(root(page)).toHaveAttribute('data-leader', /^\d$/, { timeout: 15_000 });
  const milestone = page.locator('[data-milestone]');
  await expect(milestone).toHaveAttribute('aria-live', 'polite');
  await expect(milestone).toContainText(/S\d/);
  await page.locator('[data-action="play"]').click();
  const leader = await root(page).getAttribute('data-leader');
  // Crash the leader from its panel: the line says so.
  await page.keyboard.press(leader!);
  await page.keyboard.press('c');
  await expect(milestone).toHaveText(`S${leader} crashed`);
  await page.locator('button[data-lang="zh-CN"]').click();
  await expect(milestone).toHaveText(`S${leader} 宕机`);
});
