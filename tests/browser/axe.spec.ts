// axe-core (from npm, see package.json) on every registered protocol, in light and dark mode,
// and once in Chinese: the page with a run under way (messages on the wire, feed lines), a
// server selected (its panel open) and the share panel's scenario box open, so that their
// controls are checked too. A test fails on any violation of impact "serious" or "critical",
// listing each (rule, help, the first elements). axe does not judge the contrast of SVG text,
// so the last test here measures the ring's and the diagram's text itself (≥ 4.5:1).
//
// axe is injected as an inline script, which the page's CSP (`script-src 'self'`) forbids:
// these tests run with Playwright's `bypassCSP`.
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { open, repo, root, stepUntil, watchErrors } from './helpers';

test.use({ locale: 'en-US', bypassCSP: true });

/** Every registered protocol: one engine binary each (`engine-NAME.rs` calling `engine!`; `check`
 * and `media`, the Check panel's and the Embed & export dialog's workers, are not protocols). */
const bins = path.join(repo, 'web/engine/src/bin');
const protocols = fs
  .readdirSync(bins)
  .filter((f) => fs.readFileSync(path.join(bins, f), 'utf8').includes('engine!('))
  .map((f) => f.match(/^engine-(\w+)\.rs$/)?.[1])
  .filter((n): n is string => !!n)
  .sort();

type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/** Runs axe on the whole document; returns its serious and critical violations, one line each. */
async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations: Violation[] = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}× ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')})`);
}

/**
 * Opens PROTOCOL paused, crashes server 3, sends server 1 a request and steps until messages are
 * on the wire (the feed has lines, the crash among them); then selects server 1 and opens the
 * share panel with its scenario box.
 */
async function busyPage(page: Page, protocol: string, extra = '') {
  await open(page, `/?protocol=${protocol}&paused=1${extra}`);
  await expect(root(page)).toHaveAttribute('data-protocol', protocol);
  const server = (id: number) => page.locator(`svg.ring [data-node-id="${id}"]`);
  await server(3).click();
  await page.locator('[data-action="crash"]').click();
  await expect(server(3)).toHaveAttribute('data-up', 'false');
  await server(1).click();
  await page.locator('[data-request-input]').fill(protocol === 'twopc' ? 'set x 5' : 'x=5');
  await page.locator('[data-action="send-request"]').click();
  await expect(page.locator('[data-request-error]')).toHaveCount(0);
  const number = async (name: string) => Number((await root(page).getAttribute(name)) ?? 0);
  await stepUntil(page, async () => (await number('data-events')) >= 12 && (await number('data-in-flight')) > 0);
  await expect(page.locator('svg.ring [data-msg-id]').first()).toBeVisible();
  await expect(page.locator('.feed-item.fault').first()).toBeAttached();
  await server(1).click();
  await expect(page.locator('[data-panel-node="1"]')).toBeVisible();
  await page.locator('[data-action="share"]').click();
  await expect(page.locator('[data-share-url]')).toBeVisible();
  await page.locator('[data-action="export-scenario"]').click();
  await expect(page.locator('[data-scenario]')).toBeVisible();
}

test('the protocols found here are those of the picker', async ({ page }) => {
  await open(page, '/?paused=1');
  const picker = await page.locator('[data-control="protocol"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(picker.sort()).toEqual(protocols);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`in ${colorScheme} mode`, () => {
    test.use({ colorScheme });
    for (const protocol of protocols) {
      test(`${protocol}: axe finds no serious or critical violation`, async ({ page }) => {
        const errors = watchErrors(page);
        await busyPage(page, protocol);
        expect(await axe(page)).toEqual([]);
        expect(errors).toEqual([]);
      });
    }
  });
}

test('in Chinese: axe finds no serious or critical violation', async ({ page }) => {
  await busyPage(page, 'raft', '&lang=zh');
  await expect(root(page)).toHaveAttribute('data-lang', 'zh-CN');
  expect(await axe(page)).toEqual([]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`in ${colorScheme} mode the Embed & export dialog has no serious or critical violation`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await open(page, '/?protocol=raft&paused=1');
    await page.locator('[data-action="export-media"]').click();
    const dialog = page.locator('[data-export-panel]');
    await expect(dialog.locator('[data-qr] svg')).toBeVisible({ timeout: 15_000 });
    await dialog.locator('[data-action="export-png"]').click();
    await expect(dialog.locator('a[data-download="png"]')).toBeVisible();
    expect(await axe(page)).toEqual([]);
  });
}

/** Contrast ratio (WCAG 2) of two `rgb(…)`/`rgba(…)`/`color(srgb …)` colours, `fg` over `bg`. */
function contrast(fg: string, bg: string): number {
  const channels = (c: string) => {
    const n = c.match(/[\d.]+/g)!.map(Number);
    // color(srgb r g b / a) gives 0–1 channels; rgb() gives 0–255.
    return c.startsWith('color(') ? n.slice(0, 3).map((v) => v * 255) : n.slice(0, 3);
  };
  const lum = (c: string) => {
    const [r, g, b] = channels(c).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`in ${colorScheme} mode the diagram's and the ring's words have contrast ≥ 4.5:1`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await busyPage(page, 'raft');
    // The diagram's text over the diagram's box; the ring's words outside the servers (roles,
    // message labels) over the page. (Words on a server sit on its fill: see below.)
    const pairs = await page.evaluate(() => {
      const fill = (el: Element) => getComputedStyle(el).fill;
      const bg = (el: Element) => getComputedStyle(el).backgroundColor;
      const out: { what: string; fg: string; bg: string }[] = [];
      const view = document.querySelector('.diagram-view')!;
      for (const t of view.querySelectorAll('text')) out.push({ what: `diagram "${t.textContent}"`, fg: fill(t), bg: bg(view) });
      const page = bg(document.body);
      for (const t of document.querySelectorAll('svg.ring .node-role, svg.ring .node-extra, svg.ring .msg-label'))
        out.push({ what: `ring "${t.textContent}"`, fg: fill(t), bg: page });
      // Server names and their term line over the server's fill.
      for (const n of document.querySelectorAll('svg.ring [data-node-id]')) {
        const shape = n.querySelectorAll('.shape');
        const under = fill(shape[shape.length - 1]);
        for (const t of n.querySelectorAll('.node-name, .node-term')) out.push({ what: `server "${t.textContent}"`, fg: fill(t), bg: under });
      }
      return out;
    });
    expect(pairs.length).toBeGreaterThan(10);
    const low = pairs.map((p) => ({ ...p, ratio: contrast(p.fg, p.bg) })).filter((p) => p.ratio < 4.5);
    expect(low.map((p) => `${p.what}: ${p.fg} on ${p.bg} = ${p.ratio.toFixed(2)}`)).toEqual([]);
  });
}
