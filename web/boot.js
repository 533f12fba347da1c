// Starts the wasm app (the CSP forbids Trunk's inline loader: see pattern_script in Trunk.toml).
const tag = document.querySelector('script[data-ballot-js]');

function fail(message) {
  console.error(message);
  const box = document.createElement('div');
  box.setAttribute('data-error', 'boot');
  box.setAttribute('role', 'alert');
  box.className = 'error-box';
  box.textContent = `Ballot could not start. / Ballot 无法启动。\n${message}`;
  document.body.append(box);
}

try {
  const { default: init } = await import(tag.dataset.ballotJs);
  await init({ module_or_path: tag.dataset.ballotWasm });
  dispatchEvent(new CustomEvent('TrunkApplicationStarted'));
} catch (err) {
  // A Rust panic already drew its own box.
  if (!document.querySelector('[data-error]')) fail(String(err && err.stack || err));
}
