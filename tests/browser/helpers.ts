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

/** Presses `.` (step) until the page has processed `events` events. The engine answers each
 *  step asynchronously, so every press waits for its event before the next one. */
export async function stepTo(page: Page, events: number) {
  for (let i = 0; i < 400; i++) {
    const now = Number(await attr(page, 'data-events'));
    if (now >= events) break;
    await page.keyboard.press('.');
    await expect.poll(async () => Number(await attr(page, 'data-events'))).toBeGreaterThan(now);
  }
  await expect(root(page)).toHaveAttribute('data-events', `${events}`);
}
