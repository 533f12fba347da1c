// Model-checker counterexamples open in the page: `ballot check PROTOCOL --bug NAME --json`
// prints the shortest counterexample as a share link (out-of-order deliveries and timer firings
// carried as link tags 15 and 16); the page replays it to the checker's violating state.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fingerprintOf, repo, root, watchErrors } from './helpers';

test.use({ locale: 'en-US' });

/** The JSON report of a check that must find a violation (the command exits 1 then). */
function counterexample(protocol: string, bug: string): { property: string; link: string; steps: unknown[] } {
  const ballot = path.join(repo, 'target/release/ballot');
  let out = '';
  try {
    out = execFileSync(ballot, ['check', protocol, '--bug', bug, '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    throw new Error(`ballot check ${protocol} --bug ${bug} found nothing:\n${out}`);
  } catch (e) {
    const err = e as { status?: number; stdout?: Buffer };
    if (err.status !== 1) throw e;
    out = err.stdout!.toString();
  }
  const report = JSON.parse(out);
  expect(report.result).toBe('violation');
  return report.violation;
}

for (const [protocol, bug, property] of [
  ['raft', 'forget-vote-on-restart', 'Election Safety'],
  ['paxos', 'ignore-promised-values', 'Agreement'],
  ['twopc', 'abort-after-yes', 'Atomicity'],
  // Checked from a later state (the second epoch): the link carries that part of the run too.
  ['zab', 'skip-sync', 'Agreement'],
] as const) {
  test(`${protocol}/${bug}: the checker's counterexample opens in the page, violating ${property}`, async ({ page }) => {
    const errors = watchErrors(page);
    const cx = counterexample(protocol, bug);
    expect(cx.property).toBe(property);
    expect(cx.link).toMatch(/^#run=1\./);
    await page.goto(`/${cx.link}`);
    await expect(root(page)).toHaveAttribute('data-protocol', protocol);
    await expect(root(page)).toHaveAttribute('data-fingerprint', fingerprintOf(cx.link));
    await expect(root(page)).toHaveAttribute('data-playing', 'false');
    await expect(page.locator(`[data-property="${property}"]`)).toHaveAttribute('data-holds', 'false');
    expect(Number(await root(page).getAttribute('data-violations'))).toBeGreaterThan(0);
    await expect(page.locator('[data-link-error]')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
}
