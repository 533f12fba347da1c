// Guided tours and the Try-this menu (web/tours.js, its data in web/tours/): every tour runs to
// its end in English and in Chinese without a console error, Back is exact, ?tour=ID&step=K and
// ?scenario=ID open what they name, the reader can fork a tour and resume it, and every scenario
// file has exactly one entry in the Try-this catalog.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { attr, open, repo, root, watchErrors } from './helpers';

type Text = { en: string; zh: string };
type Tour = { id: string; protocol: string; scenario: string; title: Text; steps: Text[] };
type Entry = { id: string; protocol: string; title: Text; text: Text };

/** The data modules are plain ES modules for the browser: read as a script, not imported. */
const load = async <T>(file: string, name: string): Promise<T> =>
  new Function(`${readFileSync(path.join(repo, file), 'utf8').replace(/^export const /gm, 'const ')}\nreturn ${name};`)();

const scenarioFiles = () =>
  readdirSync(path.join(repo, 'scenarios'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(path.join(repo, 'scenarios', d.name))
        .filter((f) => f.endsWith('.scn'))
        .map((f) => `${d.name}/${f.replace(/\.scn$/, '')}`),
    )
    .sort();

const CJK = /[\u4e00-\u9fff]/;
const caption = (page: Page) => page.locator('[data-tour-caption]');

/** Waits for step `k` of the tour on screen and returns its caption. */
async function atStep(page: Page, k: number, timeout = 30_000) {
  await expect(caption(page)).toHaveAttribute('data-tour-step', `${k}`, { timeout });
  return (await caption(page).textContent()) ?? '';
}

test('every scenario file has one Try-this entry, and every tour names a scenario and has both languages', async () => {
  const catalog = await load<Entry[]>('web/tours/scenarios.js', 'SCENARIOS');
  const tours = await load<Tour[]>('web/tours/tours.js', 'TOURS');
  const files = scenarioFiles();
  expect(catalog.map((e) => e.id).sort()).toEqual(files);
  for (const entry of catalog) {
    expect(entry.id.split('/')[0], entry.id).toBe(entry.protocol);
    for (const text of [entry.title, entry.text]) {
      expect(text.en.length, entry.id).toBeGreaterThan(3);
      expect(text.zh, entry.id).toMatch(CJK);
    }
  }
  expect(new Set(tours.map((t) => t.id)).size).toBe(tours.length);
  expect(tours.length).toBeGreaterThanOrEqual(15);
  for (const tour of tours) {
    expect(files, tour.id).toContain(tour.scenario);
    expect(tour.scenario.split('/')[0], tour.id).toBe(tour.protocol);
    expect(tour.steps.length, tour.id).toBeGreaterThanOrEqual(3);
    for (const step of [tour.title, ...tour.steps]) expect(step.zh, tour.id).toMatch(CJK);
  }
});

test('the menu lists the tours and every scenario, takes the focus and gives it back', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page, '/index.html?lang=en');
  const button = page.locator('[data-action="tours"]');
  await button.click();
  const menu = page.locator('[data-tours-menu]');
  await expect(menu).toBeVisible();
  await expect(menu.locator('[data-try]')).toHaveCount(scenarioFiles().length);
  await expect(menu.locator('[data-tour="raft-election"]')).toBeVisible();
  await expect(page.locator('[data-action="tours-close"]')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(button).toBeFocused();
  // A Try-this entry loads its scenario and plays it from the start.
  await button.click();
  await page.locator('[data-try="raft/07-figure8-unsafe"]').click();
  await expect(menu).toHaveCount(0);
  await expect(root(page)).toHaveAttribute('data-playing', 'true');
  expect(Number(await attr(page, 'data-now-ms'))).toBeLessThan(1000);
  expect(errors).toEqual([]);
});

for (const lang of ['en', 'zh'] as const) {
  test(`every tour runs to its end (${lang})`, async ({ page }) => {
    test.setTimeout(240_000);
    const errors = watchErrors(page);
    const tours = await load<Tour[]>('web/tours/tours.js', 'TOURS');
    for (const tour of tours) {
      await page.goto(`/index.html?tour=${tour.id}&speed=0.5&lang=${lang}`);
      await expect(page.locator('[data-tour-bar]')).toHaveAttribute('data-tour', tour.id, { timeout: 20_000 });
      for (let k = 0; k < tour.steps.length; k++) {
        const text = await atStep(page, k);
        expect(text, `${tour.id} step ${k}`).toBe(tour.steps[k][lang]);
        await expect(root(page)).toHaveAttribute('data-protocol', tour.protocol);
        const next = page.locator('[data-action="tour-next"]');
        if (k + 1 < tour.steps.length) await next.click();
        else await expect(next).toBeDisabled();
      }
      await page.locator('[data-action="tour-exit"]').click();
      await expect(page.locator('[data-tour-bar]')).toHaveCount(0);
    }
    expect(errors).toEqual([]);
  });
}

test('Back returns to the exact moment of a step, and ?tour=ID&step=K opens at that step', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/index.html?tour=raft-leader-crash&step=3&speed=1');
  expect(await atStep(page, 3)).toContain('S1 crashed');
  await expect(page.locator('[data-node-id="1"]')).toHaveAttribute('data-role', 'crashed');
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  await page.locator('[data-action="tour-back"]').click();
  await atStep(page, 2);
  await expect(root(page)).toHaveAttribute('data-scrub', 'true');
  const moment = [await attr(page, 'data-now-ms'), await attr(page, 'data-fingerprint')];
  await expect(page.locator('[data-node-id="1"]')).toHaveAttribute('data-role', 'leader');
  await page.locator('[data-action="tour-next"]').click();
  await atStep(page, 3);
  await page.locator('[data-action="tour-back"]').click();
  await atStep(page, 2);
  await expect(root(page)).toHaveAttribute('data-fingerprint', moment[1]);
  expect(await attr(page, 'data-now-ms')).toBe(moment[0]);
  expect(errors).toEqual([]);
});

test('the reader can take over (the run forks) and resume the tour', async ({ page }) => {
  await page.goto('/index.html?tour=raft-leader-crash&step=2&speed=1');
  await atStep(page, 2);
  await page.locator('[data-action="tour-back"]').click();
  await atStep(page, 1);
  const fingerprint = await attr(page, 'data-fingerprint');
  // Crash S3 at this past moment: the run forks.
  await page.locator('svg.ring [data-node-id="3"]').click();
  await page.locator('[data-action="crash"]').click();
  await expect(page.locator('[data-node-id="3"]')).toHaveAttribute('data-role', 'crashed');
  const resume = page.locator('[data-action="tour-resume"]');
  await expect(resume).toBeVisible();
  await resume.click();
  await expect(resume).toHaveCount(0);
  await expect(page.locator('[data-action="undo-fork"]')).toHaveCount(0);
  await expect(root(page)).toHaveAttribute('data-fingerprint', fingerprint);
  await atStep(page, 1);
});

test('?scenario=ID plays a scenario; unknown ids open the menu with a message', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/index.html?scenario=paxos/02-second-proposer-adopts&speed=1');
  await expect(root(page)).toHaveAttribute('data-protocol', 'paxos', { timeout: 20_000 });
  await expect(root(page)).toHaveAttribute('data-chosen', 'x=1', { timeout: 20_000 });
  await page.goto('/index.html?tour=nope&lang=zh');
  await expect(page.locator('[data-tours-error]')).toContainText('nope', { timeout: 20_000 });
  await expect(page.locator('[data-tours-error]')).toHaveText(CJK);
  await expect(page.locator('[data-tours-menu] [data-tour]').first()).toBeVisible();
  await page.goto('/index.html?scenario=../../etc/passwd');
  await expect(page.locator('[data-tours-error]')).toBeVisible({ timeout: 20_000 });
  // The run behind it still works.
  await expect(page.locator('svg.ring [data-node-id]').first()).toBeVisible();
  expect(errors).toEqual([]);
});
