// Embed mode (issue 13): `index.html?embed=1&…` inside an iframe of a blog post. web/boot.js
// marks <html data-embed> at once and imports this module; it is not part of a normal load.
//
// - A compact layout for a post (CSS below): the ring first, the tour's caption, only the
//   controls `controls=none|play|full` allows (default `play`), no header, feed or diagram;
//   `lock=protocol,size,bug,speed` hides those settings (and their shortcuts) from the reader.
// - It pauses itself (root `data-playing="false"`) while it is scrolled out of view or its tab is
//   hidden, and resumes when it comes back, if it was playing: an IntersectionObserver inside
//   the frame, so it works in a plain iframe without web/ballot-embed.js.
// - "Open in the full playground" opens the current run (its share link) without embed mode.
// - The message API (docs/embedding.md): events `{ source: "ballot", type, … }` to the parent
//   (`ready`, `resize`, `leader`, `committed`, `chosen`, `decided`, `violation`, `tour-step`,
//   `playing`), and commands from the parent only (`event.source === parent`, and
//   `event.origin` equal to `?origin=` when given): `play`, `pause`, `step`, `reset`, `load`.
//   Anything malformed is ignored.
'use strict';

const query = new URLSearchParams(location.search);
const CONTROLS = ['none', 'play', 'full'].includes(query.get('controls')) ? query.get('controls') : 'play';
const LOCKS = new Set((query.get('lock') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const ALLOWED_ORIGIN = query.get('origin');
const html = document.documentElement;
html.dataset.embed = CONTROLS;
html.dataset.lock = [...LOCKS].join(' ');

const STYLE = `
[data-embed] body { background: var(--panel); }
[data-embed] .playground { display: block; max-width: none; padding: 0.25rem 0.5rem 0.5rem; }
[data-embed] :is(.topbar, .diagram, [data-share-panel], .legend, [data-past-hint]),
[data-embed] .right > :not(.node-panel[data-panel-node]),
[data-embed] #ballot[data-violations="0"] .invariants { display: none!important; }
[data-embed="none"] :is(.controls, .scrubber, .node-panel) { display: none!important; }
[data-embed="play"] :is(.controls .group:not(.time), .controls .speed) { display: none!important; }
[data-embed] .controls { padding: 0 0 0.25rem; margin: 0; border: 0; }
[data-embed] .stage { display: grid; padding-top: 0.25rem; gap: 0.3rem 0.75rem; grid-template-columns: minmax(0, 1fr); align-items: start; }
[data-embed] :is(.left, .right, .markup) { display: contents; }
[data-embed] .ring { order: -1; width: 100%; max-width: 420px; max-height: none; margin: 0 auto; align-self: start; }
[data-embed] .tour-bar { position: static; }
[data-embed] .node-panel[data-panel-node] { position: static; max-height: none; box-shadow: none; }
@media (min-width: 560px) {
  [data-embed] .stage { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  [data-embed] .stage :is(.left, .right, .markup) > * { grid-column: 2; }
  [data-embed] .stage .left > .ring { grid-column: 1; grid-row: 1 / span 20; max-width: 100%; }
}
[data-lock~="protocol"] label:has([data-control="protocol"]), [data-lock~="size"] label:has([data-control="size"]),
[data-lock~="bug"] label:has([data-control="bug"]), [data-lock~="bug"] .bug-desc,
[data-lock~="speed"] label:has([data-control="speed"]), [data-lock~="seed"] label:has([data-control="seed"]) { display: none!important; }
.embed-bar { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; font: 0.85rem system-ui, sans-serif; padding: 0.25rem 0.5rem 0; }
.embed-bar a { color: var(--accent); }
.embed-bar .embed-brand { font-weight: 600; color: var(--muted); }
`;

const $ = (selector) => document.querySelector(selector);
const page = () => $('#ballot');
const playing = () => page()?.dataset.playing === 'true';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function post(type, detail = {}) {
  if (window.parent === window) return;
  // The events carry nothing private (what the page shows anyway), so any parent may read them.
  window.parent.postMessage({ source: 'ballot', type, ...detail }, '*');
}

function press(selector) {
  const button = $(selector);
  if (button) button.click();
  return !!button;
}

function setPlaying(on) {
  if (playing() !== on) press('[data-action="play"]');
}

// ---- Pausing while out of view -----------------------------------------------------------

let inView = true;
let autoPaused = false;
function visibilityChanged() {
  const visible = inView && document.visibilityState === 'visible';
  if (!visible && playing()) {
    autoPaused = true;
    setPlaying(false);
  } else if (visible && autoPaused) {
    autoPaused = false;
    setPlaying(true);
  }
}
document.addEventListener('visibilitychange', visibilityChanged);

// ---- Commands from the parent ------------------------------------------------------------

async function load(message) {
  if (typeof message.link === 'string' && /^#?run=/.test(message.link) && message.link.length < 200000) {
    location.hash = message.link.startsWith('#') ? message.link : `#${message.link}`;
    return;
  }
  const tours = await import('./tours.js');
  if (typeof message.tour === 'string') await tours.startTour(message.tour, message.step);
  else if (typeof message.scenario === 'string') await tours.openScenario(message.scenario);
}

window.addEventListener('message', (event) => {
  if (event.source !== window.parent || window.parent === window) return;
  if (ALLOWED_ORIGIN && event.origin !== ALLOWED_ORIGIN) return;
  const message = event.data;
  if (!message || typeof message !== 'object' || message.source !== 'ballot' || typeof message.type !== 'string') return;
  switch (message.type) {
    case 'play':
      if (message.auto) {
        // The host saw the widget come back into view: resume only what it paused.
        if (autoPaused) visibilityChanged();
      } else {
        autoPaused = false;
        setPlaying(true);
      }
      break;
    case 'pause':
      if (message.auto) {
        if (playing()) {
          autoPaused = true;
          setPlaying(false);
        }
      } else {
        autoPaused = false;
        setPlaying(false);
      }
      break;
    case 'step':
      press('[data-action="step"]');
      break;
    case 'reset':
      press('[data-action="reset"]');
      break;
    case 'load':
      load(message).catch(() => {});
      break;
    default:
  }
});

// ---- Events to the parent ----------------------------------------------------------------

let last = null;
function sum(selector, attribute) {
  let total = 0;
  for (const el of document.querySelectorAll(selector)) total += Number(el.getAttribute(attribute)) || 0;
  return total;
}
function snapshot() {
  const root = page();
  const coordinator = $('[data-role="coordinator"]');
  return {
    protocol: root.dataset.protocol,
    playing: root.dataset.playing === 'true',
    leader: root.dataset.leader ?? '',
    term: root.dataset.leader ? $(`[data-node-id="${root.dataset.leader}"]`)?.getAttribute('data-term') ?? '' : '',
    chosen: root.dataset.chosen ?? '',
    violations: Number(root.dataset.violations ?? 0),
    // Entries committed (Raft: commit indexes; Multi-Paxos: slots applied; Zab: delivered),
    // summed over the servers: it grows when anything commits.
    committed:
      sum('[data-log-node]', 'data-commit-index') + sum('[data-slot-node]', 'data-applied') + sum('[data-history-node]', 'data-delivered'),
    decision: coordinator && ['committed', 'aborted'].includes(coordinator.dataset.state) ? `${coordinator.dataset.term}:${coordinator.dataset.state}` : '',
    nowMs: Number(root.dataset.nowMs ?? 0),
  };
}

function compare() {
  if (!page() || page().hasAttribute('data-loading')) return;
  const now = snapshot();
  const before = last;
  last = now;
  if (!before) {
    post('ready', { protocol: now.protocol, playing: now.playing });
    return;
  }
  if (now.protocol !== before.protocol) {
    post('ready', { protocol: now.protocol, playing: now.playing });
    return;
  }
  if (now.playing !== before.playing) post('playing', { playing: now.playing });
  if (now.leader && (now.leader !== before.leader || now.term !== before.term)) {
    post('leader', { leader: Number(now.leader), term: Number(now.term), atMs: now.nowMs });
  }
  if (now.committed > before.committed) post('committed', { committed: now.committed, atMs: now.nowMs });
  if (now.chosen && now.chosen !== before.chosen) post('chosen', { value: now.chosen, atMs: now.nowMs });
  if (now.decision && now.decision !== before.decision) {
    const [transaction, outcome] = now.decision.split(':');
    post('decided', { transaction: Number(transaction), outcome, atMs: now.nowMs });
  }
  if (now.violations > before.violations) post('violation', { violations: now.violations, atMs: now.nowMs });
}

document.addEventListener('ballot:tour-step', (event) => post('tour-step', event.detail ?? {}));

// ---- The bar: brand and "open in the full playground" ------------------------------------


function fullUrl(link) {
  const url = new URL(link ?? location.href);
  for (const name of ['embed', 'lock', 'controls', 'origin', 'height']) url.searchParams.delete(name);
  return url.href;
}

function bar() {
  const zh = page()?.dataset.lang?.startsWith('zh');
  const box = document.createElement('div');
  box.className = 'embed-bar';
  box.setAttribute('data-embed-bar', '');
  const brand = document.createElement('span');
  brand.className = 'embed-brand';
  brand.textContent = 'Ballot';
  const open = document.createElement('a');
  open.setAttribute('data-embed-open', '');
  open.target = '_blank';
  open.rel = 'noopener';
  open.textContent = zh ? '在完整的演示场中打开 ↗' : 'Open in the full playground ↗';
  open.href = fullUrl();
  // The run as it is now: ask the page for its share link, then open that.
  open.addEventListener('click', async (event) => {
    event.preventDefault();
    const tab = window.open('about:blank', '_blank');
    let link = null;
    if (press('[data-action="share"]')) {
      for (let i = 0; i < 40 && !link; i++) {
        await sleep(50);
        link = $('[data-share-url]')?.value || null;
      }
    }
    const target = fullUrl(link ?? location.href);
    if (tab) {
      tab.opener = null;
      tab.location.href = target;
    } else {
      location.href = target;
    }
  });
  box.append(brand, open);
  return box;
}

// ---- Start -------------------------------------------------------------------------------

// The layout applies before the app draws its first frame.
document.head.append(Object.assign(document.createElement('style'), { textContent: STYLE }));

export async function start() {
  for (;;) {
    if (page() && !page().hasAttribute('data-loading')) break;
    await sleep(50);
  }
  // Outside #ballot, so the app's own elements stay the app's.
  document.body.prepend(bar());
  new IntersectionObserver((entries) => {
    inView = entries.some((e) => e.isIntersecting);
    visibilityChanged();
  }).observe(page());
  visibilityChanged();
  // Keys that would change a locked setting do nothing.
  document.addEventListener(
    'keydown',
    (event) => {
      if (LOCKS.has('speed') && ['+', '-', '='].includes(event.key)) event.stopImmediatePropagation();
    },
    true,
  );
  new MutationObserver(compare).observe(page(), { attributes: true, subtree: true, attributeFilter: ['data-leader', 'data-term', 'data-chosen', 'data-violations', 'data-playing', 'data-commit-index', 'data-applied', 'data-delivered', 'data-state', 'data-protocol', 'data-loading'] });
  compare();
  let height = 0;
  new ResizeObserver(() => {
    const now = Math.ceil(document.documentElement.scrollHeight);
    if (now !== height) {
      height = now;
      post('resize', { height });
    }
  }).observe(document.body);
}
