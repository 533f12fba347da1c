// Shared by the browser specs that compare the page with the native core: the release `ballot`
// binary (`cargo build --release -p ballot-cli`, built by scripts/test.sh before these run),
// the page's root element and its data attributes, and a console-error watcher.
import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const repo = path.resolve(__dirname, '../..');
const ballot = path.join(repo, 'target/release/ballot');

/** Runs `ballot ARGS…` and returns its trimmed output (throws if it fails). */
export const cli = (...args: string[]) => execFileSync(ballot, args, { cwd: repo }).toString().trim();

/** The fingerprint `ballot replay LINK` prints for a share link. */
export const fingerprintOf = (link: string) => cli('replay', link).match(/fingerprint ([0-9a-f]{16})/)![1];

export const root = (page: Page) => page.locator('#ballot');
export const attr = async (page: Page, name: string) => (await root(page).getAttribute(name)) ?? '';

/** Collects console errors and uncaught exceptions; tests end with `expect(errors).toEqual([])`. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** Opens `path` and waits until the wasm app has drawn the ring, so keys and clicks reach it. */
export async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('svg.ring [data-node-id]').first()).toBeVisible();
}

/**
 * Presses `.` (step), one event at a time (see `step`), until the page has processed `events`
 * events. (Pressing without waiting could overshoot: keys queue up faster than the engine in
 * its worker answers.)
 */
export async function stepTo(page: Page, events: number) {
  for (let i = 0; i < 400 && Number(await attr(page, 'data-events')) < events; i++) {
    await step(page);
  }
  await expect(root(page)).toHaveAttribute('data-events', `${events}`);
}

/**
 * Presses `.` once and waits until the page shows the one event it processed (data-events + 1),
 * so what a test does next happens at the same event count on every run. Fails if nothing
 * happens within `ms` (no event scheduled, or the key was lost).
 */
export async function step(page: Page, ms = 5_000) {
  const before = Number(await attr(page, 'data-events'));
  await page.keyboard.press('.');
  const after = await page.evaluate(
    ([before, ms]) =>
      new Promise<string | null>((resolve) => {
        const el = document.getElementById('ballot');
        const now = () => el?.getAttribute('data-events') ?? null;
        if (!el || now() !== `${before}`) return resolve(now());
        const seen = new MutationObserver(() => {
          if (now() !== `${before}`) done();
        });
        const timer = setTimeout(() => done(), ms);
        const done = () => {
          seen.disconnect();
          clearTimeout(timer);
          resolve(now());
        };
        seen.observe(el, { attributes: true, attributeFilter: ['data-events'] });
      }),
    [before, ms] as const,
  );
  expect(after, `one step from ${before} events`).toBe(`${before + 1}`);
}

/** Steps one event at a time (see `step`) until `done` holds; fails after `max` events. */
export async function stepUntil(page: Page, done: () => Promise<boolean>, max = 400) {
  for (let i = 0; i < max; i++) {
    if (await done()) return;
    await step(page);
  }
  if (await done()) return;
  throw new Error(`condition not reached after ${max} steps`);
}
