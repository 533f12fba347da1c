// The playground running Raft: elections, crashes, client requests, bad URL parameters,
// violations, dropping messages by hand, narration in two languages, shortcuts and layout.
// Stepping or playing: every test opens `?paused=1` and steps with the `.` key, which processes
// exactly one simulator event (`stepUntil` waits for each one), so it is deterministic, except
// the three whose point is that the page plays by itself in real time: "loads and runs…"
// (`?speed=10`), "plays by itself on load" and "bad URL parameters…" (the default run still
// runs). "keyboard shortcuts…" toggles play and pause but waits on no clock.
import { test, expect, type Page } from '@playwright/test';
import { stepUntil } from './helpers';

test.use({ locale: 'en-US' });

const root = (page: Page) => page.locator('#ballot');

async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(root(page)).toBeVisible();
  await expect(page.locator('svg.ring [data-node-id]').first()).toBeVisible();
}

async function attr(page: Page, name: string): Promise<string> {
  return (await root(page).getAttribute(name)) ?? '';
}

const leaders = (page: Page) => page.locator('svg.ring [data-role="leader"]');

/** Steps until exactly one server is leader and returns its id and term. */
async function theLeader(page: Page): Promise<{ id: string; term: number }> {
  const leader = leaders(page);
  await stepUntil(page, async () => (await leader.count()) === 1);
  await expect(leader).toHaveCount(1);
  const id = (await leader.getAttribute('data-node-id'))!;
  const term = Number(await leader.getAttribute('data-term'));
  return { id, term };
}

test('loads and runs with no console error and no request leaving the origin', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.origin !== origin) foreign.push(r.url());
  });
  await open(page, '/?speed=10&loss=10&dup=10');
  await expect.poll(async () => Number(await attr(page, 'data-now-ms'))).toBeGreaterThan(2000);
  await expect(root(page)).toHaveAttribute('data-playing', 'true');
  await expect(root(page)).toHaveAttribute('data-fingerprint', /^[0-9a-f]{16}$/);
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
  await expect(page.locator('[data-error]')).toHaveCount(0);
});

test('plays by itself on load: time flows slowly and messages appear', async ({ page }) => {
  await open(page, '/');
  await expect(root(page)).toHaveAttribute('data-playing', 'true');
  await expect(page.locator('[data-msg]').first()).toBeVisible({ timeout: 8_000 });
  // Default speed is 1/40×: after a few seconds of wall time, well under a second of protocol time.
  expect(Number(await attr(page, 'data-now-ms'))).toBeLessThan(1500);
  const dot = page.locator('[data-msg]').first();
  for (const a of ['data-msg-id', 'data-from', 'data-to']) {
    expect(await dot.getAttribute(a)).toMatch(/^\d+$/);
  }
});

test('a leader is elected', async ({ page }) => {
  await open(page, '/?paused=1');
  const { id, term } = await theLeader(page);
  expect(term).toBeGreaterThanOrEqual(1);
  await expect(root(page)).toHaveAttribute('data-leader', id);
  await expect(page.locator(`[data-node-id="${id}"]`)).toContainText('leader');
});

test('crashing the leader from the node panel elects a new leader in a higher term', async ({ page }) => {
  await open(page, '/?paused=1');
  const old = await theLeader(page);
  await page.locator(`svg.ring [data-node-id="${old.id}"]`).click();
  await expect(page.locator(`[data-panel-node="${old.id}"]`)).toBeVisible();
  await page.locator('[data-action="crash"]').click();
  const crashed = page.locator(`svg.ring [data-node-id="${old.id}"]`);
  await expect(crashed).toHaveAttribute('data-role', 'crashed');
  await expect(crashed).toHaveAttribute('data-up', 'false');
  const newTerm = async () => {
    const leader = leaders(page);
    if ((await leader.count()) !== 1) return 0;
    return Number(await leader.getAttribute('data-term'));
  };
  await stepUntil(page, async () => (await newTerm()) > old.term);
  expect(await newTerm()).toBeGreaterThan(old.term);
  expect(await attr(page, 'data-leader')).not.toBe(old.id);
  // Restarting brings it back as a follower.
  await page.locator('[data-action="crash"]').click();
  await expect(crashed).toHaveAttribute('data-up', 'true');
});

test('a client request typed into the UI is committed on a majority', async ({ page }) => {
  await open(page, '/?paused=1&size=5');
  const { id } = await theLeader(page);
  await page.locator(`svg.ring [data-node-id="${id}"]`).click();
  const box = page.locator('[data-request-input]');

  // Bad input is refused with the parser's message, not a panic.
  await box.fill('set x');
  await page.locator('[data-action="send-request"]').click();
  await expect(page.locator('[data-request-error]')).toContainText('expected `set KEY VALUE`');

  await box.fill('x=5');
  await page.locator('[data-action="send-request"]').click();
  await expect(page.locator('[data-request-error]')).toHaveCount(0);
  const committed = page.locator('[data-log-node] [data-committed="true"]').filter({ hasText: 'x=5' });
  await stepUntil(page, async () => (await committed.count()) >= 3);
  expect(await committed.count()).toBeGreaterThanOrEqual(3);
  // The commit index of a majority of rows covers the entry.
  const index = await committed.first().getAttribute('data-index');
  const covering = await page
    .locator('[data-log-node]')
    .evaluateAll((rows, i) => rows.filter((r) => Number(r.getAttribute('data-commit-index')) >= Number(i)).length, index);
  expect(covering).toBeGreaterThanOrEqual(3);
  await expect(page.locator('[data-error]')).toHaveCount(0);
});

test('bad URL parameters show dismissible messages and the default cluster still runs', async ({ page }) => {
  await open(page, '/?size=42&seed=abc&speed=-1&bug=no-such-bug');
  const problems = page.locator('[data-problem]');
  await expect(problems).toHaveCount(4);
  await expect(page.locator('[data-problem="size"]')).toContainText('size=42');
  await expect(page.locator('[data-problem="size"]')).toContainText('Using 5');
  await expect(page.locator('[data-problem="seed"]')).toContainText('seed=abc');
  await expect(page.locator('[data-problem="speed"]')).toContainText('0.025');
  await expect(page.locator('[data-problem="bug"]')).toContainText('no-such-bug');
  await expect(page.locator('svg.ring [data-node-id]')).toHaveCount(5);
  await expect(page.locator('.controls')).toHaveAttribute('data-bug', 'none');
  const t0 = Number(await attr(page, 'data-now-ms'));
  await expect.poll(async () => Number(await attr(page, 'data-now-ms'))).toBeGreaterThan(t0);
  await page.locator('[data-problem="size"] [data-action="dismiss"]').click();
  await expect(problems).toHaveCount(3);
  await expect(page.locator('[data-error]')).toHaveCount(0);
});

test('the bug selector restarts the run with the chosen broken variant', async ({ page }) => {
  await open(page, '/?paused=1');
  await page.locator('[data-control="bug"]').selectOption('commit-previous-term');
  await expect(page.locator('.controls')).toHaveAttribute('data-bug', 'commit-previous-term');
  await expect(page.locator('[data-bug-desc]')).toContainText('Figure 8');
  await page.locator('[data-control="size"]').selectOption('7');
  await expect(page.locator('svg.ring [data-node-id]')).toHaveCount(7);
  await expect(page.locator('.controls')).toHaveAttribute('data-bug', 'commit-previous-term');
});

test('with forget-vote-on-restart, a deterministic run shows an Election Safety violation', async ({ page }) => {
  // S3 sleeps through term 1; S1 wins it with S2's vote and is then cut off; S2 restarts
  // without its vote (the bug) and votes again, for S3, in the same term: two leaders of term 1.
  await open(page, '/?size=3&paused=1&bug=forget-vote-on-restart');
  await expect(page.locator('[data-control="bug"]')).toHaveValue('forget-vote-on-restart');
  await expect(page.locator('.controls')).toHaveAttribute('data-bug', 'forget-vote-on-restart');
  const key = (k: string) => page.keyboard.press(k);
  await key('3');
  await key('c');
  await expect(page.locator('[data-node-id="3"]')).toHaveAttribute('data-role', 'crashed');
  await key('1');
  await key('t');
  await stepUntil(page, async () => (await attr(page, 'data-leader')) === '1');
  await page.locator('[data-action="partition"]').click();
  await page.locator('svg.ring [data-node-id="1"]').click(); // S1 → group B
  await page.locator('[data-action="apply-partition"]').click();
  await key('2');
  await key('c');
  await key('c');
  await key('3');
  await key('c');
  await key('t');
  await stepUntil(page, async () => Number(await attr(page, 'data-violations')) > 0, 100);
  await expect(page.locator('[data-violation-banner]')).toBeVisible();
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  const prop = page.locator('[data-property="Election Safety"]');
  await expect(prop).toHaveAttribute('data-holds', 'false');
  await expect(prop).toContainText('S1');
  await expect(page.locator('[data-property="Log Matching"]')).toHaveAttribute('data-holds', 'true');
  await expect(page.locator('.feed-item.violation').first()).toContainText('SAFETY VIOLATION');
  await expect(page.locator('svg.ring [data-role="leader"]')).toHaveCount(2);
});

test('clicking a message dot drops it', async ({ page }) => {
  await open(page, '/?size=3&paused=1');
  await page.keyboard.press('1');
  await page.keyboard.press('t');
  const dots = page.locator('[data-msg="RV"]');
  await expect(dots).toHaveCount(2);
  const id = (await dots.first().getAttribute('data-msg-id'))!;
  const to = await dots.first().getAttribute('data-to');
  await dots.first().click();
  await expect(page.locator(`svg.ring [data-msg-id="${id}"]`)).toHaveCount(0);
  await expect(page.locator('[data-msg="RV"]')).toHaveCount(1);
  await expect(page.locator('.feed-item').first()).toContainText(`RV from S1 to S${to} not delivered: dropped by you`);
});

test('the language toggle re-narrates the feed in Chinese', async ({ page }) => {
  await open(page, '/?size=3&paused=1');
  await page.keyboard.press('1');
  await page.keyboard.press('t');
  const first = page.locator('.feed-item').first();
  await expect(first).toContainText('S1 sent RV to S3');
  await page.locator('button[data-lang="zh-CN"]').click();
  await expect(root(page)).toHaveAttribute('data-lang', 'zh-CN');
  await expect(first).toContainText('S1 发送 RV 给 S3');
  await expect(page.locator('[data-node-id="1"]')).toContainText('候选者');
  await expect(page.locator('.invariants')).toContainText('选举安全');
  await page.locator('button[data-lang="en"]').click();
  await expect(first).toContainText('S1 sent RV to S3');
});

test('?lang=zh starts in Chinese', async ({ page }) => {
  await open(page, '/?lang=zh&paused=1');
  await expect(root(page)).toHaveAttribute('data-lang', 'zh-CN');
  await expect(page.locator('[data-i18n="tagline"]')).toHaveText(/共识协议/);
});

test('keyboard shortcuts work, but not while typing', async ({ page }) => {
  await open(page, '/?paused=1');
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  await page.keyboard.press(' ');
  await expect(root(page)).toHaveAttribute('data-playing', 'true');
  await page.keyboard.press(' ');
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  // Space on a focused button toggles once (the shortcut, not also the button's own click).
  await page.locator('[data-action="play"]').click();
  await expect(root(page)).toHaveAttribute('data-playing', 'true');
  await page.keyboard.press(' ');
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  // No timer: another key after Space is handled after everything Space caused (a second
  // toggle by the focused button's own click included), so once it shows, so would that.
  await page.keyboard.press('?');
  await expect(page.locator('[data-help]')).toBeVisible();
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-help]')).toHaveCount(0);
  await page.locator('[data-action="reset"]').click();
  const speed = page.locator('output[data-speed]');
  await expect(speed).toHaveText('1/40×');
  await page.keyboard.press('+');
  await expect(speed).toHaveText('1/20×');
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await expect(speed).toHaveText('1/80×');
  await page.keyboard.press('?');
  await expect(page.locator('[data-help]')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-help]')).toHaveCount(0);

  await page.keyboard.press('.');
  await page.keyboard.press('ArrowRight');
  await expect(root(page)).toHaveAttribute('data-events', '2');
  await page.keyboard.press('2');
  await expect(page.locator('[data-panel-node="2"]')).toBeVisible();
  await page.keyboard.press('q');
  await expect(page.locator('[data-request-input]')).toBeFocused();
  await page.keyboard.type(' r c t . 1');
  await expect(page.locator('[data-node-id="2"]')).toHaveAttribute('data-up', 'true');
  await expect(root(page)).toHaveAttribute('data-events', '2');
  await page.locator('[data-request-input]').blur();
  await page.keyboard.press('r');
  await expect(root(page)).toHaveAttribute('data-events', '0');
});

test('the layout fits a 360 px wide page', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await open(page, '/?paused=1');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.locator('svg.ring')).toBeVisible();
  await expect(page.locator('.logs')).toBeVisible();
});
