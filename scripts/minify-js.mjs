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
  // wasm-bindgen's long warning for a server that sends wasm with another MIME type: a short one.
  out.code = out.code
    .split('`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:')
    .join('wasm not served as application/wasm:');
  await writeFile(file, out.code);
  index = index.split(sri(code)).join(sri(out.code));
  console.log(`minify-js: ${name} ${code.length} → ${out.code.length} bytes`);
}
for (const name of await readdir(dir)) {
  if (!name.endsWith('.wasm')) continue;
  const file = path.join(dir, name);
  const before = await readFile(file);
  // -iit: Rust never relies on a load, store or division trapping (its checks come first);
  // the producers and target-features sections mean nothing to a browser.
  const run = spawnSync('wasm-opt', ['-Oz', '--ignore-implicit-traps', '--strip-producers', '--strip-target-features', file, '-o', file], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.warn(`minify-js: wasm-opt on ${name} failed; left as it was`);
    await writeFile(file, before);
    continue;
  }
  const after = await readFile(file);
  index = index.split(sri(before)).join(sri(after));
  console.log(`minify-js: ${name} ${before.length} → ${after.length} bytes (wasm-opt -Oz again)`);
}

// Last, wasm-bindgen's import names: every `__wbg_NAME_HASH` import is named twice, as a key of
// the bindings' import object and in the wasm module's import section, and its 16 hex digits do
// not compress. Renaming each to a short `_N` in both (same order, same meaning) saved ~4 KB
// gzipped of the first load on 2026-12-02 (ARCHITECTURE.md, "Bundle budgets").
for (const name of await readdir(dir)) {
  if (!name.endsWith('_bg.wasm')) continue;
  const jsName = name.replace(/_bg\.wasm$/, '.js');
  const wasmFile = path.join(dir, name);
  const jsFile = path.join(dir, jsName);
  let js;
  try {
    js = await readFile(jsFile, 'utf8');
  } catch {
    continue;
  }
  const wasm = await readFile(wasmFile);
  const renamed = renameImports(
    wasm,
    (field) => field.startsWith('__wbg') || field.startsWith('__wbindgen_generic_'),
    (name) => /^wasm_bindgen__convert__closures_+invoke__h[0-9a-f]+$/.test(name),
  );
  if (!renamed) continue;
  let newJs = js;
  for (const [long, short] of renamed.names) {
    const uses = newJs.split(long).length - 1;
    if (uses !== 1) throw new Error(`minify-js: ${jsName} names ${long} ${uses} times, expected once`);
    newJs = newJs.replace(new RegExp(`\\b${long}\\b`), short);
  }
  await writeFile(wasmFile, renamed.bytes);
  await writeFile(jsFile, newJs);
  index = index.split(sri(wasm)).join(sri(renamed.bytes));
  index = index.split(sri(js)).join(sri(newJs));
  console.log(`minify-js: ${name} + ${jsName}: ${renamed.names.length} imports renamed, ${wasm.length + js.length} → ${renamed.bytes.length + newJs.length} bytes`);
}
await writeFile(indexPath, index);

/// Rewrites a wasm module's import and export sections, giving each import whose field name
/// `pick` accepts the name `_0`, `_1`, … (base 36) and each export `pickExport` accepts `_x0`, …
/// Returns the new bytes and the [old, new] pairs, or null if nothing was renamed.
function renameImports(bytes, pick, pickExport = () => false) {
  let at = 8;
  const leb = () => {
    let value = 0, shift = 0, byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  const encodeLeb = (value) => {
    const out = [];
    do {
      let byte = value & 0x7f;
      value = Math.floor(value / 128);
      if (value) byte |= 0x80;
      out.push(byte);
    } while (value);
    return Buffer.from(out);
  };
  const name = () => {
    const len = leb();
    const text = bytes.subarray(at, at + len).toString('utf8');
    at += len;
    return text;
  };
  const limits = () => {
    const flags = bytes[at++];
    leb();
    if (flags & 1) leb();
  };
  const names = [];
  const sections = [];
  while (at < bytes.length) {
    const sectionStart = at;
    const id = bytes[at++];
    const size = leb();
    const start = at;
    if (id === 7) {
      // Exports: a name, a kind byte and an index each.
      const parts = [];
      const count = leb();
      parts.push(encodeLeb(count));
      for (let i = 0; i < count; i++) {
        const field = name();
        const descStart = at;
        at++;
        leb();
        let newField = field;
        if (pickExport(field)) {
          newField = '_x' + names.length.toString(36);
          names.push([field, newField]);
        }
        const raw = Buffer.from(newField, 'utf8');
        parts.push(encodeLeb(raw.length), raw, bytes.subarray(descStart, at));
      }
      const body = Buffer.concat(parts);
      sections.push(Buffer.from([7]), encodeLeb(body.length), body);
      continue;
    }
    if (id !== 2) {
      at = start + size;
      sections.push(bytes.subarray(sectionStart, at));
      continue;
    }
    const parts = [];
    const count = leb();
    parts.push(encodeLeb(count));
    for (let i = 0; i < count; i++) {
      const module = name();
      const field = name();
      const descStart = at;
      const kind = bytes[at++];
      if (kind === 0) leb();
      else if (kind === 1) { at++; limits(); }
      else if (kind === 2) limits();
      else if (kind === 3) at += 2;
      else if (kind === 4) { at++; leb(); }
      else throw new Error(`minify-js: unknown import kind ${kind}`);
      let newField = field;
      if (pick(field)) {
        newField = '_' + names.length.toString(36);
        names.push([field, newField]);
      }
      for (const text of [module, newField]) {
        const raw = Buffer.from(text, 'utf8');
        parts.push(encodeLeb(raw.length), raw);
      }
      parts.push(bytes.subarray(descStart, at));
    }
    if (at !== start + size) throw new Error('minify-js: import section size mismatch');
    const body = Buffer.concat(parts);
    sections.push(Buffer.from([2]), encodeLeb(body.length), body);
  }
  if (!names.length) return null;
  return { names, bytes: Buffer.concat([bytes.subarray(0, 8), ...sections]) };
}
