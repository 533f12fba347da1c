// The Share panel's Embed & export dialog (web/export.js, its worker engine-media): snippets with
// the share link, a QR code, a PNG of the moment and an animated GIF of 5 s of run time.
import { test, expect, type Download } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { attr, open, root, watchErrors } from './helpers';

test.use({ locale: 'en-US' });

const bytesOf = async (download: Download) => readFileSync((await download.path())!);

/** Frames of a GIF: image descriptors (0x2C) met while walking its blocks. */
function gifFrames(gif: Buffer): { width: number; height: number; frames: number; controls: number } {
  const width = gif.readUInt16LE(6);
  const height = gif.readUInt16LE(8);
  let i = 13;
  const flags = gif[10];
  if (flags & 0x80) i += 3 * (2 << (flags & 7));
  let frames = 0;
  let controls = 0;
  const skipSubBlocks = () => {
    while (gif[i] !== 0) i += gif[i] + 1;
    i += 1;
  };
  while (i < gif.length) {
    const block = gif[i];
    if (block === 0x3b) break;
    if (block === 0x21) {
      if (gif[i + 1] === 0xf9) controls++;
      i += 2;
      skipSubBlocks();
    } else if (block === 0x2c) {
      frames++;
      const local = gif[i + 9];
      i += 10;
      if (local & 0x80) i += 3 * (2 << (local & 7));
      i += 1; // LZW minimum code size
      skipSubBlocks();
    } else {
      throw new Error(`unexpected block 0x${block.toString(16)} at ${i}`);
    }
  }
  return { width, height, frames, controls };
}

test('Embed & export: snippets and a QR code of the share link, a PNG and a 5 s animated GIF', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(r.url()));
  await open(page, '/?protocol=raft&seed=3&speed=4');
  await expect.poll(async () => Number(await attr(page, 'data-now-ms')), { timeout: 20_000 }).toBeGreaterThan(6000);
  await page.locator('[data-action="play"]').click();
  await expect(root(page)).toHaveAttribute('data-playing', 'false');
  const moment = await attr(page, 'data-now-ms');

  // Neither the dialog nor its worker is part of the first load; both come on the first click.
  const lazy = () => fetched.filter((u) => /\/(export\.js|engine-media)/.test(u)).length;
  expect(lazy()).toBe(0);
  const button = page.locator('[data-share-panel] [data-action="export-media"]');
  await button.click();
  const dialog = page.locator('[data-export-panel]');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('[data-action="export-close"]')).toBeFocused();
  const link = await page.locator('[data-share-url]').inputValue();
  expect(link).toContain('#run=1.');
  const run = link.slice(link.indexOf('#run='));
  for (const kind of ['iframe', 'element', 'hugo', 'hexo']) {
    await expect(dialog.locator(`[data-snippet="${kind}"]`)).toHaveValue(new RegExp(run.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  }
  await expect(dialog.locator('[data-snippet="iframe"]')).toHaveValue(/index\.html\?embed=1&amp;protocol=raft#run=1\./);
  await expect(dialog.locator('[data-snippet="element"]')).toHaveValue(/ballot-embed\.js" defer><\/script>\n<ballot-playground protocol="raft" run="#run=1\./);
  await expect(dialog.locator('[data-snippet="hugo"]')).toHaveValue(/^\{\{< ballot protocol="raft" run="#run=1\./);
  await expect(dialog.locator('[data-snippet="hexo"]')).toHaveValue(/^\{% ballot protocol=raft run=#run=1\./);
  const qr = dialog.locator('[data-qr] svg');
  await expect(qr).toBeVisible({ timeout: 15_000 });
  expect(lazy()).toBe(3); // export.js, engine-media.js and its wasm
  expect(Number(await qr.getAttribute('data-qr-version'))).toBeGreaterThan(0);
  expect(await qr.locator('path').getAttribute('d')).toMatch(/^M\d+,\d+h1v1h-1z/);
  expect(await dialog.locator('a[data-download="qr"]').getAttribute('href')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);

  // A PNG of the moment.
  await dialog.locator('[data-action="export-png"]').click();
  const pngLink = dialog.locator('a[data-download="png"]');
  await expect(pngLink).toBeVisible();
  const [png] = await Promise.all([page.waitForEvent('download'), pngLink.click()]);
  expect(png.suggestedFilename()).toBe('ballot-moment.png');
  const pngBytes = await bytesOf(png);
  expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(pngBytes.readUInt32BE(16)).toBe(480); // IHDR width

  // A GIF of the last 5 s before the moment (the default window), 10 frames a second, 320 px.
  const from = Number(await dialog.locator('[data-export-from]').inputValue());
  const to = Number(await dialog.locator('[data-export-to]').inputValue());
  expect(to).toBeCloseTo(Number(moment) / 1000, 0);
  expect(to - from).toBeCloseTo(5, 1);
  await dialog.locator('[data-export-width]').fill('320');
  await dialog.locator('[data-export-diagram]').check();
  const started = Date.now();
  await dialog.locator('[data-action="export-gif"]').click();
  await expect(dialog.locator('progress[data-export-progress]')).toBeVisible();
  const gifLink = dialog.locator('a[data-download="gif"]');
  await expect(gifLink).toBeVisible({ timeout: 45_000 });
  const took = Date.now() - started;
  const [gif] = await Promise.all([page.waitForEvent('download'), gifLink.click()]);
  expect(gif.suggestedFilename()).toBe('ballot-run.gif');
  const gifBytes = await bytesOf(gif);
  expect(gifBytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
  const info = gifFrames(gifBytes);
  expect(info.width).toBe(320);
  expect(info.height).toBeGreaterThan(320); // the ring, the diagram and the caption
  expect(info.frames).toBeGreaterThan(10);
  expect(info.frames).toBe(51);
  expect(info.controls).toBe(info.frames);
  expect(Number(await dialog.locator('progress[data-export-progress]').getAttribute('value'))).toBe(51);
  console.log(`GIF: ${info.frames} frames, ${gifBytes.length} bytes, ${took} ms`);

  // The page is back at the moment it showed; Escape closes and gives the focus back.
  await expect(root(page)).toHaveAttribute('data-now-ms', moment);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(button).toBeFocused();
  expect(errors).toEqual([]);
});

test('Embed & export in Chinese', async ({ page }) => {
  await open(page, '/?protocol=twopc&lang=zh&paused=1');
  await page.locator('[data-action="export-media"]').click();
  const dialog = page.locator('[data-export-panel]');
  await expect(dialog).toContainText('嵌入与导出');
  await expect(dialog.locator('[data-snippet="hexo"]')).toHaveValue(/protocol=twopc run=#run=1\./);
  await expect(dialog.locator('[data-qr] svg')).toBeVisible({ timeout: 15_000 });
});
