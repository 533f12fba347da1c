// Guided tours and the Try-this menu (issue 11), in plain JavaScript: web/boot.js imports this
// module on the first click of [data-action="tours"], or at once when the address asks for
// ?tour=ID[&step=K] or ?scenario=ID. It is not part of the first load.
//
// It drives the page only through its DOM API (ARCHITECTURE.md, "The DOM is an API"), the one
// tests and embedding pages use: a scenario is loaded through the share panel's scenario box
// (Export scenario → its text → Load scenario), a moment is reached with the timeline's scrubber
// (time travel makes Back exact), play and speed are the page's own controls, and a step's
// condition is read from the page's data-* attributes after every frame (web/tours/tours.js).
// The reader can act at any step: acting in the past forks the run, and "Resume tour" undoes
// the fork and goes back to the step.
import { TOURS } from './tours/tours.js';
// The Try-this catalog (15 KB gzipped) is fetched only for the menu or a scenario, not for a tour.
let SCENARIOS = null;
const catalog = async () => (SCENARIOS ??= (await import('./tours/scenarios.js')).SCENARIOS);

const WORDS = {
  en: {
    menu: 'Tours and examples',
    tours: 'Guided tours',
    toursHint: 'A scenario that plays step by step, with a caption for each step. Back and Next move between steps; act on the run at any moment and resume the tour later.',
    tryThis: 'Try this',
    tryHint: 'Every scenario of the test suite, as a run you can watch, pause and change.',
    close: 'Close',
    back: '◂ Back',
    next: 'Next ▸',
    skip: 'Skip ahead ▸▸',
    exit: 'Exit tour',
    resume: 'Resume tour',
    done: 'End of the tour: the run goes on, try anything.',
    step: (k, n) => `Step ${k} of ${n}`,
    loading: 'Loading the scenario…',
    unknownTour: (id) => `There is no tour “${id}”. Choose one below.`,
    unknownScenario: (id) => `There is no scenario “${id}”. Choose one below.`,
    failed: (why) => `The tour could not start: ${why}`,
    forked: 'You changed the run: the tour’s next steps may not happen now.',
    playing: 'Playing…',
  },
  zh: {
    menu: '导览与示例',
    tours: '引导式导览',
    toursHint: '一个按步骤播放的场景，每一步都有说明。用“上一步”和“下一步”在步骤间移动；你可以随时操作这次运行，之后再继续导览。',
    tryThis: '试一试',
    tryHint: '测试套件中的每个场景，都可以作为一次运行来观看、暂停和修改。',
    close: '关闭',
    back: '◂ 上一步',
    next: '下一步 ▸',
    skip: '快进 ▸▸',
    exit: '退出导览',
    resume: '继续导览',
    done: '导览结束：运行还在继续，随便试试吧。',
    step: (k, n) => `第 ${k} 步，共 ${n} 步`,
    loading: '正在载入场景…',
    unknownTour: (id) => `没有名为“${id}”的导览。请从下面选择一个。`,
    unknownScenario: (id) => `没有名为“${id}”的场景。请从下面选择一个。`,
    failed: (why) => `导览无法开始：${why}`,
    forked: '你改变了这次运行：导览后面的步骤现在不一定会发生。',
    playing: '播放中…',
  },
};

const STYLE = `
.tour-bar { position: sticky; top: 0; z-index: 15; margin: 0 0 0.5rem; padding: 0.6rem 0.8rem; border: 2px solid var(--accent); border-radius: 8px; background: var(--panel); color: var(--fg); box-shadow: 0 4px 14px rgb(0 0 0 / 0.12); }
.tour-bar h2 { margin: 0; font-size: 0.95rem; }
.tour-bar .tour-meta { margin: 0; color: var(--muted); font-size: 0.85rem; }
.tour-bar [data-tour-caption] { margin: 0.35rem 0 0.5rem; font-size: 1rem; line-height: 1.45; }
.tour-bar .tour-buttons { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
.tour-bar .tour-note { margin: 0.3rem 0 0; color: var(--muted); font-size: 0.85rem; }
.tour-bar button { min-height: 2.2rem; }
@media (min-width: 821px) { html:not([data-embed]) .left:has(.tour-bar) .ring { max-height: max(14rem, 100vh - 27rem); } }
.tours-overlay { position: fixed; inset: 0; background: rgb(0 0 0 / 0.35); display: grid; place-items: center; z-index: 25; padding: 1rem; }
.tours-dialog { background: var(--panel); color: var(--fg); border-radius: 10px; padding: 1rem 1.25rem; max-width: 46rem; width: 100%; max-height: calc(100vh - 2rem); overflow: auto; box-shadow: 0 10px 30px rgb(0 0 0 / 0.3); }
.tours-dialog h2 { margin: 0 0 0.25rem; }
.tours-dialog h3 { margin: 1rem 0 0.25rem; font-size: 1rem; }
.tours-dialog h4 { margin: 0.75rem 0 0.25rem; font-size: 0.9rem; color: var(--muted); }
.tours-dialog ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
.tours-dialog li button { width: 100%; text-align: left; white-space: normal; padding: 0.45rem 0.6rem; min-height: 44px; }
.tours-dialog li button b { display: block; }
.tours-dialog li button span { display: block; color: var(--muted); font-size: 0.88rem; }
.tours-dialog .tours-head { display: flex; justify-content: space-between; align-items: start; gap: 1rem; }
.tours-dialog .error { color: var(--bad); }
`;

// Skipping ahead plays at 1× (not faster): a frame then covers at most a few tens of ms of
// virtual time, so a condition that holds only briefly (a candidate, an accept phase) is seen.
const FAST = 1;

const $ = (selector, root = document) => root.querySelector(selector);
const page = () => $('#ballot');
const lang = () => (page()?.dataset.lang?.startsWith('zh') ? 'zh' : 'en');
const words = () => WORDS[lang()];
const nowMs = () => Number(page()?.dataset.nowMs ?? 0);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = (text) => text[lang()] ?? text.en;

/** Waits until `test()` is truthy (polled), or throws after `timeout` ms. */
async function until(test, timeout = 20000, what = 'the page') {
  const end = Date.now() + timeout;
  for (;;) {
    const value = test();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

/** Sets an input's value the way typing would, so the page's handlers see it. */
function setInput(input, value) {
  input.value = String(value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

// ---- Driving the page ---------------------------------------------------------------------

const playing = () => page()?.dataset.playing === 'true';
// Play is a toggle: presses are queued, each waiting until the page shows its effect, so two
// quick calls never toggle twice on a state not drawn yet.
let toggles = Promise.resolve();
function setPlaying(on) {
  toggles = toggles.then(async () => {
    if (playing() === on) return;
    $('[data-action="play"]')?.click();
    await until(() => playing() === on, 3000, 'play/pause').catch(() => {});
  });
  return toggles;
}

/** The speed slider counts tenths of a decade (web/src/components/controls.rs). */
function setSpeed(speed) {
  const slider = $('[data-control="speed"]');
  if (!slider) return;
  setInput(slider, Math.round(Math.log10(speed) * 10));
}
function currentSpeedStep() {
  return $('[data-control="speed"]')?.value;
}

async function seek(ms) {
  const scrub = await until(() => $('[data-control="scrub"]'), 20000, 'the timeline');
  await setPlaying(false);
  setInput(scrub, ms);
  await until(() => nowMs() === ms || Number(scrub.max) < ms, 20000, 'the moment');
}

/** Loads scenario text as the run (through the scenario box) and rewinds it to its start. */
async function loadScenarioText(text, protocol) {
  await until(() => page() && !page().hasAttribute('data-loading'), 20000, 'the engine');
  await setPlaying(false);
  if (!$('[data-scenario]')) $('[data-action="export-scenario"]').click();
  const box = await until(() => $('[data-scenario]'), 20000, 'the scenario box');
  // The box first receives the current run's export; set our text once that has arrived.
  await until(() => box.value !== '', 20000, 'the exported run');
  for (let tries = 0; tries < 5 && box.value !== text; tries++) {
    setInput(box, text);
    await sleep(60);
  }
  $('[data-action="import-scenario"]').click();
  const loaded = () => $('[data-scenario-loaded]');
  const error = () => $('[data-scenario-error]');
  await until(() => (loaded() && page().dataset.protocol === protocol) || error(), 30000, 'the scenario');
  if (error()) throw new Error(error().textContent);
  $('[data-action="export-scenario"]')?.click();
  await until(() => !$('[data-scenario]'), 5000, 'the scenario box to close');
  await seek(0);
}

async function fetchScenario(id) {
  const response = await fetch(new URL(`scenarios/${id}.scn`, document.baseURI));
  if (!response.ok) throw new Error(`scenarios/${id}.scn: HTTP ${response.status}`);
  return response.text();
}

// ---- Conditions ---------------------------------------------------------------------------

/** Whether a step's condition (see web/tours/tours.js) holds on the page now. */
export function holds(condition) {
  if (condition == null) return true;
  if (Array.isArray(condition)) return condition.every(holds);
  if (typeof condition === 'string') return !!$(condition);
  if ('ms' in condition) return nowMs() >= condition.ms;
  if ('sel' in condition) return document.querySelectorAll(condition.sel).length >= (condition.count ?? 1);
  return false;
}

// ---- The tour bar -------------------------------------------------------------------------

let tour = null; // { def, step, moments, waiting, fast, timer, notice, speedBefore }
let bar = null;

function slot() {
  return $('[data-tour-slot]') ?? document.body;
}

function announce(type, detail) {
  document.dispatchEvent(new CustomEvent(`ballot:${type}`, { detail }));
}

function renderBar() {
  if (!tour) return;
  const w = words();
  const { def, step } = tour;
  const last = step === def.steps.length - 1;
  const forked = !!$('[data-action="undo-fork"]');
  if (!bar || !bar.isConnected) {
    bar = el('section', { class: 'tour-bar', 'data-tour-bar': '', 'aria-label': w.tours });
    slot().prepend(bar);
  }
  bar.setAttribute('data-tour', def.id);
  bar.replaceChildren(
    ...[
    el('h2', { text: pick(def.title) }),
    el('p', { class: 'tour-meta', text: w.step(step + 1, def.steps.length) }),
    el('p', {
      'data-tour-caption': '',
      'data-tour-step': tour.loading ? null : String(step),
      'aria-live': 'polite',
      text: tour.notice ?? pick(def.steps[step]),
    }),
    el(
      'div',
      { class: 'tour-buttons' },
      el('button', { type: 'button', 'data-action': 'tour-back', disabled: tour.loading || (step === 0 && !tour.waiting), text: w.back, onclick: back }),
      el('button', {
        type: 'button',
        class: 'primary',
        'data-action': 'tour-next',
        disabled: last || tour.loading,
        text: tour.waiting ? w.skip : w.next,
        onclick: next,
      }),
      forked ? el('button', { type: 'button', 'data-action': 'tour-resume', text: w.resume, onclick: resume }) : null,
      el('button', { type: 'button', 'data-action': 'tour-exit', text: w.exit, onclick: exit }),
    ),
    last ? el('p', { class: 'tour-note', text: w.done }) : null,
    forked ? el('p', { class: 'tour-note', 'data-tour-forked': '', text: w.forked }) : null,
    tour.waiting ? el('p', { class: 'tour-note', text: w.playing }) : null,
    ].filter((child) => child),
  );
}

function restoreSpeed() {
  if (tour?.fast) {
    tour.fast = false;
    const slider = $('[data-control="speed"]');
    if (slider && tour.speedStep != null) setInput(slider, tour.speedStep);
  }
}

/** Called every few ms while a tour runs: reaches the next step when its condition holds. */
function watch() {
  if (!tour) return;
  const following = tour.step + 1;
  if (tour.waiting && following < tour.def.steps.length && holds(tour.def.steps[following].when)) {
    reach(following);
  } else if (tour.waiting && playing()) {
    tour.started = true;
  } else if (tour.waiting && tour.started) {
    // The page paused by itself (a violation's banner, a user's click): stop waiting.
    tour.waiting = false;
    restoreSpeed();
    renderBar();
  }
  const forked = !!$('[data-action="undo-fork"]');
  if (forked !== !!bar?.querySelector('[data-tour-forked]')) renderBar();
}

function reach(step) {
  tour.step = step;
  tour.moments[step] = nowMs();
  tour.moments.length = step + 1;
  tour.notice = null;
  const going = tour.target != null && step < tour.target;
  if (!going) {
    tour.target = null;
    tour.waiting = false;
    setPlaying(false);
    restoreSpeed();
  }
  renderBar();
  announce('tour-step', { tour: tour.def.id, step, steps: tour.def.steps.length });
  if (going) next();
}

/** Next: play on until the next step's condition holds; while playing, skip ahead faster. */
function next() {
  if (!tour || tour.loading || tour.step >= tour.def.steps.length - 1) return;
  if (tour.waiting) {
    if (!tour.fast) {
      tour.fast = true;
      setSpeed(FAST);
    }
    return;
  }
  tour.waiting = true;
  tour.started = false;
  setPlaying(true);
  renderBar();
}

/** Back: the start of this step if it is under way, otherwise the previous step: exact. */
async function back() {
  if (!tour || tour.loading) return;
  const step = tour.waiting ? tour.step : Math.max(0, tour.step - 1);
  tour.waiting = false;
  restoreSpeed();
  await seek(tour.moments[step] ?? 0);
  tour.step = step;
  tour.notice = null;
  renderBar();
  announce('tour-step', { tour: tour.def.id, step, steps: tour.def.steps.length });
}

/** After the reader forked the run: put the tour's run back and return to this step. */
async function resume() {
  if (!tour) return;
  $('[data-action="undo-fork"]')?.click();
  await until(() => !$('[data-action="undo-fork"]'), 10000, 'the fork to be undone');
  tour.waiting = false;
  await seek(tour.moments[tour.step] ?? 0);
  renderBar();
}

export function exit() {
  if (!tour) return;
  clearInterval(tour.timer);
  tour.observer?.disconnect();
  restoreSpeed();
  tour = null;
  bar?.remove();
  bar = null;
  announce('tour-step', { tour: null, step: null });
}

/** Starts a tour by id, at step `target` (reached by playing the run, so it is exact). */
export async function startTour(id, target = 0) {
  const def = TOURS.find((t) => t.id === id);
  if (!def) {
    openMenu(words().unknownTour(id));
    return;
  }
  exit();
  const explicitSpeed = new URLSearchParams(location.search).has('speed');
  tour = { def, step: 0, moments: [0], waiting: false, fast: false, target: null, loading: true, notice: words().loading };
  renderBar();
  try {
    const text = await fetchScenario(def.scenario);
    await loadScenarioText(text, def.protocol);
  } catch (err) {
    if (tour) tour.notice = words().failed(err.message);
    renderBar();
    return;
  }
  if (!tour || tour.def !== def) return;
  tour.loading = false;
  if (def.speed && !explicitSpeed) setSpeed(def.speed);
  tour.speedStep = currentSpeedStep();
  tour.notice = null;
  // Every frame the page draws is looked at (a poll alone could miss a state that lasts one
  // frame); the interval catches what no attribute change announces.
  tour.timer = setInterval(watch, 30);
  tour.observer = new MutationObserver(watch);
  tour.observer.observe(page(), { attributes: true, attributeFilter: ['data-now-ms', 'data-events', 'data-playing'] });
  const steps = def.steps.length;
  tour.target = Math.min(Math.max(0, Number(target) || 0), steps - 1);
  if (tour.target > 0) {
    tour.fast = true;
    setSpeed(FAST);
    next();
  } else {
    tour.target = null;
    renderBar();
  }
  announce('tour-step', { tour: def.id, step: 0, steps });
}

/** Loads a scenario of the catalog as the run and plays it from its start. */
export async function openScenario(id) {
  const entry = (await catalog()).find((s) => s.id === id);
  if (!entry) {
    openMenu(words().unknownScenario(id));
    return;
  }
  exit();
  try {
    await loadScenarioText(await fetchScenario(id), entry.protocol);
    setPlaying(true);
  } catch (err) {
    openMenu(words().failed(err.message));
  }
}

// ---- The menu -----------------------------------------------------------------------------

let menu = null;
let returnFocus = null;

function closeMenu() {
  if (!menu) return;
  menu.remove();
  menu = null;
  if (returnFocus?.isConnected) returnFocus.focus();
}

/** The dialog listing the tours and every scenario, the current protocol's first. */
export async function openMenu(error) {
  await catalog();
  closeMenu();
  const w = words();
  returnFocus = document.activeElement;
  const current = page()?.dataset.protocol;
  // The protocols and their names come from the picker, i.e. the registry's catalog in the
  // page's language: a new protocol needs no edit here. The current one comes first.
  const options = [...document.querySelectorAll('[data-control="protocol"] option')];
  const titles = Object.fromEntries(options.map((o) => [o.value, o.textContent]));
  const order = options.map((o) => o.value).sort((a, b) => (b === current) - (a === current));
  const choose = (run) => () => {
    closeMenu();
    run();
  };
  const toursList = [];
  const tryList = [];
  for (const protocol of order) {
    const tours = TOURS.filter((t) => t.protocol === protocol);
    if (tours.length) {
      toursList.push(
        el('h4', { text: titles[protocol] }),
        el(
          'ul',
          {},
          ...tours.map((t) =>
            el(
              'li',
              {},
              el(
                'button',
                { type: 'button', 'data-tour': t.id, onclick: choose(() => startTour(t.id)) },
                el('b', { text: pick(t.title) }),
                el('span', { text: pick(t.steps[0]) }),
              ),
            ),
          ),
        ),
      );
    }
    const scenarios = SCENARIOS.filter((s) => s.protocol === protocol);
    if (scenarios.length) {
      tryList.push(
        el('h4', { text: titles[protocol] }),
        el(
          'ul',
          {},
          ...scenarios.map((s) =>
            el(
              'li',
              {},
              el(
                'button',
                { type: 'button', 'data-try': s.id, onclick: choose(() => openScenario(s.id)) },
                el('b', { text: pick(s.title) }),
                el('span', { text: pick(s.text) }),
              ),
            ),
          ),
        ),
      );
    }
  }
  const close = el('button', { type: 'button', 'data-action': 'tours-close', text: w.close, onclick: closeMenu });
  const dialog = el(
    'div',
    { class: 'tours-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'tours-title', 'data-tours-menu': '', lang: lang() === 'zh' ? 'zh-CN' : 'en' },
    el('div', { class: 'tours-head' }, el('h2', { id: 'tours-title', text: w.menu }), close),
    error ? el('p', { class: 'error', role: 'alert', 'data-tours-error': '', text: error }) : null,
    el('h3', { text: w.tours }),
    el('p', { class: 'hint', text: w.toursHint }),
    ...toursList,
    el('h3', { text: w.tryThis }),
    el('p', { class: 'hint', text: w.tryHint }),
    ...tryList,
  );
  menu = el('div', { class: 'tours-overlay', onclick: (e) => e.target === menu && closeMenu() }, dialog);
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      closeMenu();
    } else if (e.key === 'Tab') {
      const items = [...dialog.querySelectorAll('button')];
      const first = items[0];
      const lastItem = items[items.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        lastItem.focus();
      } else if (!e.shiftKey && document.activeElement === lastItem) {
        e.preventDefault();
        first.focus();
      }
    }
    // The page's shortcuts do not act behind the dialog.
    e.stopPropagation();
  });
  document.body.append(menu);
  close.focus();
}

let styled = false;
function style() {
  if (styled) return;
  styled = true;
  document.head.append(el('style', { text: STYLE }));
}

/** The click on [data-action="tours"]: opens or closes the menu. */
export function toggle() {
  style();
  if (menu) closeMenu();
  else openMenu();
}

/** `?tour=ID&step=K` and `?scenario=ID`, once the page has started. */
export async function fromUrl() {
  style();
  const query = new URLSearchParams(location.search);
  await until(() => page() && !page().hasAttribute('data-loading'), 30000, 'the engine');
  if (query.has('tour')) await startTour(query.get('tour'), query.get('step'));
  else if (query.has('scenario')) await openScenario(query.get('scenario'));
}

// The language can change while a tour runs: words follow #ballot[data-lang].
new MutationObserver(() => {
  renderBar();
}).observe(document.documentElement, { subtree: true, attributeFilter: ['data-lang'] });
