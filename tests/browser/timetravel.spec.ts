// Share links, the timeline scrubber, forks and undo. Links come from the release `ballot`
// binary (`cargo build --release -p ballot-cli`), so the page is compared with the native core.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { attr, cli, fingerprintOf, open, root, stepTo, watchErrors } from './helpers';

test.use({ locale: 'en-US' });

for (const [protocol, file] of [
  ['raft', 'scenarios/raft/02-leader-crash.scn'],
  ['twopc', 'scenarios/twopc/03-coordinator-crash-after-decision.scn'],
] as const) {
  test(`${protocol}: a share link opens paused at the shared moment, as \`ballot replay\` says`, async ({ page }) => {
    const errors = watchErrors(page);
    const link = cli('link', file);
    expect(link).toMatch(/^#run=1\./);
    await page.goto(`/${link}`);
    await expect(root(page)).toHaveAttribute('data-protocol', protocol);
    await expect(root(page)).toHaveAttribute('data-fingerprint', fingerprintOf(link));
    await expect(root(page)).toHaveAttribute('data-playing', 'false');
    await expect(page.locator('[data-link-error]')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
}

test('a broken link shows a dismissible message and the default run starts', async ({ page }) => {
  const errors = watchErrors(page);
  for (const [hash, words] of [
    ['#run=1.AAAA', /damaged|truncated/],
    ['#run=9.xyz', /newer Ballot/],
    ['#hello', /not a Ballot run link/],
  ] as const) {
    await page.goto(`/?speed=10${hash}`);
    const notice = page.locator('[data-link-error]');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText(words);
    await expect(root(page)).toHaveAttribute('data-protocol', 'raft');
    await expect(root(page)).toHaveAttribute('data-playing', 'true');
    await expect.poll(async () => Number(await attr(page, 'data-now-ms'))).toBeGreaterThan(100);
    await notice.locator('[data-action="dismiss"]').click();
    await expect(notice).toHaveCount(0);
  }
  // Pasting a good link into the address of an open page opens it (no reload needed).
  const link = cli('link', 'scenarios/raft/02-leader-crash.scn');
  await page.evaluate((l) => (location.hash = l), link);
  await expect(root(page)).toHaveAttribute('data-fingerprint', fingerprintOf(link));
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  // In Chinese too.
  await page.goto('/?lang=zh#run=1.AAAA');
  await expect(page.locator('[data-link-error]')).toContainText('无法打开分享的运行');
  expect(errors).toEqual([]);
  await expect(page.locator('[data-error]')).toHaveCount(0);
});

test('Share pauses, puts the link in the address and a field; the link reopens the same moment', async ({ page, context }) => {
  const errors = watchErrors(page);
  await open(page, '/?protocol=multipaxos&seed=4&paused=1');
  await stepTo(page, 25);
  await page.keyboard.press('1');
  await page.keyboard.press('c'); // crash S1: an intervention the link must carry
  await stepTo(page, 60);
  const fingerprint = await attr(page, 'data-fingerprint');
  await page.locator('[data-action="share"]').click();
  const field = page.locator('[data-share-url]');
  await expect(field).toHaveValue(/#run=1\./);
  const url = await field.inputValue();
  expect(new URL(page.url()).hash).toBe(new URL(url).hash);
  expect(fingerprintOf(new URL(url).hash)).toBe(fingerprint);
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.locator('#ballot')).toHaveAttribute('data-fingerprint', fingerprint);
  await expect(other.locator('#ballot')).toHaveAttribute('data-events', '60');
  expect(errors).toEqual([]);
});

test('stepping back shows the exact earlier state; the scrubber seeks by time', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '/?seed=5&paused=1');
  await stepTo(page, 40);
  const at40 = { fp: await attr(page, 'data-fingerprint'), ms: Number(await attr(page, 'data-now-ms')) };
  await stepTo(page, 70);
  const live = { fp: await attr(page, 'data-fingerprint'), ms: Number(await attr(page, 'data-now-ms')) };
  for (let i = 0; i < 30; i++) await page.keyboard.press(',');
  await expect(root(page)).toHaveAttribute('data-events', '40');
  await expect(root(page)).toHaveAttribute('data-fingerprint', at40.fp);
  await expect(root(page)).toHaveAttribute('data-scrub', 'true');
  expect(Number(await attr(page, 'data-now-ms'))).toBeLessThanOrEqual(live.ms);
  // Forward again, one recorded event at a time, back to the present.
  for (let i = 0; i < 30; i++) await page.keyboard.press('.');
  await expect(root(page)).toHaveAttribute('data-fingerprint', live.fp);
  await expect(root(page)).not.toHaveAttribute('data-scrub', /.*/);

  // A running run, paused, then scrubbed to an earlier time.
  await page.goto('/?seed=5&speed=10');
  await expect.poll(async () => Number(await attr(page, 'data-now-ms'))).toBeGreaterThan(1500);
  await page.keyboard.press(' ');
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  // A frame's request may still be with the engine when the pause is drawn: read the end once
  // the page has stopped changing.
  let end = -1;
  await expect
    .poll(async () => {
      const now = Number(await attr(page, 'data-now-ms'));
      const settled = now === end;
      end = now;
      return settled;
    }, { intervals: [150] })
    .toBe(true);
  const scrub = page.locator('[data-control="scrub"]');
  await expect(scrub).toHaveAttribute('max', `${end}`);
  await scrub.fill('700');
  await expect(root(page)).toHaveAttribute('data-now-ms', '700');
  await expect(root(page)).toHaveAttribute('data-scrub', 'true');
  const at700 = await attr(page, 'data-fingerprint');
  await scrub.fill('1200');
  await expect(root(page)).toHaveAttribute('data-now-ms', '1200');
  await scrub.fill('700');
  await expect(root(page)).toHaveAttribute('data-fingerprint', at700);
  await page.locator('[data-action="live"]').click();
  await expect(root(page)).toHaveAttribute('data-now-ms', `${end}`);
  await expect(root(page)).not.toHaveAttribute('data-scrub', /.*/);
  expect(errors).toEqual([]);
});

test('playing in the past replays the recorded run, a crash included, until it meets the present', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '/?seed=6&paused=1&workload=0');
  await stepTo(page, 20);
  await page.keyboard.press('2');
  await page.keyboard.press('c'); // crash S2 at event 20
  await page.keyboard.press('Escape');
  await stepTo(page, 60);
  const liveMs = await attr(page, 'data-now-ms');
  await page.locator('[data-control="scrub"]').fill('1');
  await expect(root(page)).toHaveAttribute('data-scrub', 'true');
  await expect(page.locator('[data-node-id="2"]')).toHaveAttribute('data-up', 'true');
  await page.locator('[data-action="play"]').click();
  // S2 goes down on the way, where it did, and the run ends where it was: no fork.
  await expect(page.locator('[data-node-id="2"]')).toHaveAttribute('data-up', 'false', { timeout: 20_000 });
  await expect(root(page)).not.toHaveAttribute('data-scrub', /.*/, { timeout: 20_000 });
  await page.locator('[data-action="play"]').click();
  await expect(page.locator('[data-action="undo-fork"]')).toHaveCount(0);
  expect(Number(await attr(page, 'data-now-ms'))).toBeGreaterThanOrEqual(Number(liveMs));
  // (That every replayed moment is the recorded one is checked in crates/engine/src/session.rs.)
  expect(errors).toEqual([]);
});

test('acting in the past forks the run; Undo fork puts the old run back', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '/?seed=6&paused=1');
  await stepTo(page, 50);
  const live = await attr(page, 'data-fingerprint');
  for (let i = 0; i < 15; i++) await page.keyboard.press(',');
  await expect(root(page)).toHaveAttribute('data-events', '35');
  await expect(page.locator('[data-past-hint]')).toBeVisible();
  await page.keyboard.press('2');
  await page.keyboard.press('c'); // crash S2 in the past
  await expect(root(page)).not.toHaveAttribute('data-scrub', /.*/);
  await expect(page.locator('[data-node-id="2"]')).toHaveAttribute('data-up', 'false');
  await expect(root(page)).toHaveAttribute('data-events', '35');
  expect(await attr(page, 'data-fingerprint')).not.toBe(live);
  await page.locator('[data-action="undo-fork"]').click();
  await expect(root(page)).toHaveAttribute('data-fingerprint', live);
  await expect(root(page)).toHaveAttribute('data-events', '50');
  await expect(page.locator('[data-action="undo-fork"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('Export scenario shows the run as a scenario that `ballot run` replays to the same fingerprint', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '/?protocol=paxos&seed=8&paused=1');
  await page.keyboard.press('2');
  await page.locator('[data-action="send-request"]').click(); // the default request, to S2
  await stepTo(page, 12);
  const fingerprint = await attr(page, 'data-fingerprint');
  await page.locator('[data-action="export-scenario"]').click();
  const text = await page.locator('[data-scenario]').inputValue();
  expect(text).toContain('protocol paxos');
  expect(text).toContain(`expect fingerprint ${fingerprint}`);
  const fs = await import('node:fs');
  const os = await import('node:os');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ballot-')), 'exported.scn');
  fs.writeFileSync(file, text);
  cli('run', file); // throws on a failed expectation
  await page.locator('[data-action="export-scenario"]').click();
  await expect(page.locator('[data-scenario]')).toHaveCount(0);
  expect(errors).toEqual([]);
});
