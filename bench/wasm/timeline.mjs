// Times time-travel seeks in the wasm build under Node.js: builds the hour-long playground-like
// run with its checkpoints, then seeks to random moments. Budget: 16 ms per seek, 64 MB of wasm
// memory. Usage: node bench/wasm/timeline.mjs PKG_DIR [SECONDS] [CHECKPOINTS] [SEEKS]
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(import.meta.url);
const pkg = require(path.join(path.resolve(process.argv[2] ?? 'bench/wasm-pkg'), 'ballot_bench_wasm.js'));
const seconds = Number(process.argv[3] ?? 3600);
const checkpoints = Number(process.argv[4] ?? 48);
const seeks = Number(process.argv[5] ?? 300);
const t0 = performance.now();
const n = pkg.timeline_build(seconds, checkpoints);
const build = (performance.now() - t0) / 1000;
let x = 12345;
// V8 first runs wasm with its baseline compiler and tiers hot functions up while they run: the
// first seeks are slower. Time them apart (reported as "cold"), then the measured ones.
const warmup = 20;
const cold = [];
for (let i = 0; i < warmup; i++) {
  x = (x * 1103515245 + 12345) % 2147483648;
  const s = performance.now();
  pkg.timeline_seek(x % (seconds * 1000));
  cold.push(performance.now() - s);
}
const times = [];
for (let i = 0; i < seeks; i++) {
  x = (x * 1103515245 + 12345) % 2147483648;
  const ms = x % (seconds * 1000);
  const s = performance.now();
  pkg.timeline_seek(ms);
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
const max = times[times.length - 1];
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const p99 = times[Math.min(times.length - 1, Math.floor(times.length * 0.99))];
const mem = pkg.wasm_memory_bytes();
console.log(`wasm timeline: ${seconds}s simulated, ${n} checkpoints, built in ${build.toFixed(2)}s; wasm memory ${(mem / 1e6).toFixed(1)} MB`);
console.log(`wasm seek (${seeks} random moments after ${warmup} warm-up seeks): mean ${mean.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(2)} ms (budget 16 ms, 64 MB); cold seeks max ${Math.max(...cold).toFixed(2)} ms`);
if (max > 16 || mem > 64e6) { console.error('over budget'); process.exit(1); }
