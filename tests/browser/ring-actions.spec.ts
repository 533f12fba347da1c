// A server's actions open next to the ring and stay on screen (a sheet over the bottom of a
// phone's screen, a panel beside the ring on a desktop), the ring and the timeline fit the first
// screen of a 1280×720 projector, and `f` toggles presenter mode (`#ballot[data-presenter]`).
import { test, expect, type Locator, type Page } from '@playwright/test';
import { open, root, watchErrors } from './helpers';

test.use({ locale: 'en-US' });

type Box = { x: number; y: number; width: number; height: number };

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  expect(b, 'the element is laid out').not.toBeNull();
  return b!;
}

/** The element's box lies wholly inside the viewport (the page is not scrolled to reach it). */
async function expectOnScreen(page: Page, locator: Locator) {
  const b = await box(locator);
  const { width, height } = page.viewportSize()!;
  expect(b.x, 'left edge').toBeGreaterThanOrEqual(0);
  expect(b.y, 'top edge').toBeGreaterThanOrEqual(0);
  expect(b.x + b.width, 'right edge').toBeLessThanOrEqual(width);
  expect(b.y + b.height, 'bottom edge').toBeLessThanOrEqual(height);
}

/** What the pointer would hit at the centre of the server: that server (nothing covers it). */
async function serverAtItsCentre(page: Page, id: string): Promise<string | null> {
  const b = await box(page.locator(`svg.ring [data-node-id="${id}"]`));
  return page.evaluate(
    ([x, y]) => document.elementFromPoint(x, y)?.closest('[data-node-id]')?.getAttribute('data-node-id') ?? null,
    [b.x + b.width / 2, b.y + b.height / 2],
  );
}

test.describe('on a 390×844 phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('tapping a server puts its actions on screen, the server still in sight, 44 px targets', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, '/?paused=1&workload=0');
    const s2 = page.locator('svg.ring [data-node-id="2"]');
    await s2.tap();
    await expect(page.locator('[data-panel-node="2"]')).toBeVisible();
    const crash = page.locator('[data-action="crash"]');
    await expectOnScreen(page, crash);
    for (const target of [
      crash,
      page.locator('[data-action="timeout"]'),
      page.locator('[data-request-input]'),
      page.locator('[data-action="send-request"]'),
      page.locator('[data-action="close-node"]'),
    ]) {
      await expectOnScreen(page, target);
      expect((await box(target)).height).toBeGreaterThanOrEqual(44);
    }
    // The sheet does not hide the server it belongs to.
    expect(await serverAtItsCentre(page, '2')).toBe('2');

    await crash.tap();
    await expect(s2).toHaveAttribute('data-role', 'crashed');
    await expect(s2).toHaveAttribute('data-up', 'false');
    await expect(crash).toHaveText('Restart');

    // Closing gives the focus back to the server.
    await page.locator('[data-action="close-node"]').tap();
    await expect(page.locator('[data-panel-node]')).toHaveCount(0);
    await expect(s2).toBeFocused();
    expect(errors).toEqual([]);
  });
});

test.describe('on a 1280×720 screen', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('the ring and the timeline fit the first screen; a server opens its actions beside it', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, '/?paused=1&workload=0');
    await expectOnScreen(page, page.locator('svg.ring'));
    await expectOnScreen(page, page.locator('[data-control="scrub"]'));

    const s3 = page.locator('svg.ring [data-node-id="3"]');
    await s3.click();
    await expect(page.locator('[data-panel-node="3"]')).toBeVisible();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await expectOnScreen(page, page.locator('[data-panel-node="3"]'));
    await expectOnScreen(page, page.locator('svg.ring'));

    // Escape closes it and focuses the server; Enter on the focused server opens it again.
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-panel-node]')).toHaveCount(0);
    await expect(s3).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-panel-node="3"]')).toBeVisible();
    // Escape from the request box closes it too.
    await page.locator('[data-request-input]').focus();
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-panel-node]')).toHaveCount(0);
    await expect(s3).toBeFocused();
    expect(errors).toEqual([]);
  });

  test('f toggles presenter mode: a larger ring, the rest aside; Escape leaves it', async ({ page }) => {
    const errors = watchErrors(page);
    await open(page, '/?paused=1&workload=0');
    const ring = page.locator('svg.ring');
    const before = await box(ring);
    await page.keyboard.press('f');
    await expect(root(page)).toHaveAttribute('data-presenter', 'true');
    await expect(page.locator('section.controls')).toBeHidden();
    const big = await box(ring);
    expect(big.height).toBeGreaterThan(before.height + 40);
    await expectOnScreen(page, ring);
    await expectOnScreen(page, page.locator('[data-control="scrub"]'));

    // A server's actions still open, on screen, and do not hide it.
    await page.keyboard.press('2');
    await expectOnScreen(page, page.locator('[data-action="crash"]'));
    expect(await serverAtItsCentre(page, '2')).toBe('2');
    // `f` typed into the request box is text, not the shortcut.
    await page.keyboard.press('q');
    await expect(page.locator('[data-request-input]')).toBeFocused();
    await page.keyboard.type('f');
    await expect(page.locator('[data-request-input]')).toHaveValue('f');
    await expect(root(page)).toHaveAttribute('data-presenter', 'true');
    await page.keyboard.press('Escape'); // closes the server's actions
    await expect(root(page)).toHaveAttribute('data-presenter', 'true');

    await page.keyboard.press('f');
    await expect(root(page)).not.toHaveAttribute('data-presenter', /.*/);
    expect(await box(ring)).toEqual(before);
    await page.keyboard.press('f');
    await expect(root(page)).toHaveAttribute('data-presenter', 'true');
    await page.keyboard.press('Escape');
    await expect(root(page)).not.toHaveAttribute('data-presenter', /.*/);
    await expect(page.locator('section.controls')).toBeVisible();
    expect(errors).toEqual([]);
  });
});
