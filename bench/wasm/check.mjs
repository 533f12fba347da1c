// Times `ballot check twopc --model twophase` compiled to wasm (wasm-bindgen --target nodejs):
// the same checker and model as the native command, each run one call of check_twophase.
// Usage: node bench/wasm/check.mjs PKG_DIR RMS bfs|dfs [RUNS]
// Prints one line per run, in the format scripts/bench-check.sh reads:
//   ballot-wasm bfs rms=7 unique=296448 generated=2744706 depth=23 elapsed=0.123456 unique_per_sec=…
// V8 compiles the wasm with its baseline compiler first and tiers hot functions up while they
// run, so the first run can be slower: take the median of several.
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(import.meta.url);
const pkg = require(path.join(path.resolve(process.argv[2] ?? 'bench/wasm-pkg'), 'ballot_bench_wasm.js'));
const rms = Number(process.argv[3] ?? 7);
const search = process.argv[4] ?? 'bfs';
const runs = Number(process.argv[5] ?? 1);
if (!Number.isInteger(rms) || (search !== 'bfs' && search !== 'dfs') || !(runs >= 1)) {
  console.error('usage: node bench/wasm/check.mjs PKG_DIR RMS bfs|dfs [RUNS]');
  process.exit(2);
}
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const r = JSON.parse(pkg.check_twophase(rms, search === 'dfs'));
  const elapsed = (performance.now() - t0) / 1000;
  if (r.error || !r.passed) {
    console.error(`the wasm check did not pass: ${JSON.stringify(r)}`);
    process.exit(1);
  }
  console.log(`ballot-wasm ${search} rms=${rms} unique=${r.unique_states} generated=${r.states_explored} ` +
    `depth=${r.depth} elapsed=${elapsed.toFixed(6)} unique_per_sec=${(r.unique_states / elapsed).toFixed(0)}`);
}
