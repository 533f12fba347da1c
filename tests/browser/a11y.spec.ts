// Accessibility basics of the page: keys press the focused control (shortcuts never steal Space
// or Enter from it), `prefers-reduced-motion` stops autoplay, and dark mode covers the diagram.
import { test, expect } from '@playwright/test';
import { root, watchErrors } from './helpers';

test.use({ locale: 'en-US' });

test('Space and Enter press the focused button; Space elsewhere still plays and pauses', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?protocol=raft&paused=1');
  await expect(root(page)).not.toHaveAttribute('data-loading', /.*/);
  // Space on the focused Share button shares: it does not start the run.
  await page.locator('[data-action="share"]').focus();
  await page.keyboard.press(' ');
  await expect(page.locator('[data-share-url]')).toBeVisible();
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  // Enter on the focused Step button steps one event.
  const events = Number(await root(page).getAttribute('data-events'));
  await page.locator('[data-action="step"]').focus();
  await page.keyboard.press('Enter');
  await expect.poll(async () => Number(await root(page).getAttribute('data-events'))).toBe(events + 1);
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  // With nothing focused, Space is the play/pause shortcut.
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(' ');
  await expect(root(page)).toHaveAttribute('data-playing', 'true');
  expect(errors).toEqual([]);
});

test.describe('with prefers-reduced-motion', () => {
  test.use({ reducedMotion: 'reduce' });
  test('the run does not start by itself, and Play still plays it', async ({ page }) => {
    await page.goto('/?protocol=raft');
    await expect(root(page)).not.toHaveAttribute('data-loading', /.*/);
    await expect(root(page)).toHaveAttribute('data-playing', 'false');
    const now = await root(page).getAttribute('data-now-ms');
    await page.waitForTimeout(500);
    await expect(root(page)).toHaveAttribute('data-now-ms', now!);
    await page.locator('[data-action="play"]').click();
    await expect(root(page)).toHaveAttribute('data-playing', 'true');
  });
});

test.describe('in dark mode', () => {
  test.use({ colorScheme: 'dark' });
  test('the space-time diagram is not a white box', async ({ page }) => {
    await page.goto('/?protocol=raft&speed=1');
    const view = page.locator('.diagram-view');
    await expect(view.locator('svg')).toBeVisible();
    const colours = await view.evaluate((el) => {
      const svg = el.querySelector('svg')!;
      const rect = svg.querySelector('rect')!;
      const text = svg.querySelector('text')!;
      return { box: getComputedStyle(el).backgroundColor, rect: getComputedStyle(rect).fill, text: getComputedStyle(text).fill };
    });
    const light = (c: string) => {
      const [r, g, b] = c.match(/\d+/g)!.map(Number);
      return (r + g + b) / 3 > 128;
    };
    expect(light(colours.box), colours.box).toBe(false);
    expect(light(colours.rect), colours.rect).toBe(false);
    expect(light(colours.text), colours.text).toBe(true);
  });
});

test('the shortcut help takes the focus, keeps it, and gives it back', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?protocol=raft&paused=1');
  await expect(root(page)).not.toHaveAttribute('data-loading', /.*/);
  const button = page.locator('[data-action="help"]');
  await button.click();
  const dialog = page.locator('[data-help] [role="dialog"]');
  await expect(dialog).toBeVisible();
  await expect(page.locator('[data-action="help-close"]')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.locator('[data-action="help-close"]')).toBeFocused();
  // Shortcuts do not act behind it.
  const events = await root(page).getAttribute('data-events');
  await page.keyboard.press('.');
  await page.keyboard.press('2');
  await expect(dialog).toBeVisible();
  await expect(root(page)).toHaveAttribute('data-events', events!);
  await expect(page.locator('[data-panel-node]')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-help]')).toHaveCount(0);
  await expect(button).toBeFocused();
  expect(errors).toEqual([]);
});
