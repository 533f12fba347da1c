// The protocol picker and the views of Paxos, Multi-Paxos and two-phase commit: each protocol's
// happy path and one fault, the picker by URL and by control, a bad `?protocol=`, and no console
// error for any protocol. Like playground.spec.ts, these read only the DOM's data attributes.
// Stepping or playing: every test opens `?paused=1` and steps with the `.` key, one simulator
// event at a time (`stepUntil` waits for each), so it is deterministic, except "NAME runs with no
// console error" (one per protocol), which plays at `?speed=10` with loss and duplication on
// purpose: it is the check that real-time play of every protocol stays clean.
import { test, expect, type Page } from '@playwright/test';
import { stepUntil } from './helpers';

test.use({ locale: 'en-US' });

const root = (page: Page) => page.locator('#ballot');
const node = (page: Page, id: number | string) => page.locator(`svg.ring [data-node-id="${id}"]`);

async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(root(page)).toBeVisible();
  await expect(page.locator('svg.ring [data-node-id]').first()).toBeVisible();
}

async function attr(page: Page, name: string): Promise<string> {
  return (await root(page).getAttribute(name)) ?? '';
}

/** Selects server `id` and sends it `text` through the node panel. */
async function request(page: Page, id: number | string, text: string) {
  await node(page, id).click();
  await expect(page.locator(`[data-panel-node="${id}"]`)).toBeVisible();
  await page.locator('[data-request-input]').fill(text);
  await page.locator('[data-action="send-request"]').click();
  await expect(page.locator('[data-request-error]')).toHaveCount(0);
}

/** Selects server `id` and clicks its crash/restart button. */
async function toggleCrash(page: Page, id: number | string) {
  await node(page, id).click();
  await page.locator('[data-action="crash"]').click();
}

/** Steps until `ms` more virtual milliseconds have passed. */
async function stepVirtual(page: Page, ms: number) {
  const t0 = Number(await attr(page, 'data-now-ms'));
  await stepUntil(page, async () => Number(await attr(page, 'data-now-ms')) > t0 + ms, 2_000);
}

/** Waits (playing) until `ms` more virtual milliseconds have passed. */
async function waitVirtual(page: Page, ms: number) {
  const t0 = Number(await attr(page, 'data-now-ms'));
  await expect.poll(async () => Number(await attr(page, 'data-now-ms')), { timeout: 15_000 }).toBeGreaterThan(t0 + ms);
}

const participants = (page: Page) => page.locator('svg.ring [data-role="participant"]');

test.describe('two-phase commit', () => {
  test('a request commits on every participant', async ({ page }) => {
    await open(page, '/?protocol=twopc&paused=1&size=5');
    await expect(root(page)).toHaveAttribute('data-protocol', 'twopc');
    await expect(node(page, 1)).toHaveAttribute('data-role', 'coordinator');
    await expect(node(page, 1).locator('rect.shape')).toBeVisible();
    await expect(participants(page)).toHaveCount(4);
    await expect(page.locator('[data-state="working"][data-role="participant"]')).toHaveCount(4);
    await request(page, 1, 'set x 5');
    const committed = page.locator('svg.ring [data-role="participant"][data-state="committed"]');
    await stepUntil(page, async () => (await committed.count()) === 4);
    await expect(committed).toHaveCount(4);
    await expect(node(page, 1)).toHaveAttribute('data-state', 'committed');
    await expect(page.locator('[data-rm-row]').filter({ hasText: 'x=5' })).toHaveCount(4);
    await expect(page.locator('[data-in-doubt="true"]')).toHaveCount(0);
    await expect(page.locator('[data-property="Atomicity"]')).toHaveAttribute('data-holds', 'true');
    await expect(page.locator('[data-property="Commit Validity"]')).toHaveAttribute('data-holds', 'true');
    await expect(page.locator('.feed-item').filter({ hasText: 'commit' }).first()).toBeVisible();
  });

  test('a coordinator crash after the votes leaves participants in doubt until it restarts', async ({ page }) => {
    await open(page, '/?protocol=twopc&size=4&paused=1');
    await request(page, 1, 'set x 5');
    // One event at a time until every participant has voted yes (prepared).
    const prepared = page.locator('svg.ring [data-role="participant"][data-state="prepared"]');
    await stepUntil(page, async () => (await prepared.count()) === 3);
    await toggleCrash(page, 1);
    await expect(node(page, 1)).toHaveAttribute('data-up', 'false');
    await expect(page.locator('svg.ring [data-in-doubt="true"]')).toHaveCount(3);
    await expect(page.locator('svg.ring [data-in-doubt="true"] [data-hourglass]')).toHaveCount(3);
    const banner = page.locator('[data-in-doubt-banner]');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('may neither commit nor abort');
    await expect(banner).toContainText('coordinator is down');
    // Blocked: time passes, status queries go unanswered, nobody decides alone.
    await stepVirtual(page, 1500);
    await expect(page.locator('svg.ring [data-in-doubt="true"]')).toHaveCount(3);
    await expect(prepared).toHaveCount(3);
    // The banner speaks Chinese too.
    await page.locator('button[data-lang="zh-CN"]').click();
    await expect(banner).toContainText('存疑');
    await page.locator('button[data-lang="en"]').click();
    // The coordinator comes back: everyone ends in the same final state.
    await toggleCrash(page, 1);
    await expect(node(page, 1)).toHaveAttribute('data-up', 'true');
    const inDoubt = page.locator('svg.ring [data-in-doubt="true"]');
    const finalStates = async () => {
      const states = await participants(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
      return [...new Set(states)].join(',');
    };
    await stepUntil(page, async () => (await inDoubt.count()) === 0 && /^(committed|aborted)$/.test(await finalStates()));
    await expect(inDoubt).toHaveCount(0);
    expect(await finalStates()).toMatch(/^(committed|aborted)$/);
    await expect(banner).toHaveCount(0);
    expect(await attr(page, 'data-violations')).toBe('0');
  });
});

test.describe('Paxos', () => {
  test('a client value is chosen and the banner shows it', async ({ page }) => {
    await open(page, '/?protocol=paxos&paused=1&size=5');
    await expect(node(page, 1)).toHaveAttribute('data-role', 'acceptor');
    await expect(node(page, 1)).toHaveAttribute('data-promised', '');
    await expect(page.locator('[data-chosen-banner]')).toHaveCount(0);
    await request(page, 2, 'x=5');
    await stepUntil(page, async () => (await attr(page, 'data-chosen')) === 'x=5');
    await expect(root(page)).toHaveAttribute('data-chosen', 'x=5');
    const banner = page.locator('[data-chosen-banner]');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('chosen: x=5');
    // A majority of acceptors accepted x=5 in S2's ballot (round.2) and promised it.
    const accepted = page.locator('svg.ring [data-accepted$=".2 x=5"]');
    await stepUntil(page, async () => (await accepted.count()) >= 3);
    expect(await accepted.count()).toBeGreaterThanOrEqual(3);
    await expect(page.locator('svg.ring [data-promised$=".2"]')).not.toHaveCount(0);
    const term = Number(await node(page, 2).getAttribute('data-term'));
    expect(term).toBeGreaterThanOrEqual(1);
    await expect(page.locator('[data-property="Agreement"]')).toHaveAttribute('data-holds', 'true');
    await expect(page.locator('[data-paxos-row="2"]')).toContainText('x=5');
  });

  test('a proposer shows its phase and promises counted against the quorum', async ({ page }) => {
    await open(page, '/?protocol=paxos&size=5&paused=1');
    await request(page, 1, 'x=5');
    await expect(node(page, 1)).toHaveAttribute('data-role', 'proposer');
    await expect(node(page, 1)).toHaveAttribute('data-phase', 'prepare');
    await expect(node(page, 1)).toContainText('promises 1/3');
    await expect(page.locator('[data-msg="P(1.1)"]')).toHaveCount(4);
    await stepUntil(page, async () => (await node(page, 1).getAttribute('data-phase')) === 'accept');
    await expect(node(page, 1)).toContainText(/accepts \d\/3/);
  });

  test('with a minority of acceptors down a value is still chosen; with a majority down it is not', async ({ page }) => {
    await open(page, '/?protocol=paxos&paused=1&size=5');
    await toggleCrash(page, 4);
    await toggleCrash(page, 5);
    await expect(page.locator('svg.ring [data-up="false"]')).toHaveCount(2);
    await request(page, 1, 'x=5');
    await stepUntil(page, async () => (await attr(page, 'data-chosen')) === 'x=5');
    await expect(root(page)).toHaveAttribute('data-chosen', 'x=5');

    await open(page, '/?protocol=paxos&paused=1&size=5');
    for (const id of [3, 4, 5]) await toggleCrash(page, id);
    await request(page, 1, 'x=7');
    await stepVirtual(page, 2000);
    expect(await root(page).getAttribute('data-chosen')).toBeNull();
    await expect(page.locator('[data-chosen-banner]')).toHaveCount(0);
    // One acceptor back makes a majority: the proposer's next round succeeds.
    await toggleCrash(page, 3);
    await stepUntil(page, async () => (await attr(page, 'data-chosen')) === 'x=7', 2_000);
    await expect(root(page)).toHaveAttribute('data-chosen', 'x=7');
  });
});

test.describe('Multi-Paxos', () => {
  /** Steps until exactly one server is leader and returns its id. */
  async function theLeader(page: Page): Promise<string> {
    const leader = page.locator('svg.ring [data-role="leader"]');
    await stepUntil(page, async () => (await leader.count()) === 1);
    await expect(leader).toHaveCount(1);
    return (await leader.getAttribute('data-node-id'))!;
  }

  /** Steps until at least `n` rows show `value` chosen. */
  async function stepUntilChosen(page: Page, value: string, n = 3) {
    await stepUntil(page, async () => (await chosenRows(page, value).count()) >= n);
    expect(await chosenRows(page, value).count()).toBeGreaterThanOrEqual(n);
  }

  /** Rows whose cell for `value` is chosen. */
  const chosenRows = (page: Page, value: string) =>
    page.locator('[data-slot-node]').filter({ has: page.locator('[data-chosen="true"]', { hasText: value }) });

  test('an elected leader gets two requests chosen on a majority and applied', async ({ page }) => {
    await open(page, '/?protocol=multipaxos&paused=1&size=5');
    const leader = await theLeader(page);
    await expect.poll(() => attr(page, 'data-leader')).toBe(leader);
    await expect(node(page, leader).locator('.star')).toBeVisible();
    await request(page, leader, 'x=1');
    await page.locator('[data-request-input]').fill('y=2');
    await page.locator('[data-action="send-request"]').click();
    await stepUntilChosen(page, 'x=1');
    await stepUntilChosen(page, 'y=2');
    const slot = Number(
      await page.locator(`[data-slot-node="${leader}"] [data-chosen="true"]`, { hasText: 'y=2' }).getAttribute('data-slot'),
    );
    expect(slot).toBeGreaterThanOrEqual(2);
    const applied = () =>
      page.locator('[data-slot-node]').evaluateAll((rows, s) => rows.filter((r) => Number(r.getAttribute('data-applied')) >= s).length, slot);
    await stepUntil(page, async () => (await applied()) >= 3);
    expect(await applied()).toBeGreaterThanOrEqual(3);
    await expect(page.locator('[data-property="Applied Sequence Agreement"]')).toHaveAttribute('data-holds', 'true');
  });

  test('after the leader crashes a new leader is elected and later requests are still chosen', async ({ page }) => {
    await open(page, '/?protocol=multipaxos&paused=1&size=5');
    const old = await theLeader(page);
    await request(page, old, 'x=1');
    await stepUntilChosen(page, 'x=1');
    await page.locator('[data-action="crash"]').click();
    await expect(node(page, old)).toHaveAttribute('data-role', 'crashed');
    const next = await theLeader(page);
    expect(next).not.toBe(old);
    await request(page, next, 'z=3');
    await stepUntilChosen(page, 'z=3');
    // x=1 stays chosen in its slot on the live majority.
    expect(await chosenRows(page, 'x=1').count()).toBeGreaterThanOrEqual(3);
    expect(await attr(page, 'data-violations')).toBe('0');
  });
});

test.describe('the picker', () => {
  test('?protocol= chooses the protocol, its properties and its bugs', async ({ page }) => {
    const cases: [string, string[], string[]][] = [
      ['raft', ['Election Safety', 'Log Matching'], ['vote-without-log-check', 'commit-previous-term', 'forget-vote-on-restart']],
      ['paxos', ['Agreement', 'Validity', 'Promise Respected'], ['ignore-promised-values', 'accept-below-promise', 'promise-before-persist']],
      ['multipaxos', ['Agreement', 'Applied Sequence Agreement'], ['ignore-promised-values', 'accept-below-promise', 'promise-before-persist']],
      ['twopc', ['Atomicity', 'Commit Validity'], ['abort-after-yes', 'commit-on-timeout', 'vote-before-persist']],
    ];
    for (const [name, properties, bugs] of cases) {
      await open(page, `/?protocol=${name}&paused=1`);
      await expect(root(page)).toHaveAttribute('data-protocol', name);
      await expect(page.locator('[data-control="protocol"]')).toHaveValue(name);
      for (const p of properties) await expect(page.locator(`[data-property="${p}"]`)).toHaveAttribute('data-holds', 'true');
      const options = await page.locator('[data-control="bug"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      // Raft's list grows as broken variants are added; the others are exact.
      if (name === 'raft') expect(options).toEqual(expect.arrayContaining(['none', ...bugs]));
      else expect(options).toEqual(['none', ...bugs]);
      await expect(page.locator('[data-problem]')).toHaveCount(0);
    }
  });

  test('the control switches protocol, keeps language and speed, and resets the run', async ({ page }) => {
    await open(page, '/?lang=zh&speed=0.5&size=3&paused=1');
    await stepUntil(page, async () => Number(await attr(page, 'data-events')) >= 3);
    await page.locator('[data-control="bug"]').selectOption('commit-previous-term');
    await page.locator('[data-control="protocol"]').selectOption('twopc');
    await expect(root(page)).toHaveAttribute('data-protocol', 'twopc');
    await expect(root(page)).toHaveAttribute('data-lang', 'zh-CN');
    await expect(root(page)).toHaveAttribute('data-events', '0');
    await expect(page.locator('output[data-speed]')).toHaveText('1/2×');
    await expect(page.locator('.controls')).toHaveAttribute('data-bug', 'none');
    await expect(page.locator('svg.ring [data-node-id]')).toHaveCount(3);
    await expect(node(page, 1)).toContainText('协调者');
    await expect(page.locator('.invariants')).toContainText('原子性');
    await page.locator('[data-control="bug"]').selectOption('commit-on-timeout');
    await expect(page.locator('[data-bug-desc]')).toContainText('协调者在投票超时时');
    await page.locator('[data-control="protocol"]').selectOption('raft');
    await expect(node(page, 1)).toHaveAttribute('data-role', /follower|candidate|leader/);
    await expect(page.locator('.controls')).toHaveAttribute('data-bug', 'none');
  });

  test('a bad ?protocol= shows a message and runs Raft', async ({ page }) => {
    await open(page, '/?protocol=nope&paused=1');
    const problem = page.locator('[data-problem="protocol"]');
    await expect(problem).toContainText('protocol=nope');
    await expect(problem).toContainText('raft, paxos, multipaxos, twopc, zab');
    await expect(problem).toContainText('Using raft');
    await expect(root(page)).toHaveAttribute('data-protocol', 'raft');
    await expect(node(page, 1)).toHaveAttribute('data-role', 'follower');
  });

  test('a bug of another protocol is refused with that protocol\'s list', async ({ page }) => {
    await open(page, '/?bug=commit-previous-term&protocol=twopc&paused=1');
    await expect(page.locator('[data-problem="bug"]')).toContainText('abort-after-yes, commit-on-timeout');
    await expect(page.locator('.controls')).toHaveAttribute('data-bug', 'none');
  });

  for (const name of ['raft', 'paxos', 'multipaxos', 'twopc']) {
    test(`${name} runs with no console error`, async ({ page }) => {
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      await open(page, `/?protocol=${name}&speed=10&loss=5&dup=5`);
      await request(page, 1, 'x=5');
      await waitVirtual(page, 1500);
      await page.locator('button[data-lang="zh-CN"]').click();
      await expect(page.locator('.feed-item').first()).toBeVisible();
      await page.locator('[data-action="reset"]').click();
      await expect(root(page)).toHaveAttribute('data-protocol', name);
      expect(errors).toEqual([]);
      await expect(page.locator('[data-error]')).toHaveCount(0);
    });
  }
});
