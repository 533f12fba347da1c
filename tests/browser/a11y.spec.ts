// Accessibility basics of the page: keys press the focused control (shortcuts never steal Space
// or Enter from it), servers and messages are reached with Tab and show their focus,
// `prefers-reduced-motion` stops autoplay and makes messages jump instead of glide, and dark
// mode covers the diagram. (axe.spec.ts runs axe-core on every protocol.)
import { test, expect, type Page } from '@playwright/test';
import { open, root, step, stepUntil, watchErrors } from './helpers';

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

test('Tab reaches the servers and the messages, with a visible focus ring; Enter and Space press them', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '/?protocol=raft&paused=1');
  await stepUntil(page, async () => Number(await root(page).getAttribute('data-in-flight')) > 0);
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement!;
      const style = getComputedStyle(el);
      return {
        node: el.getAttribute('data-node-id'),
        msg: el.getAttribute('data-msg-id'),
        visible: el.matches(':focus-visible'),
        outline: `${style.outlineStyle} ${style.outlineWidth}`,
      };
    });
  // Tab through the page until a server, then a message, has the focus.
  const seen = { node: null as null | Awaited<ReturnType<typeof focused>>, msg: null as null | Awaited<ReturnType<typeof focused>> };
  for (let i = 0; i < 80 && !(seen.node && seen.msg); i++) {
    await page.keyboard.press('Tab');
    const f = await focused();
    if (f.node && !seen.node) seen.node = f;
    if (f.msg && !seen.msg) seen.msg = f;
  }
  for (const f of [seen.node, seen.msg]) {
    expect(f).not.toBeNull();
    expect(f!.visible).toBe(true);
    expect(f!.outline).toMatch(/^solid [1-9]/);
  }
  // Enter on a focused server selects it; Space on a focused message drops it (the default
  // click action), and neither plays the run.
  const server = page.locator('svg.ring [data-node-id="2"]');
  await server.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-panel-node="2"]')).toBeVisible();
  const dot = page.locator('svg.ring [data-msg-id]').first();
  const id = await dot.getAttribute('data-msg-id');
  await dot.focus();
  await page.keyboard.press(' ');
  await expect(page.locator(`svg.ring [data-msg-id="${id}"]`)).toHaveCount(0);
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  expect(errors).toEqual([]);
});

/** Where each drawn message dot is, by message id. */
const dots = (page: Page) =>
  page.locator('svg.ring [data-msg-id] circle.dot').evaluateAll((cs) =>
    Object.fromEntries(cs.map((c) => [c.parentElement!.getAttribute('data-msg-id'), `${c.getAttribute('cx')},${c.getAttribute('cy')}`])),
  );

/** The dots that moved between two `dots` readings (messages in both). */
const moved = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).filter((id) => id in b && a[id] !== b[id]);

/** Steps until some message stays in flight across a step; returns how many of those moved. */
async function movesAcrossSteps(page: Page) {
  for (let i = 0; i < 100; i++) {
    const before = await dots(page);
    await step(page);
    const after = await dots(page);
    const both = Object.keys(before).filter((id) => id in after);
    if (both.length > 0) return { both: both.length, moved: moved(before, after).length };
  }
  throw new Error('no message stayed in flight across a step');
}

test('messages glide along their links', async ({ page }) => {
  await open(page, '/?protocol=raft&paused=1');
  const m = await movesAcrossSteps(page);
  expect(m.moved).toBeGreaterThan(0);
});

test.describe('with prefers-reduced-motion', () => {
  test.use({ reducedMotion: 'reduce' });
  test('messages jump: a dot stays put while its message is in flight, with no transition', async ({ page }) => {
    await open(page, '/?protocol=raft');
    const m = await movesAcrossSteps(page);
    expect(m.moved).toBe(0);
    const motion = await page.locator('svg.ring [data-msg-id] circle.dot').first().evaluate((c) => {
      const s = getComputedStyle(c);
      return [s.transitionDuration, s.animationName];
    });
    expect(motion).toEqual(['0s', 'none']);
  });
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
