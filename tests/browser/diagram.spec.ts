// The space-time diagram (windowed around the cursor, zoomable, hover linked to the ring and the
// feed, exported as SVG), scenario import, and time travel on a long run. Links and
// fingerprints come from the release `ballot` binary, so the page is compared with the native core.
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attr, cli, fingerprintOf, open, repo, root, stepTo, watchErrors } from './helpers';

test.use({ locale: 'en-US' });

const diagram = (page: Page) => page.locator('[data-diagram]');

test('the diagram follows the cursor, zooms, and marks crashes and dropped messages', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '/?seed=3&paused=1');
  await expect(diagram(page)).toBeVisible();
  await stepTo(page, 30);
  const arrows = diagram(page).locator('svg [data-msg-id]');
  expect(await arrows.count()).toBeGreaterThan(3);
  await expect(diagram(page).locator('svg line[data-now]')).toHaveCount(1);
  // The window ends 1/8 of a span after the shown moment, and moves with it.
  const now = Number(await attr(page, 'data-now-ms'));
  await expect(diagram(page)).toHaveAttribute('data-span-ms', '250');
  const to = Number(await diagram(page).getAttribute('data-to-ms'));
  expect(Math.abs(to - (now + 31))).toBeLessThanOrEqual(1);
  await page.keyboard.press(',');
  await page.keyboard.press(',');
  // The engine answers from its worker: wait for both steps back before reading the page.
  await expect(root(page)).toHaveAttribute('data-events', '28');
  const earlier = Number(await attr(page, 'data-now-ms'));
  expect(earlier).toBeLessThanOrEqual(now);
  expect(Number(await diagram(page).getAttribute('data-to-ms'))).toBeLessThanOrEqual(to);
  await page.locator('[data-action="live"]').click();
  await expect(root(page)).not.toHaveAttribute('data-scrub', /.*/);
  await expect(root(page)).toHaveAttribute('data-now-ms', `${now}`);

  // Clicking the diagram moves the cursor: near the top edge is the window's first moment.
  const view = diagram(page).locator('svg').first();
  await view.scrollIntoViewIfNeeded();
  const box = (await view.boundingBox())!;
  const from = Number(await diagram(page).getAttribute('data-from-ms'));
  await view.click({ position: { x: 3, y: 1 } });
  await expect(root(page)).toHaveAttribute('data-scrub', 'true');
  expect(Math.abs(Number(await attr(page, 'data-now-ms')) - from)).toBeLessThanOrEqual(2);
  // …and near the bottom edge is 1/8 of the span later: clicking there walks forward, up to the
  // present.
  for (let i = 0; i < 12; i++) await view.click({ position: { x: 3, y: box.height - 8 } });
  await expect(root(page)).not.toHaveAttribute('data-scrub', /.*/);
  await expect(root(page)).toHaveAttribute('data-now-ms', `${now}`);

  // Zoom: 250 ms → 500 ms → back → 100 ms (the narrowest: the button turns off).
  await diagram(page).locator('[data-action="zoom-out"]').click();
  await expect(diagram(page)).toHaveAttribute('data-span-ms', '500');
  await diagram(page).locator('[data-action="zoom-in"]').click();
  await diagram(page).locator('[data-action="zoom-in"]').click();
  await expect(diagram(page)).toHaveAttribute('data-span-ms', '100');
  await expect(diagram(page).locator('[data-action="zoom-in"]')).toBeDisabled();
  await diagram(page).locator('[data-action="zoom-out"]').click();

  // Drop a message by clicking its dot: its arrow ends in a red ✕. Crash S2: a crash mark.
  const dot = page.locator('svg.ring g.msg[data-msg-id]').first();
  await expect(dot).toBeVisible();
  const id = await dot.getAttribute('data-msg-id');
  await dot.click();
  const arrow = diagram(page).locator(`svg [data-msg-id="${id}"]`);
  await expect(arrow).toHaveCount(1);
  await expect(arrow.locator('text')).toContainText('✕');
  await page.keyboard.press('2');
  await page.keyboard.press('c');
  await expect(diagram(page).locator('svg text', { hasText: '✕ crash' })).toHaveCount(1);
  await expect(diagram(page).locator('svg text', { hasText: /^candidate T\d+$/ }).first()).toBeVisible();

  // In Chinese, the diagram's marks are Chinese too.
  await open(page, '/?lang=zh&seed=3&paused=1');
  await stepTo(page, 30);
  await page.keyboard.press('2');
  await page.keyboard.press('c');
  await expect(diagram(page).locator('svg text', { hasText: '✕ 宕机' })).toHaveCount(1);
  await expect(diagram(page).locator('svg text', { hasText: /^候选者 T\d+$/ }).first()).toBeVisible();
  await expect(diagram(page).locator('h2')).toHaveText('时空图');
  expect(errors).toEqual([]);
});

test('hovering an arrow highlights its message in the ring and in the feed, and the other way round', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '/?seed=3&paused=1');
  // Early, before any heartbeat round (whose lines fold into one until expanded).
  await stepTo(page, 3);
  // A message still in flight has a dot in the ring and a "sent" line in the feed.
  const dot = page.locator('svg.ring g.msg[data-msg-id]').first();
  const id = await dot.getAttribute('data-msg-id');
  const arrow = diagram(page).locator(`svg [data-msg-id="${id}"]`);
  await arrow.locator('line').first().hover({ force: true });
  await expect(page.locator(`svg.ring g.msg[data-msg-id="${id}"]`)).toHaveClass(/\bhover\b/);
  const lines = page.locator(`.feed-item[data-msg-id="${id}"]`);
  expect(await lines.count()).toBeGreaterThan(0);
  await expect(lines.first()).toHaveClass(/\bhover\b/);
  await expect(page.locator('.feed-item.hover')).toHaveCount(await lines.count());
  await expect(diagram(page).locator('.diagram-view')).toHaveAttribute('data-hover', id!);
  // Leaving the diagram clears it.
  await page.locator('.topbar').hover();
  await expect(page.locator('.msg.hover, .feed-item.hover')).toHaveCount(0);
  await expect(diagram(page).locator('.diagram-view')).not.toHaveAttribute('data-hover', /.*/);
  // The other way round: pointing at a dot in the ring, or at a feed line, highlights the arrow.
  await page.locator(`svg.ring g.msg[data-msg-id="${id}"] .hit`).hover({ force: true });
  await expect(diagram(page).locator('.diagram-view')).toHaveAttribute('data-hover', id!);
  await page.locator('.topbar').hover();
  await page.locator(`.feed-item[data-msg-id="${id}"]`).first().hover();
  await expect(diagram(page).locator('.diagram-view')).toHaveAttribute('data-hover', id!);
  await expect(page.locator(`svg.ring g.msg[data-msg-id="${id}"]`)).toHaveClass(/\bhover\b/);
  expect(errors).toEqual([]);
});

test('Export SVG downloads a standalone diagram of the kept run', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '/?protocol=twopc&seed=2&paused=1');
  await page.keyboard.press('1');
  await page.locator('[data-action="send-request"]').click();
  await stepTo(page, 14);
  await diagram(page).locator('[data-action="export-svg"]').click();
  const link = diagram(page).locator('a[data-download="svg"]');
  await expect(link).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('diagram.svg');
  const file = await download.path();
  const svg = fs.readFileSync(file!, 'utf8');
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trim().endsWith('</svg>')).toBe(true);
  expect(svg).not.toMatch(/href="http/);
  // Every message the run sent is an arrow (14 events: prepares, votes and their deliveries).
  expect((svg.match(/data-msg-id=/g) ?? []).length).toBeGreaterThan(3);
  expect(svg).toContain('S1');
  expect(errors).toEqual([]);
});

test('a scenario file loads as the run, exactly as `ballot` runs it; a bad one is a clear message', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?paused=1');
  await page.locator('[data-action="export-scenario"]').click();
  const box = page.locator('[data-scenario]');
  await expect(box).toHaveValue(/protocol raft/);
  for (const file of ['scenarios/paxos/04-dueling-backoff.scn', 'scenarios/raft/07-figure8-unsafe.scn']) {
    const text = fs.readFileSync(path.join(repo, file), 'utf8');
    await box.fill(text);
    await page.locator('[data-action="import-scenario"]').click();
    await expect(page.locator('[data-scenario-loaded]')).toBeVisible();
    await expect(root(page)).toHaveAttribute('data-fingerprint', fingerprintOf(cli('link', file)));
    await expect(root(page)).toHaveAttribute('data-playing', 'false');
  }
  // The unsafe Figure 8 run shows its violation; time travel works on a loaded run.
  await expect(root(page)).not.toHaveAttribute('data-violations', '0');
  const end = await attr(page, 'data-fingerprint');
  await page.keyboard.press(',');
  await expect(root(page)).toHaveAttribute('data-scrub', 'true');
  await page.keyboard.press('.');
  await expect(root(page)).toHaveAttribute('data-fingerprint', end);

  // Bad text: a message naming the line; the run on screen stays.
  for (const [text, words] of [
    ['protocol raft\ncluster 3\nexplode 2\n', /line 3.*unknown command/],
    ['protocol raft\ncluster 42\n', /line 2.*1 to 9/],
    ['protocol raft\nrun 1s\nexpect fingerprint 0123456789abcdef\n', /line 3.*fingerprint/],
    ['\u0000\u0001 garbage ☃\n'.repeat(50), /line 1/],
  ] as const) {
    await box.fill(text);
    await page.locator('[data-action="import-scenario"]').click();
    await expect(page.locator('[data-scenario-error]')).toContainText(words);
    await expect(root(page)).toHaveAttribute('data-fingerprint', end);
  }
  // Export → edit nothing → load: the same moment (the export ends with its fingerprint).
  await page.locator('[data-action="export-scenario"]').click();
  await page.locator('[data-action="export-scenario"]').click();
  await page.locator('[data-action="import-scenario"]').click();
  await expect(page.locator('[data-scenario-loaded]')).toBeVisible();
  await expect(root(page)).toHaveAttribute('data-fingerprint', end);
  expect(errors).toEqual([]);
  await expect(page.locator('[data-error]')).toHaveCount(0);
});

test('Reset takes a shared run out of the address', async ({ page }) => {
  const errors = watchErrors(page);
  const link = cli('link', 'scenarios/raft/02-leader-crash.scn');
  await page.goto(`/${link}`);
  await expect(root(page)).toHaveAttribute('data-fingerprint', fingerprintOf(link));
  await page.keyboard.press('r');
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('');
  await expect(root(page)).toHaveAttribute('data-events', '0');
  expect(errors).toEqual([]);
});

/** The share link of an hour of Raft with a crash every 10 minutes (made by the `ballot` CLI). */
function hourLongLink(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballot-'));
  const file = path.join(dir, 'hour.scn');
  const lines = ['# An hour of Raft with a crash every 10 minutes.', 'protocol raft', 'cluster 5', 'seed 1'];
  for (let i = 0; i < 5; i++) lines.push('run 600s', 'crash 2', 'run 10s', 'restart 2');
  lines.push('run 600s'); // 3650 s in all
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return cli('link', file);
}

test('an hour-long run: seeking anywhere takes about a frame', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const link = hourLongLink();
  await page.goto(`/${link}`);
  await expect(root(page)).toHaveAttribute('data-fingerprint', fingerprintOf(link), { timeout: 60_000 });
  const end = Number(await attr(page, 'data-now-ms'));
  expect(end).toBeGreaterThan(3_600_000);
  // Seek to 40 random moments through the scrubber (input event → reducer → render) and time each.
  const times: number[] = await page.evaluate(async (end) => {
    const scrub = document.querySelector('[data-control="scrub"]') as HTMLInputElement;
    const out: number[] = [];
    let x = 12345;
    for (let i = 0; i < 40; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const target = x % end;
      const root = document.getElementById('ballot')!;
      // The engine answers from its worker; a MutationObserver sees the render at once, without
      // spinning (which would keep the reply's message from being handled) or a timer's delay.
      const shown = new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          if (root.getAttribute('data-now-ms') === String(target)) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(root, { attributes: true, attributeFilter: ['data-now-ms'] });
      });
      const t0 = performance.now();
      scrub.value = String(target);
      scrub.dispatchEvent(new Event('input', { bubbles: true }));
      await shown;
      out.push(performance.now() - t0);
    }
    return out;
  }, end);
  times.sort((a, b) => a - b);
  console.log(`page seek on an hour-long run (40 seeks, incl. render): median ${times[20].toFixed(1)} ms, max ${times[39].toFixed(1)} ms`);
  // The strict budget (every seek ≤ 16 ms in the engine) is checked by scripts/bench-timeline.sh;
  // here a seek also crosses to the engine's worker and back and is drawn (18–32 ms median
  // measured here), and a shared CI machine gets slack; the next test checks that the page's
  // thread stays free during seeks.
  expect(times[20]).toBeLessThan(60);
  expect(errors).toEqual([]);
});

test('an hour-long run: 20 seeks through the scrubber leave the main thread free (no long task)', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  // Every task over 50 ms on the page's main thread is a `longtask` entry (the engine's worker
  // is not observed: its seeks may take as long as they like). Chromium hands them to the
  // observer's callback, a little after the task.
  type Observed = { longTasks: { start: number; ms: number }[]; longTaskObserver: PerformanceObserver };
  await page.addInitScript(() => {
    const w = window as unknown as Observed;
    const keep = (entries: PerformanceEntryList) =>
      w.longTasks.push(...entries.map((e) => ({ start: Math.round(e.startTime), ms: Math.round(e.duration) })));
    w.longTasks = [];
    w.longTaskObserver = new PerformanceObserver((list) => keep(list.getEntries()));
    w.longTaskObserver.observe({ type: 'longtask', buffered: true });
  });
  /** The long tasks observed so far (after 100 ms for the last ones to arrive); clears the list. */
  const takeLongTasks = () =>
    page.evaluate(async () => {
      await new Promise((r) => setTimeout(r, 100));
      const w = window as unknown as Observed;
      const taken = [
        ...w.longTasks,
        ...w.longTaskObserver.takeRecords().map((e) => ({ start: Math.round(e.startTime), ms: Math.round(e.duration) })),
      ];
      w.longTasks = [];
      return taken;
    });
  const link = hourLongLink();
  await page.goto(`/${link}`);
  await expect(root(page)).toHaveAttribute('data-fingerprint', fingerprintOf(link), { timeout: 60_000 });
  const end = Number(await attr(page, 'data-now-ms'));
  expect(end).toBeGreaterThan(3_600_000);
  const loading = await takeLongTasks(); // read and cleared: only the seeks count
  console.log(`long tasks while the page and the hour-long link loaded: ${JSON.stringify(loading)}`);
  // For the record, also the longest gap between two turns of a timer loop (every ~4 ms): how
  // long the main thread was unavailable, even below the 50 ms a long task needs.
  await page.evaluate(() => {
    const w = window as unknown as { maxGap: number };
    w.maxGap = 0;
    let last = performance.now();
    const beat = () => {
      const now = performance.now();
      w.maxGap = Math.max(w.maxGap, now - last);
      last = now;
      setTimeout(beat, 0);
    };
    setTimeout(beat, 0);
  });

  // 20 seeks, one into each twentieth of the run, in a scrambled order (back and forth).
  const targets = Array.from({ length: 20 }, (_, i) => Math.round((((i * 7) % 20) + 0.37) * (end / 20)));
  expect(new Set(targets.map((t) => Math.floor((t / end) * 20))).size).toBe(20);
  for (const target of targets) {
    await page.locator('[data-control="scrub"]').evaluate((el, target) => {
      const scrub = el as HTMLInputElement;
      scrub.value = String(target);
      scrub.dispatchEvent(new Event('input', { bubbles: true }));
      scrub.dispatchEvent(new Event('change', { bubbles: true }));
    }, target);
    await expect(root(page)).toHaveAttribute('data-now-ms', `${target}`, { timeout: 10_000 });
    await expect(root(page)).toHaveAttribute('data-scrub', 'true');
  }
  const seeking = await takeLongTasks();
  const max = Math.max(0, ...seeking.map((t) => t.ms));
  const gap = await page.evaluate(() => (window as unknown as { maxGap: number }).maxGap);
  console.log(
    `main thread during 20 seeks: ${seeking.length} long tasks (max ${max} ms) ${JSON.stringify(seeking)}; ` +
      `longest gap between timer turns ${gap.toFixed(1)} ms`,
  );
  expect(seeking, 'long tasks (> 50 ms) on the main thread while seeking').toEqual([]);
  expect(errors).toEqual([]);
});
