// The playground shell: it loads cleanly, stays on its own origin, draws five nodes and
// speaks both languages. (`?paused=1` keeps the cluster in its initial state where a test
// looks at it.)
import { test, expect, type Page } from '@playwright/test';

/** Records everything that should never happen on a healthy page load. */
function watch(page: Page, baseURL: string) {
  const origin = new URL(baseURL).origin;
  const problems = {
    consoleErrors: [] as string[],
    pageErrors: [] as string[],
    failedRequests: [] as string[],
    foreignRequests: [] as string[],
  };
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
  page.on('request', (req) => {
    const url = new URL(req.url());
    // data: and blob: URLs never leave the machine; everything else must be same-origin.
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin) {
      problems.foreignRequests.push(req.url());
    }
  });
  page.on('requestfailed', (req) =>
    problems.failedRequests.push(`${req.url()}: ${req.failure()?.errorText}`),
  );
  page.on('response', (res) => {
    if (res.status() >= 400) problems.failedRequests.push(`${res.url()}: HTTP ${res.status()}`);
  });
  return problems;
}

async function open(page: Page, path = '/') {
  await page.goto(path);
  await expect(page.locator('#ballot.playground')).toBeVisible();
}

test.describe('with an English browser', () => {
  test.use({ locale: 'en-US' });

  test('loads with no error, no failed request and nothing off-origin', async ({ page, baseURL }) => {
    const problems = watch(page, baseURL!);
    await open(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ballot');
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [] });
    await expect(page.locator('[data-error]')).toHaveCount(0);
  });

  test('wasm and js are served with the right types', async ({ page }) => {
    const types = new Map<string, string>();
    page.on('response', (res) => {
      const path = new URL(res.url()).pathname;
      if (/\.(wasm|js)$/.test(path)) types.set(path, res.headers()['content-type'] ?? '');
    });
    await open(page);
    await expect(page.locator('svg.ring [data-node-id]')).toHaveCount(5);
    // The UI's module and the engine of the protocol shown (Raft), nothing else: the other
    // engines load only when their protocol is chosen.
    const wasm = [...types].filter(([p]) => p.endsWith('.wasm')).map(([p]) => p).sort();
    expect(wasm, 'the UI wasm and one engine wasm are fetched').toEqual([
      expect.stringMatching(/^\/ballot-web-[0-9a-f]+_bg\.wasm$/),
      '/engine-raft_bg.wasm',
    ]);
    for (const [path, type] of types) {
      expect(type, path).toBe(path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript; charset=utf-8');
    }
  });

  test('draws a ring of five idle followers', async ({ page }) => {
    await open(page, '/?paused=1');
    const nodes = page.locator('svg.ring [data-node-id]');
    await expect(nodes).toHaveCount(5);
    for (let id = 1; id <= 5; id++) {
      const node = page.locator(`[data-node-id="${id}"]`);
      await expect(node).toHaveAttribute('data-role', 'follower');
      await expect(node).toHaveAttribute('data-term', '0');
      await expect(node).toContainText(`S${id}`);
      await expect(node.locator('circle.shape')).toBeVisible();
    }
  });

  test('starts in English and toggles to Chinese and back, remembering the choice', async ({ page }) => {
    await open(page, '/?paused=1');
    const tagline = page.locator('[data-i18n="tagline"]');
    const en = page.locator('button[data-lang="en"]');
    const zh = page.locator('button[data-lang="zh-CN"]');

    await expect(tagline).toHaveText(/consensus protocols/);
    await expect(en).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');

    await zh.click();
    await expect(tagline).toHaveText(/共识协议/);
    await expect(zh).toHaveAttribute('aria-pressed', 'true');
    await expect(en).toHaveAttribute('aria-pressed', 'false');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.locator('[data-node-id="1"]')).toContainText('跟随者');

    await page.reload();
    await expect(page.locator('[data-i18n="tagline"]')).toHaveText(/共识协议/);

    await en.click();
    await expect(tagline).toHaveText(/consensus protocols/);
    await expect(page.locator('[data-node-id="1"]')).toContainText('follower');
    expect(await page.evaluate(() => localStorage.getItem('ballot.lang'))).toBe('en');
  });

  test('a Rust panic shows a visible error box instead of a blank page', async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto('/?selftest=panic');
    const box = page.locator('[data-error]');
    await expect(box).toBeVisible();
    await expect(box).toContainText('self-test panic');
    expect(errors.join('\n')).toContain('ballot-web panicked');
  });
});

test.describe('with a Chinese browser', () => {
  test.use({ locale: 'zh-CN' });

  test('defaults to Simplified Chinese from navigator.language', async ({ page }) => {
    await open(page);
    await expect(page.locator('[data-i18n="tagline"]')).toHaveText(/共识协议/);
    await expect(page.locator('button[data-lang="zh-CN"]')).toHaveAttribute('aria-pressed', 'true');
  });
});
