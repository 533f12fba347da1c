// Golden fingerprints: the page, stepping the same events as a native run of the same
// (protocol, size, seed), must reach the identical state. The native value comes from the
// release `ballot` binary that scripts/test.sh builds before the browser tests, so this compares
// the wasm core in Chromium with the native core, not with a number written down here.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { stepTo } from './helpers';

test.use({ locale: 'en-US' });

const ballot = path.resolve(__dirname, '../../target/release/ballot');

function native(protocol: string, size: number, seed: number, events: number): string {
  return execFileSync(ballot, ['fingerprint', protocol, '--size', `${size}`, '--seed', `${seed}`, '--events', `${events}`])
    .toString()
    .trim();
}

// Basic Paxos and 2PC schedule nothing until a client speaks, so only their initial states
// (cluster, seed, configuration) are compared; Raft and Multi-Paxos run their timers at once.
for (const [protocol, size, seed, steps] of [
  ['raft', 5, 7, [1, 5, 12, 30]],
  ['paxos', 3, 2, []],
  ['multipaxos', 5, 3, [1, 5, 12, 30]],
  ['twopc', 4, 9, []],
] as const) {
  test(`${protocol}: the page and the native core agree event by event`, async ({ page }) => {
    await page.goto(`/?protocol=${protocol}&size=${size}&seed=${seed}&paused=1`);
    const root = page.locator('#ballot');
    await expect(root).toHaveAttribute('data-events', '0');
    await expect(root).toHaveAttribute('data-fingerprint', native(protocol, size, seed, 0));
    // Stepping past the first events (timers firing, the first messages) must stay identical.
    for (const events of steps) {
      await stepTo(page, events);
      await expect(root).toHaveAttribute('data-fingerprint', native(protocol, size, seed, events));
    }
  });
}
