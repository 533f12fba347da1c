// Trunk post_build hook (Trunk.toml): in release builds, minifies the JavaScript Trunk staged
// (wasm-bindgen's bindings, web/boot.js and web/engine.js) with terser from node_modules, and updates the
// bindings' subresource-integrity hash in the staged index.html to match. This saves ~2 KB of
// the bundle budget (Trunk's own JS minifier cannot parse wasm-bindgen's output). Without
// node_modules (no `npm ci` yet) it leaves the files as they are and says so.
// It then runs wasm-opt -Oz once more on every staged wasm module (and updates the hashes): a
// second invocation finds what the first, `--converge` included, leaves (0.6 KB gzipped of the
// page's wasm on 2026-12-01).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir || process.env.TRUNK_PROFILE !== 'release') process.exit(0);

let minify;
try {
  ({ minify } = await import('terser'));
} catch {
  console.warn('minify-js: terser is not installed (run npm ci); JavaScript left as it is');
  process.exit(0);
}

const sri = (text) => 'sha384-' + createHash('sha384').update(text).digest('base64');
const indexPath = path.join(dir, 'index.html');
let index = await readFile(indexPath, 'utf8');
for (const name of await readdir(dir)) {
  if (!name.endsWith('.js')) continue;
  const file = path.join(dir, name);
  const code = await readFile(file, 'utf8');
  // The engine worker's files are classic scripts sharing globals (web/engine.js calls the
  // `wasm_bindgen` that engine-NAME.js defines): their top level must keep its names.
  const module = !name.startsWith('engine');
  const out = await minify(code, { module, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  await writeFile(file, out.code);
  index = index.split(sri(code)).join(sri(out.code));
  console.log(`minify-js: ${name} ${code.length} → ${out.code.length} bytes`);
}
for (const name of await readdir(dir)) {
  if (!name.endsWith('.wasm')) continue;
  const file = path.join(dir, name);
  const before = await readFile(file);
  const run = spawnSync('wasm-opt', ['-Oz', file, '-o', file], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.warn(`minify-js: wasm-opt on ${name} failed; left as it was`);
    await writeFile(file, before);
    continue;
  }
  const after = await readFile(file);
  index = index.split(sri(before)).join(sri(after));
  console.log(`minify-js: ${name} ${before.length} → ${after.length} bytes (wasm-opt -Oz again)`);
}
await writeFile(indexPath, index);
