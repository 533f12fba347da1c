// Hosting the built bundle: dist/ under a sub-path of a static host (a GitHub Pages project site
// is https://USER.github.io/REPO/), dist/index.html opened as a file, and an engine that cannot
// load. Every test here plays or waits on page loads; none steps. The sub-path runs on a second
// tests/browser/serve-dist.mjs, started by this spec on a free port, that logs every path asked
// of it, so a request the page (or an engine's Web Worker) makes outside the prefix is seen even
// where Playwright does not report it.
import { test, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { attr, repo, root, watchErrors } from './helpers';

test.use({ locale: 'en-US' });

const dist = path.join(repo, 'dist');
const prefix = '/ballot/';

type Server = { base: string; paths: string[]; process: ChildProcess; settled: () => Promise<void> };

/** Starts serve-dist.mjs on a free port serving dist/ under `prefix`; resolves once it listens. */
function serveUnder(prefix: string): Promise<Server> {
  const child = spawn(process.execPath, [path.join(__dirname, 'serve-dist.mjs'), dist, '0', prefix], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const paths: string[] = [];
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`serve-dist.mjs exited (${code})`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const serving = line.match(/^serving .* on (http:\/\/127\.0\.0\.1:\d+\/\S*)$/);
      if (serving) {
        const base = serving[1];
        // Asks for one more path and waits for its log line: every request answered before it
        // has been read too.
        const settled = async () => {
          const marker = `${new URL(base).pathname}.settled-${Date.now()}`;
          await fetch(new URL(marker, base));
          await expect.poll(() => paths.includes(marker)).toBe(true);
          paths.splice(paths.indexOf(marker), 1);
        };
        resolve({ base, paths, process: child, settled });
      }
      const request = line.match(/^[A-Z]+ (\S+) \d+$/);
      if (request) paths.push(request[1]);
    });
  });
}

/** Failed requests and responses with status >= 400, anywhere (page or worker). */
function watchFailures(page: Page): string[] {
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
  return failed;
}

test.describe(`dist/ served under ${prefix}`, () => {
  let server: Server;
  test.beforeAll(async () => {
    server = await serveUnder(prefix);
    expect(new URL(server.base).pathname).toBe(prefix);
  });
  test.afterAll(() => {
    server?.process.kill();
  });

  for (const entry of ['', 'index.html']) {
    test(`${prefix}${entry} runs Raft, loads Paxos' engine on demand, shares a link, and asks for nothing outside ${prefix}`, async ({
      page,
      context,
    }) => {
      server.paths.length = 0;
      const errors = watchErrors(page);
      const failed = watchFailures(page);
      const asked: string[] = [];
      context.on('request', (r) => asked.push(r.url()));
      const address = `${server.base}${entry}`;

      await page.goto(`${address}?speed=10`);
      await expect(page.locator('svg.ring [data-node-id]')).toHaveCount(5);
      await expect(page.locator('[data-fallback]')).toBeHidden();
      await expect(page.locator('svg.ring [data-role="leader"]')).toHaveCount(1, { timeout: 10_000 });
      await expect(root(page)).toHaveAttribute('data-leader', /^[1-5]$/);

      // The picker starts Paxos' engine: a new Web Worker fetches engine-paxos*, relative to the page.
      await page.locator('[data-control="protocol"]').selectOption('paxos');
      await expect(root(page)).toHaveAttribute('data-protocol', 'paxos');
      await expect(page.locator('svg.ring [data-role="acceptor"], svg.ring [data-role="proposer"]')).toHaveCount(5);
      await expect(page.locator('[data-property="Agreement"]')).toHaveAttribute('data-holds', 'true');

      // A share link points at the sub-path and reopens the same moment in a fresh page.
      await page.locator('[data-action="share"]').click();
      const link = await page.locator('[data-share-url]').inputValue();
      expect(link.startsWith(`${address}?speed=10#run=`), link).toBe(true);
      const fingerprint = await attr(page, 'data-fingerprint');
      const second = await context.newPage();
      const secondErrors = watchErrors(second);
      const secondFailed = watchFailures(second);
      await second.goto(link);
      await expect(root(second)).toHaveAttribute('data-fingerprint', fingerprint);
      await expect(root(second)).toHaveAttribute('data-protocol', 'paxos');
      await second.close();

      // The server saw the page, both engines (worker requests included) and nothing else.
      await server.settled();
      for (const file of [
        'boot.js',
        'engine.js?p=raft',
        'engine-raft.js',
        'engine-raft_bg.wasm',
        'engine.js?p=paxos',
        'engine-paxos.js',
        'engine-paxos_bg.wasm',
      ]) {
        expect(server.paths, file).toContain(`${prefix}${file}`);
      }
      expect(server.paths.filter((p) => !p.startsWith(prefix))).toEqual([]);
      const origin = new URL(server.base).origin;
      const outside = asked.filter((u) => !u.startsWith(server.base) && !u.startsWith('data:') && !u.startsWith('blob:'));
      expect(outside).toEqual([]);
      expect(asked.filter((u) => u.startsWith(origin)).length).toBeGreaterThan(5);
      expect([...failed, ...secondFailed]).toEqual([]);
      expect([...errors, ...secondErrors]).toEqual([]);
      await expect(page.locator('[data-error]')).toHaveCount(0);
    });
  }
});

test('opened as a file, the page explains in English and Chinese that it must be served over HTTP', async ({ page }) => {
  const opened = Date.now();
  await page.goto(pathToFileURL(path.join(dist, 'index.html')).href);
  const fallback = page.locator('[data-fallback]');
  // toBeVisible() passes at opacity 0 (the fade starts there), so the computed opacity is checked
  // too. The fallback's style is inline in index.html, so the message is styled even where the
  // stylesheet does not load.
  await expect(fallback).toBeVisible();
  expect(await fallback.evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe('solid');
  await expect
    .poll(() => fallback.evaluate((el) => Number(getComputedStyle(el).opacity)), { timeout: 5_000 - (Date.now() - opened) })
    .toBe(1);
  await expect(fallback.locator('p[lang="en"]')).toContainText('must be served over HTTP');
  await expect(fallback).toContainText('trunk serve');
  await expect(fallback.locator('p[lang="zh-CN"]')).toContainText('必须通过 HTTP');
  const box = (await fallback.boundingBox())!;
  expect(box.width).toBeGreaterThan(200);
  expect(box.height).toBeGreaterThan(50);
  // Nothing else drew: the app never started (module scripts do not load from file://).
  await expect(page.locator('#ballot')).toHaveCount(0);
});

test('over HTTP, an app that cannot load shows the boot error and the fallback fades in', async ({ page }) => {
  await page.route('**/ballot-web-*_bg.wasm', (r) => r.fulfill({ status: 404, body: 'x' }));
  const opened = Date.now();
  await page.goto('/?paused=1');
  const boot = page.locator('[data-error="boot"]');
  await expect(boot).toBeVisible();
  await expect(boot).toContainText('Ballot could not start');
  const fallback = page.locator('[data-fallback]');
  await expect
    .poll(() => fallback.evaluate((el) => Number(getComputedStyle(el).opacity)), { timeout: 5_000 - (Date.now() - opened) })
    .toBe(1);
  await expect(fallback).toBeVisible();
  await expect(fallback.locator('p[lang="zh-CN"]')).toContainText('必须通过 HTTP');
  await expect(page.locator('#ballot')).toHaveCount(0);
});

test('an engine that cannot load is a visible, readable error, not a blank page', async ({ page }) => {
  let refused = 0;
  await page.route('**/engine-raft_bg.wasm', (r) => {
    refused++;
    return r.fulfill({ status: 404, body: 'x' });
  });
  await page.goto('/?paused=1');
  const box = page.locator('[data-error="engine"]');
  await expect(box).toBeVisible();
  await expect(box).toHaveAttribute('role', 'alert');
  await expect(box).toContainText('The protocol engine could not start');
  await expect(box).toContainText('trunk serve');
  await expect(box).toContainText('raft engine could not load');
  await expect(page.locator('.loading-note')).toHaveCount(0);
  expect(refused).toBeGreaterThan(0);
  // The page around it is the app's, not the no-script fallback, and nothing pretends to run.
  await expect(page.locator('[data-fallback]')).toBeHidden();
  await expect(root(page)).toBeVisible();
  await expect(page.locator('svg.ring [data-node-id]')).toHaveCount(0);
});
