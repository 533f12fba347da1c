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

// The Check panel is loaded on its first use only (it is not part of the first load).
addEventListener('click', (event) => {
  const button = event.target instanceof Element && event.target.closest('[data-action="check"]');
  if (!button) return;
  import('./check-panel.js').then((panel) => panel.open(), (err) => {
    button.after(Object.assign(document.createElement('span'), { className: 'error', role: 'alert', textContent: String(err) }));
  });
});
