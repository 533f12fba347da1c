// The Check panel: exhaustive model checking of the shown protocol, in the page.
//
// web/boot.js imports this module on the first click of [data-action="check"], so none of it is
// part of the first load. It starts the checker, `engine-check` (web/engine/src/bin), in a Web
// Worker of its own (through web/engine.js) and talks to it in query strings and JSON
// (crates/engine/src/check.rs): `op=describe` for the bounds, goals and
// properties, `op=run` for a search, answered with { progress } now and then and one { result }.
// Stop terminates that worker: the page's own engine and the UI thread never wait for a search.
// A counterexample (or an example of a goal) is a share link: the panel puts it in the address,
// and the page opens it like any link, paused at the last step; every step of the path is listed
// with each property (✓ until the step that breaks it), and a click on a step opens the run up to
// it. The panel holds no protocol knowledge: words, bounds, goals and properties come from the
// engine. The DOM contract for tests is listed in ARCHITECTURE.md ("The Check panel").
'use strict';

const WORDS = {
  en: {
    title: 'Model check',
    intro: 'Visits every reachable state of a small cluster within the bounds, with every order of messages, timers, crashes and requests, and checks every property in each.',
    close: 'Close',
    servers: 'Servers',
    bug: 'Broken variant',
    none: 'none (the correct protocol)',
    question: 'Look for',
    startsAfter: 'This variant is checked from a later state, not from the start:',
    safety: 'a violation of a safety property',
    search: 'Search',
    bfs: 'breadth-first (shortest path)',
    dfs: 'depth-first',
    bounds: 'Bounds',
    max_term: 'highest term or round',
    max_requests: 'client requests',
    max_crashes: 'crashes',
    max_losses: 'lost messages',
    max_duplicates: 'duplicated messages',
    max_in_flight: 'messages in flight before timers may fire',
    max_states: 'state limit',
    max_depth: 'depth limit (empty: none)',
    allow: 'Steps allowed besides deliveries and requests',
    kinds: { drop: 'drop', duplicate: 'duplicate', crash: 'crash', restart: 'restart', timers: 'timers' },
    run: 'Run',
    stop: 'Stop',
    running: 'Checking…',
    stopped: 'Stopped.',
    progress: (p, rate, s) => `${p.states.toLocaleString('en')} states, depth ${p.depth}, ${rate.toLocaleString('en')} states/s, ${s} s`,
    outcome: {
      complete: (r) => `No violation: all ${r.states.toLocaleString('en')} reachable states checked (depth ${r.depth}).`,
      violation: (r) => `Violation of ${r.property} after ${r.steps.length} steps (${r.states.toLocaleString('en')} states checked). The run is open in the playground, paused at the last step.`,
      example: (r) => `Found in ${r.steps.length} steps (${r.states.toLocaleString('en')} states checked). The run is open in the playground.`,
      'no-example': (r) => `No reachable state within the bounds satisfies it (${r.states.toLocaleString('en')} states checked).`,
      'state-limit': (r) => `Stopped at the state limit (${r.states.toLocaleString('en')} states) with no finding: not every reachable state was checked.`,
      'depth-limit': (r) => `Stopped at the depth limit with no finding: deeper states were not checked (${r.states.toLocaleString('en')} states).`,
    },
    step: 'Step',
    what: 'What happens',
    open_step: 'Open the run up to this step',
    failed: 'The check could not run: ',
  },
  zh: {
    title: '模型检查',
    intro: '在界限之内遍历小集群的每一个可达状态：消息、定时器、宕机与请求的每一种顺序，并在每个状态检查所有性质。',
    close: '关闭',
    servers: '服务器',
    bug: '错误变体',
    none: '无（正确的协议）',
    question: '寻找',
    startsAfter: '这个变体从一个较晚的状态开始检查，而不是从初始状态：',
    safety: '违反某条安全性质的运行',
    search: '搜索',
    bfs: '广度优先（最短路径）',
    dfs: '深度优先',
    bounds: '界限',
    max_term: '最高任期或轮次',
    max_requests: '客户端请求数',
    max_crashes: '宕机次数',
    max_losses: '丢失消息数',
    max_duplicates: '重复消息数',
    max_in_flight: '定时器可触发前的在途消息上限',
    max_states: '状态数上限',
    max_depth: '深度上限（空：不限）',
    allow: '除投递与请求外允许的步骤',
    kinds: { drop: '丢弃', duplicate: '复制', crash: '宕机', restart: '重启', timers: '定时器' },
    run: '运行',
    stop: '停止',
    running: '检查中…',
    stopped: '已停止。',
    progress: (p, rate, s) => `${p.states} 个状态，深度 ${p.depth}，每秒 ${rate} 个状态，${s} 秒`,
    outcome: {
      complete: (r) => `没有违反：已检查全部 ${r.states} 个可达状态（深度 ${r.depth}）。`,
      violation: (r) => `${r.steps.length} 步后违反 ${r.property}（检查了 ${r.states} 个状态）。该运行已在演示区打开，停在最后一步。`,
      example: (r) => `找到了，共 ${r.steps.length} 步（检查了 ${r.states} 个状态）。该运行已在演示区打开。`,
      'no-example': (r) => `界限之内没有可达状态满足它（检查了 ${r.states} 个状态）。`,
      'state-limit': (r) => `达到状态数上限（${r.states} 个状态）而停止，未发现问题：并非所有可达状态都已检查。`,
      'depth-limit': (r) => `达到深度上限而停止，未发现问题：更深的状态未检查（${r.states} 个状态）。`,
    },
    step: '步',
    what: '发生了什么',
    open_step: '打开到这一步为止的运行',
    failed: '检查无法运行：',
  },
};

const BOUNDS = ['max_term', 'max_requests', 'max_crashes', 'max_losses', 'max_duplicates', 'max_in_flight'];
const KINDS = ['drop', 'duplicate', 'crash', 'restart', 'timers'];

const STYLE = `
.check-panel { position: fixed; top: 0; right: 0; bottom: 0; z-index: 20; width: min(30rem, 100vw);
  overflow: auto; box-sizing: border-box; padding: 1rem 1.1rem 2rem; background: var(--panel, #fff);
  color: var(--fg, #1d1f21); border-left: 1px solid var(--line, #ccc); box-shadow: -6px 0 24px rgb(0 0 0 / 0.18);
  font: 14px/1.45 system-ui, sans-serif; }
.check-panel h2 { margin: 0 0 0.4rem; font-size: 1.15rem; }
.check-panel .intro { color: var(--muted, #555); margin: 0 0 0.8rem; }
.check-panel fieldset { border: 1px solid var(--line, #ccc); border-radius: 6px; margin: 0 0 0.7rem; padding: 0.4rem 0.7rem 0.6rem; }
.check-panel label { display: flex; gap: 0.5rem; align-items: center; justify-content: space-between; margin: 0.25rem 0; }
.check-panel label.inline { display: inline-flex; margin-right: 0.8rem; justify-content: flex-start; }
.check-panel input[type=number] { width: 6.5rem; }
.check-panel select { max-width: 16rem; }
.check-panel .buttons { display: flex; gap: 0.5rem; margin: 0.6rem 0; }
.check-panel button { font: inherit; padding: 0.35rem 0.9rem; }
.check-panel .close { position: absolute; top: 0.7rem; right: 0.8rem; }
.check-panel [data-check-result] { margin: 0.6rem 0; font-weight: 600; }
.check-panel [data-check-result][data-outcome=violation] { color: var(--bad, #d55e00); }
.check-panel table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
.check-panel th, .check-panel td { border-bottom: 1px solid var(--line, #ddd); padding: 0.2rem 0.3rem; vertical-align: top; text-align: left; }
.check-panel td.prop { text-align: center; white-space: nowrap; }
.check-panel td.prop[data-holds=false] { color: var(--bad, #d55e00); font-weight: 700; }
.check-panel th.prop { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: 500; max-height: 9rem; }
.check-panel tr[data-step] { cursor: pointer; }
.check-panel tr[data-step]:hover, .check-panel tr[data-step]:focus { background: color-mix(in srgb, var(--accent, #0072b2) 12%, transparent); outline: none; }
.check-panel .error { color: var(--error-fg, #8a1c1c); background: var(--error-bg, #fde8e8); padding: 0.4rem 0.6rem; border-radius: 4px; }
@media (prefers-reduced-motion: no-preference) { .check-panel { animation: check-in 0.15s ease-out; } }
@keyframes check-in { from { transform: translateX(2rem); opacity: 0; } }
`;

let panel = null;

/** Opens the panel (made on first use), for the protocol and language the page shows now. */
export function open() {
  if (!panel) panel = new CheckPanel();
  panel.show();
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

class CheckPanel {
  constructor() {
    const style = el('style', { text: STYLE });
    document.head.append(style);
    this.root = el('section', { class: 'check-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'check-title', 'data-check-panel': true, tabindex: '-1' });
    this.root.addEventListener('keydown', (e) => {
      // The page's shortcuts (space, arrows, letters) must not fire while typing here.
      e.stopPropagation();
      if (e.key === 'Escape') this.hide();
    });
    document.body.append(this.root);
    this.worker = null;
    this.described = null;
    this.result = null;
    // The page changes language or protocol: the panel follows.
    const app = () => document.getElementById('ballot');
    new MutationObserver(() => {
      if (this.root.hidden) return;
      const a = app();
      if (a && (a.dataset.lang !== this.pageLang || a.dataset.protocol !== this.protocol)) this.show();
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-lang', 'data-protocol'] });
  }

  get words() {
    return WORDS[this.lang] || WORDS.en;
  }

  show() {
    const app = document.getElementById('ballot');
    const protocol = (app && app.dataset.protocol) || 'raft';
    const lang = app && (app.dataset.lang || '').startsWith('zh') ? 'zh' : 'en';
    if (protocol !== this.protocol) {
      this.stop();
      this.result = null;
    }
    this.protocol = protocol;
    this.lang = lang;
    this.pageLang = app && app.dataset.lang;
    this.root.hidden = false;
    this.root.lang = lang;
    const bugSelect = document.querySelector('select[data-control="bug"]');
    this.bugs = bugSelect ? [...bugSelect.options].map((o) => o.value).filter((v) => v && v !== 'none') : [];
    const pageBug = bugSelect && bugSelect.value !== 'none' ? bugSelect.value : '';
    if (this.bug === undefined || !this.bugs.includes(this.bug)) this.bug = pageBug;
    const size = Number(app && app.dataset.size);
    if (!this.nodes) this.nodes = size >= 1 && size <= 5 ? Math.min(size, 3) : 3;
    this.describe();
  }

  hide() {
    this.root.hidden = true;
    const button = document.querySelector('[data-action="check"]');
    if (button) button.focus();
  }

  /** Asks the engine for the bounds, goals and properties of the chosen setup, then draws. */
  describe() {
    const setup = `${this.protocol} ${this.bug} ${this.nodes}`;
    this.ask(this.query('describe'), (reply) => {
      // Another protocol, variant or size has other default bounds; a new language keeps edits.
      if (setup !== this.describedFor) this.form = null;
      this.describedFor = setup;
      this.described = reply;
      this.draw();
      this.root.focus();
    });
  }

  query(op) {
    const q = new URLSearchParams({ protocol: this.protocol, op, lang: this.lang, nodes: String(this.nodes) });
    if (this.bug) q.set('bug', this.bug);
    if (op === 'run' && this.form) {
      const f = this.form;
      for (const b of BOUNDS) q.set(b, f.elements[b].value.trim());
      q.set('max_states', f.elements.max_states.value.trim());
      q.set('max_depth', f.elements.max_depth.value.trim());
      q.set('search', f.elements.search.value);
      q.set('allow', KINDS.filter((k) => f.elements[`allow-${k}`].checked).join(','));
      if (f.elements.goal.value !== 'safety') q.set('goal', f.elements.goal.value);
    }
    // URLSearchParams writes `,` as `%2C`; the engine reads plain words and commas only (two
    // allowed step kinds or more failed with "`allow` has a value with characters…").
    return q.toString().replace(/%2C/g, ',');
  }

  /** Sends one query to the check worker (started on first use); `done` gets the parsed result. */
  ask(query, done, onProgress) {
    if (!this.worker) {
      this.worker = new Worker('engine.js?p=check');
      this.worker.onerror = (e) => this.fail(e.message || 'the engine could not load');
    }
    this.worker.onmessage = (event) => {
      const data = event.data || {};
      if (data.error) return this.fail(data.error);
      if (data.progress && onProgress) return onProgress(JSON.parse(data.progress));
      if (data.result === undefined) return;
      let reply;
      try {
        reply = JSON.parse(data.result);
      } catch (err) {
        return this.fail(String(err));
      }
      if (reply.error) return this.fail(reply.error);
      done(reply);
    };
    this.worker.postMessage(query);
  }

  stop() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.running = false;
  }

  fail(message) {
    this.stop();
    this.draw();
    this.status.replaceChildren(el('p', { class: 'error', role: 'alert', 'data-check-error': true, text: this.words.failed + message }));
  }

  run() {
    const w = this.words;
    this.result = null;
    this.running = true;
    this.draw();
    const started = performance.now();
    const progress = (p) => {
      const seconds = (performance.now() - started) / 1000;
      const rate = Math.round(p.states / Math.max(seconds, 0.001));
      const line = this.status.querySelector('[data-check-progress]');
      if (!line) return;
      line.textContent = w.progress(p, rate, seconds.toFixed(1));
      line.dataset.states = p.states;
      line.dataset.depth = p.depth;
      line.dataset.statesPerSecond = rate;
    };
    this.ask(this.query('run'), (reply) => {
      this.running = false;
      reply.seconds = (performance.now() - started) / 1000;
      this.result = reply;
      this.draw();
      if (reply.link) location.hash = reply.link;
    }, progress);
  }

  draw() {
    const w = this.words;
    const d = this.described;
    const closeButton = el('button', { type: 'button', class: 'close', 'data-action': 'check-close', 'aria-label': w.close, text: '×' });
    closeButton.onclick = () => this.hide();
    const children = [closeButton, el('h2', { id: 'check-title', text: w.title }), el('p', { class: 'intro', text: w.intro })];
    this.status = el('div', { 'data-check-status': true, 'aria-live': 'polite' });
    if (d) {
      const form = el('form', { 'data-check-form': true });
      form.onsubmit = (e) => {
        e.preventDefault();
        if (!this.running) this.run();
      };
      const prev = this.form;
      const keep = (name, fallback) => (prev && prev.elements[name] ? prev.elements[name].value : fallback);
      const setup = el('fieldset', {}, el('legend', { text: this.protocol }));
      const nodes = el('input', { type: 'number', name: 'nodes', min: 1, max: 5, value: this.nodes, 'data-check-nodes': true });
      nodes.onchange = () => {
        const n = Math.round(Number(nodes.value));
        this.nodes = n >= 1 && n <= 5 ? n : 3;
        this.describe();
      };
      const bug = el('select', { name: 'bug', 'data-check-bug': true }, el('option', { value: '', text: w.none }),
        ...this.bugs.map((b) => el('option', { value: b, text: b, selected: b === this.bug })));
      bug.onchange = () => {
        this.bug = bug.value;
        this.describe();
      };
      const goal = el('select', { name: 'goal', 'data-check-goal': true }, el('option', { value: 'safety', text: w.safety }),
        ...d.goals.map((g, i) => el('option', { value: String(i), text: g })));
      goal.value = keep('goal', 'safety');
      setup.append(el('label', {}, el('span', { text: w.servers }), nodes), el('label', {}, el('span', { text: w.bug }), bug),
        el('label', {}, el('span', { text: w.question }), goal));
      const search = el('select', { name: 'search', 'data-check-search': true }, el('option', { value: 'bfs', text: w.bfs }), el('option', { value: 'dfs', text: w.dfs }));
      search.value = keep('search', 'bfs');
      setup.append(el('label', {}, el('span', { text: w.search }), search));
      if (d.start) setup.append(el('p', { class: 'note', 'data-check-start': true, text: `${w.startsAfter} ${d.start}.` }));
      const bounds = el('fieldset', {}, el('legend', { text: w.bounds }));
      for (const b of BOUNDS) {
        bounds.append(el('label', {}, el('span', { text: w[b] }), el('input', { type: 'number', name: b, min: b === 'max_in_flight' ? 1 : 0, value: keep(b, d.bounds[b]), 'data-check-bound': b })));
      }
      bounds.append(el('label', {}, el('span', { text: w.max_states }), el('input', { type: 'number', name: 'max_states', min: 1, max: 5000000, value: keep('max_states', d.max_states), 'data-check-bound': 'max_states' })));
      bounds.append(el('label', {}, el('span', { text: w.max_depth }), el('input', { type: 'number', name: 'max_depth', min: 0, value: keep('max_depth', ''), 'data-check-bound': 'max_depth' })));
      const allowed = d.allow.split(',');
      const allow = el('fieldset', {}, el('legend', { text: w.allow }),
        ...KINDS.map((k) => el('label', { class: 'inline' }, el('input', { type: 'checkbox', name: `allow-${k}`, checked: prev && prev.elements[`allow-${k}`] ? prev.elements[`allow-${k}`].checked : allowed.includes(k), 'data-check-allow': k }), el('span', { text: w.kinds[k] }))));
      const runButton = el('button', { type: 'submit', class: 'primary', 'data-action': 'check-run', disabled: this.running, text: w.run });
      const stopButton = el('button', { type: 'button', 'data-action': 'check-stop', disabled: !this.running, text: w.stop });
      stopButton.onclick = () => {
        this.stop();
        this.draw();
        this.status.prepend(el('p', { 'data-check-stopped': true, text: w.stopped }));
      };
      form.append(setup, bounds, allow, el('div', { class: 'buttons' }, runButton, stopButton));
      this.form = form;
      children.push(form);
    }
    if (this.running) this.status.append(el('p', { 'data-check-progress': true, role: 'status', text: w.running }));
    if (this.result) this.status.append(...this.drawResult(this.result));
    children.push(this.status);
    this.root.replaceChildren(...children);
  }

  drawResult(r) {
    const w = this.words;
    const say = w.outcome[r.outcome];
    const parts = [el('p', {
      'data-check-result': true, 'data-outcome': r.outcome, 'data-check-property': r.property, 'data-states': r.states,
      'data-depth': r.depth, 'data-check-length': r.steps ? r.steps.length : null, 'data-check-link': r.link,
      text: say ? say(r) : r.outcome,
    })];
    if (!r.steps) return parts;
    const head = el('tr', {}, el('th', { text: w.step }), el('th', { text: w.what }), ...r.properties.map((p) => el('th', { class: 'prop', scope: 'col', text: p })));
    const rows = r.steps.map((s, i) => {
      const row = el('tr', { 'data-step': i + 1, tabindex: 0, title: w.open_step },
        el('td', { text: String(i + 1) }), el('td', { text: s.what }),
        ...r.properties.map((p, k) => {
          const holds = !s.broken.includes(k);
          return el('td', { class: 'prop', 'data-holds': String(holds), 'aria-label': `${p}: ${holds ? '✓' : '✗'}`, text: holds ? '✓' : '✗' });
        }));
      const go = () => {
        location.hash = s.link;
        for (const other of row.parentNode.children) other.removeAttribute('aria-current');
        row.setAttribute('aria-current', 'step');
      };
      row.onclick = go;
      row.onkeydown = (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          go();
        }
      };
      return row;
    });
    parts.push(el('table', { 'data-check-steps': true }, el('thead', {}, head), el('tbody', {}, ...rows)));
    return parts;
  }
}
