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

// The Check panel and the shortcut help are loaded on their first use only (not part of the
// first load): a click on their buttons, or `?` for the help.
function lazy(file, call, near) {
  import(file).then(call, (err) => {
    near.after(Object.assign(document.createElement('span'), { className: 'error', role: 'alert', textContent: String(err) }));
  });
}
addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const check = target && target.closest('[data-action="check"]');
  if (check) lazy('./check-panel.js', (m) => m.open(), check);
  const help = target && target.closest('[data-action="help"]');
  if (help) lazy('./help.js', (m) => m.toggle(), help);
});
addEventListener('keydown', (event) => {
  const el = event.target instanceof Element ? event.target : null;
  const typing = el && (el.closest('input, textarea, select, [contenteditable]'));
  if (event.key !== '?' || typing || event.ctrlKey || event.altKey || event.metaKey) return;
  const help = document.querySelector('[data-action="help"]');
  if (!help) return;
  event.preventDefault();
  lazy('./help.js', (m) => m.toggle(), help);
});
