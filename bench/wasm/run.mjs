// Times the classic Raft workload compiled to wasm (wasm-bindgen --target nodejs) and compares it
// with the native run when given its fingerprint. Usage: node bench/wasm/run.mjs PKG_DIR [SECONDS]
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(import.meta.url);
const pkgDir = path.resolve(process.argv[2] ?? 'bench/wasm-pkg');
const seconds = Number(process.argv[3] ?? 1000);
const pkg = require(path.join(pkgDir, 'ballot_bench_wasm.js'));
const t0 = performance.now();
const counts = JSON.parse(pkg.classic_raft(seconds));
const wall = (performance.now() - t0) / 1000;
console.log(`wasm (node ${process.version}): simulated ${counts.simulated_secs}s in ${wall.toFixed(3)}s wall: ` +
  `${(counts.simulated_secs / wall).toFixed(0)} simulated s per wall s, ` +
  `${(counts.delivered / wall).toFixed(0)} messages delivered per wall s ` +
  `(${counts.events} events, commit index ${counts.committed}, ${counts.violations} violations, fingerprint ${counts.fingerprint})`);
if (counts.violations !== 0) { console.error('the wasm benchmark broke a safety property'); process.exit(1); }
const expected = process.env.NATIVE_FINGERPRINT;
if (expected && expected !== counts.fingerprint) {
  console.error(`fingerprint ${counts.fingerprint} differs from the native run's ${expected}: wasm and native diverged`);
  process.exit(1);
}
