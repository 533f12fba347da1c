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

// Embed mode (?embed=1, web/embed.js): its layout is fetched alongside the app, before it draws.
const embed = /[?&]embed=1(&|$)/.test(location.search) ? import('./embed.js') : null;

try {
  const { default: init } = await import(tag.dataset.ballotJs);
  await init({ module_or_path: tag.dataset.ballotWasm });
  dispatchEvent(new CustomEvent('TrunkApplicationStarted'));
  if (embed) embed.then((m) => m.start());
} catch (err) {
  // A Rust panic already drew its own box.
  if (!document.querySelector('[data-error]')) fail(String(err && err.stack || err));
}

// The Check panel, the Embed & export dialog, the shortcut help and the tours are loaded on their first use only (not part of the
// first load): a click on their buttons, or `?` for the help (not while typing).
const lazy = (event, action, file, call) => {
  const el = event.target instanceof Element ? event.target : document.body;
  const button = event.type == 'click' ? el.closest(`[data-action="${action}"]`) : document.querySelector(`[data-action="${action}"]`);
  if (button) import(file).then(call, (err) => button.after(String(err)));
};
addEventListener('click', (event) => {
  lazy(event, 'check', './check-panel.js', (m) => m.open());
  lazy(event, 'export-media', './export.js', (m) => m.open());
  lazy(event, 'help', './help.js', (m) => m.toggle());
  lazy(event, 'tours', './tours.js', (m) => m.toggle());
});
// Guided tours and the Try-this menu (web/tours.js): also at once for ?tour= and ?scenario=.
if (/[?&](tour|scenario)=/.test(location.search)) import('./tours.js').then((m) => m.fromUrl());
addEventListener('keydown', (event) => {
  if (event.key != '?' || event.ctrlKey || event.altKey || event.metaKey) return;
  if (event.target instanceof Element && event.target.closest('input, textarea, select, [contenteditable]')) return;
  event.preventDefault();
  lazy(event, 'help', './help.js', (m) => m.toggle());
});
