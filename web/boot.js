// Starts the wasm app. Trunk's default loader is an inline <script>, which the page's
// Content-Security-Policy (script-src 'self') forbids; Trunk.toml's `pattern_script` emits
//   <script type="module" src="boot.js" data-ballot-js="/ballot-web-<hash>.js" data-ballot-wasm="...">
// instead, and this file (served from our own origin) imports the hashed bindings from there.
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
  // A Rust panic has already drawn its own box; avoid a second one for the same failure.
  if (!document.querySelector('[data-error]')) fail(String(err && err.stack || err));
}
