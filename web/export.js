// The Embed & export dialog: everything needed to put the current run somewhere else.
//
// web/boot.js imports this module on the first click of [data-action="export-media"] (the Share
// panel's "Embed & export…"), so none of it is part of the first load. The dialog takes the share
// link of the current moment (it presses Share and reads [data-share-url]) and offers:
// - ready-to-paste snippets: the embed iframe, the <ballot-playground> widget, a Hugo shortcode
//   and a Hexo tag (docs/embedding.md), each with a copy button;
// - the link as a QR code for slides (SVG, made by the worker);
// - a PNG of the moment shown and an animated GIF of a time window, for platforms that take
//   neither iframes nor scripts. Each picture is the ring (and, optionally, the space-time
//   diagram) stamped with a caption (protocol, time, milestone) and the share link.
// Pictures are captured in the page: the ring is cloned with the computed styles that matter
// inlined, drawn into a canvas through a data: URL (the CSP allows no blob: images), and the GIF
// seeks the page frame by frame through the timeline, as a person dragging it would, then returns
// to the moment that was shown. The RGBA frames go to `engine-media` (web/engine/src/bin), a
// worker started through web/engine.js only when a QR code or a GIF is first needed, which encodes
// them with the `gif` crate and reports each frame (the progress bar). The DOM contract for tests
// is listed in ARCHITECTURE.md.
'use strict';

const WORDS = {
  en: {
    title: 'Embed & export',
    close: 'Close',
    intro: 'Put this run in a post or on a slide. The link reopens this exact moment.',
    link: 'Share link',
    snippets: 'Snippets',
    iframe: 'iframe (any page that allows iframes)',
    element: 'Widget (your own site: script once, then the element)',
    hugo: 'Hugo shortcode',
    hugoNote: 'Needs layouts/shortcodes/ballot.html (see docs/embedding.md, "Hosts").',
    hexo: 'Hexo tag',
    hexoNote: 'Needs the tag plugin scripts/ballot.js (see docs/embedding.md, "Hosts").',
    copy: 'Copy',
    copied: 'Copied',
    qr: 'QR code of the link (for slides)',
    qrTooLong: 'The link is too long for a QR code.',
    pictures: 'Pictures (for platforms without iframes or scripts)',
    png: 'PNG of this moment',
    downloadPng: 'Download ballot-moment.png',
    downloadQr: 'Download ballot-qr.svg',
    gif: 'Animated GIF',
    from: 'From (s)',
    to: 'To (s)',
    fps: 'Frames per second of run time',
    width: 'Width (px)',
    diagram: 'Include the space-time diagram',
    makeGif: 'Make GIF',
    cancel: 'Cancel',
    downloadGif: 'Download ballot-run.gif',
    capturing: (k, n) => `Frame ${k} of ${n}…`,
    done: (n, kb) => `${n} frames, ${kb} KB.`,
    cancelled: 'Cancelled.',
    failed: 'The export failed: ',
    noLink: 'No share link yet.',
    badWindow: 'Choose a window inside the run (from before to).',
  },
  zh: {
    title: '嵌入与导出',
    close: '关闭',
    intro: '把这次运行放进文章或幻灯片。链接会重新打开这一确切时刻。',
    link: '分享链接',
    snippets: '代码片段',
    iframe: 'iframe（任何允许 iframe 的页面）',
    element: '小组件（你自己的网站：脚本一次，然后是元素）',
    hugo: 'Hugo 短代码',
    hugoNote: '需要 layouts/shortcodes/ballot.html（见 docs/embedding.zh.md 的“宿主”一节）。',
    hexo: 'Hexo 标签',
    hexoNote: '需要标签插件 scripts/ballot.js（见 docs/embedding.zh.md 的“宿主”一节）。',
    copy: '复制',
    copied: '已复制',
    qr: '链接的二维码（用于幻灯片）',
    qrTooLong: '链接太长，无法生成二维码。',
    pictures: '图片（用于不支持 iframe 和脚本的平台）',
    png: '此刻的 PNG',
    downloadPng: '下载 ballot-moment.png',
    downloadQr: '下载 ballot-qr.svg',
    gif: '动画 GIF',
    from: '起点（秒）',
    to: '终点（秒）',
    fps: '每秒运行时间的帧数',
    width: '宽度（像素）',
    diagram: '包含时空图',
    makeGif: '生成 GIF',
    cancel: '取消',
    downloadGif: '下载 ballot-run.gif',
    capturing: (k, n) => `第 ${k} / ${n} 帧…`,
    done: (n, kb) => `${n} 帧，${kb} KB。`,
    cancelled: '已取消。',
    failed: '导出失败：',
    noLink: '还没有分享链接。',
    badWindow: '请在运行范围内选择时间窗口（起点早于终点）。',
  },
};

const STYLE = `
.export-overlay { position: fixed; inset: 0; background: rgb(0 0 0 / 0.35); display: grid; place-items: center; z-index: 25; padding: 1rem; }
.export-dialog { position: relative; background: var(--panel, #fff); color: var(--fg, #1d1f21); border-radius: 10px; padding: 1rem 1.25rem;
  max-width: 44rem; width: 100%; max-height: calc(100vh - 2rem); overflow: auto; box-sizing: border-box;
  box-shadow: 0 10px 30px rgb(0 0 0 / 0.3); font: 14px/1.45 system-ui, sans-serif; }
.export-dialog h2 { margin: 0 0 0.3rem; font-size: 1.15rem; }
.export-dialog h3 { margin: 0.9rem 0 0.3rem; font-size: 1rem; }
.export-dialog .close { position: absolute; top: 0.7rem; right: 0.8rem; }
.export-dialog .snippet { margin: 0.4rem 0; }
.export-dialog .snippet textarea { width: 100%; box-sizing: border-box; font: 12px/1.35 ui-monospace, monospace; resize: vertical; }
.export-dialog .snippet .head { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; }
.export-dialog .note { color: var(--muted, #555); font-size: 12.5px; margin: 0.1rem 0 0; }
.export-dialog [data-qr] svg { width: 10rem; height: 10rem; display: block; }
.export-dialog [data-qr][data-large] svg { width: min(100%, 20rem); height: auto; }
.export-dialog .fields { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; margin: 0.3rem 0; }
.export-dialog .fields input[type=number] { width: 5.5rem; }
.export-dialog progress { width: 100%; }
.export-dialog .row { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: center; margin: 0.4rem 0; }
.export-dialog img.preview { max-width: 100%; border: 1px solid var(--line, #ccc); display: block; margin-top: 0.4rem; }
`;

const $ = (selector, root = document) => root.querySelector(selector);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const page = () => document.getElementById('ballot');
const nowMs = () => Number(page()?.dataset.nowMs ?? NaN);

async function until(test, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const value = test();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

// ---- The worker ---------------------------------------------------------------------------

let worker = null;
let waiting = []; // resolvers, in order: the worker answers each message in turn

/** Calls `call(...args)` of engine-media (web/engine/src/bin/engine-media.rs) in its worker. */
function media(call, args, transfer = []) {
  if (!worker) {
    worker = new Worker('engine.js?p=media');
    worker.onmessage = (event) => {
      const data = event.data;
      if (data && data.error) {
        const all = waiting;
        waiting = [];
        worker.terminate();
        worker = null;
        for (const w of all) w.reject(new Error(data.error));
        return;
      }
      const next = waiting.shift();
      if (next) next.resolve(data.result);
    };
  }
  return new Promise((resolve, reject) => {
    waiting.push({ resolve, reject });
    worker.postMessage({ call, args }, transfer);
  });
}

// ---- The share link and the snippets ------------------------------------------------------

/** Presses Share and returns the link it shows. */
async function shareLink() {
  const before = $('[data-share-url]')?.value;
  $('[data-action="share"]')?.click();
  // The link is made by the page's engine: wait for it, or for a new one (a moment already
  // shared keeps its link: then the wait ends after a second).
  await until(() => $('[data-share-url]'), 10000, 'the share link').catch(() => null);
  if (before) await until(() => $('[data-share-url]')?.value !== before, 1000, 'a new link').catch(() => null);
  return $('[data-share-url]')?.value || '';
}

/** The four snippets for a share link, from this page's own address. */
export function snippets(link, protocol) {
  const base = new URL('.', location.href).href;
  const url = new URL(link, location.href);
  const run = url.hash;
  const proto = url.searchParams.get('protocol') || protocol;
  const attr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const src = `${base}index.html?embed=1&protocol=${encodeURIComponent(proto)}${run}`;
  return {
    iframe: `<iframe src="${attr(src)}"\n  title="Ballot: ${attr(proto)}" loading="lazy" style="width: 100%; height: 480px; border: 0"></iframe>`,
    element: `<script src="${attr(base)}ballot-embed.js" defer></script>\n<ballot-playground protocol="${attr(proto)}" run="${attr(run)}"></ballot-playground>`,
    hugo: `{{< ballot protocol="${proto}" run="${run}" >}}`,
    hexo: `{% ballot protocol=${proto} run=${run} %}`,
  };
}

// ---- Capturing pictures -------------------------------------------------------------------

const PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity',
  'font-size', 'font-weight', 'font-family', 'font-style', 'text-anchor', 'dominant-baseline', 'visibility',
  'display', 'transform', 'transform-origin', 'transform-box', 'stroke-linecap', 'marker-end', 'paint-order'];

/** The SVG as a data: URL of its markup with the computed styles that matter inlined. */
function svgData(svg, width, height, viewBox) {
  const copy = svg.cloneNode(true);
  if (viewBox) copy.setAttribute('viewBox', viewBox.join(' '));
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  for (let i = 0; i < from.length; i++) {
    const style = getComputedStyle(from[i]);
    let text = '';
    // A transform attribute stays as it is; a CSS transform is carried over. The root keeps
    // full opacity (the page fades the ring while a past moment is shown).
    const own = from[i].hasAttribute('transform');
    for (const p of PROPS) {
      if (p.startsWith('transform') && own) continue;
      if (p === 'opacity' && i === 0) continue;
      const v = style.getPropertyValue(p);
      if (v && !(p === 'transform' && v === 'none')) text += `${p}:${v};`;
    }
    // No animations or transitions in a still picture.
    to[i].setAttribute('style', `${text}animation:none;transition:none`);
  }
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const markup = new XMLSerializer().serializeToString(copy);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
}

function loadImage(src) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('a picture of the page could not be drawn'));
    img.src = src;
  });
}

function aspect(svg) {
  const vb = svg.viewBox && svg.viewBox.baseVal;
  if (vb && vb.width > 0 && vb.height > 0) return vb.height / vb.width;
  const r = svg.getBoundingClientRect();
  return r.width > 0 ? r.height / r.width : 1;
}

/** The ring's viewBox with a margin: role labels stand out of it at the top and bottom. */
function ringBox(ring) {
  const vb = ring.viewBox.baseVal;
  const m = vb.width * 0.05;
  return [vb.x - m, vb.y - m, vb.width + 2 * m, vb.height + 2 * m];
}

/** The picture's layout for a width: the ring, the diagram (optional) and the caption. */
function layout(width, withDiagram) {
  const ring = $('svg.ring');
  if (!ring) throw new Error('no ring to draw');
  const scale = width / 480;
  const box = ringBox(ring);
  const ringH = Math.round(width * Math.min(box[3] / box[2], 1.25));
  const diagram = withDiagram ? $('[data-diagram] svg') : null;
  const diagramH = diagram ? Math.round(width * 0.75) : 0;
  const captionH = Math.round(46 * scale);
  // GIF frames need an even size for some players; the canvas is what is encoded.
  const height = ringH + diagramH + captionH;
  return { width, height, ringH, diagramH, captionH, scale, withDiagram: !!diagram };
}

function ellipsize(ctx, text, max) {
  if (ctx.measureText(text).width <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

/** Draws the moment shown into the canvas (sized by `lay`), with its caption and link. */
async function drawMoment(canvas, lay, link) {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const bodyStyle = getComputedStyle(document.body);
  const bg = getComputedStyle(page() || document.body).backgroundColor;
  const fg = bodyStyle.color || '#000';
  ctx.fillStyle = bg && bg !== 'rgba(0, 0, 0, 0)' ? bg : (bodyStyle.backgroundColor || '#fff');
  if (ctx.fillStyle === 'rgba(0, 0, 0, 0)') ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, lay.width, lay.height);
  const ring = $('svg.ring');
  const ringImg = await loadImage(svgData(ring, lay.width, lay.ringH, ringBox(ring)));
  ctx.drawImage(ringImg, 0, 0, lay.width, lay.ringH);
  if (lay.withDiagram) {
    const svg = $('[data-diagram] svg');
    if (svg) {
      const a = aspect(svg);
      let w = lay.width;
      let h = w * a;
      if (h > lay.diagramH) {
        h = lay.diagramH;
        w = h / a;
      }
      const img = await loadImage(svgData(svg, Math.round(w), Math.round(h)));
      ctx.drawImage(img, (lay.width - w) / 2, lay.ringH, w, h);
    }
  }
  // The caption: protocol · time · milestone, then the link.
  const s = lay.scale;
  const y0 = lay.ringH + lay.diagramH;
  ctx.fillStyle = fg;
  ctx.textBaseline = 'alphabetic';
  const pad = Math.round(8 * s);
  ctx.font = `600 ${Math.max(9, Math.round(13 * s))}px system-ui, sans-serif`;
  const app = page();
  const protocol = app?.querySelector('[data-control="protocol"] option:checked')?.textContent || app?.dataset.protocol || '';
  const time = `${(nowMs() / 1000).toFixed(2)} s`;
  const milestone = ($('[data-milestone]')?.textContent || '').trim();
  const caption = [protocol, time, milestone].filter(Boolean).join(' · ');
  ctx.fillText(ellipsize(ctx, caption, lay.width - 2 * pad), pad, y0 + Math.round(18 * s));
  ctx.font = `${Math.max(8, Math.round(11 * s))}px ui-monospace, monospace`;
  ctx.globalAlpha = 0.8;
  ctx.fillText(ellipsize(ctx, link, lay.width - 2 * pad), pad, y0 + Math.round(37 * s));
  ctx.globalAlpha = 1;
  return ctx;
}

// ---- Driving the page ---------------------------------------------------------------------

const playing = () => page()?.dataset.playing === 'true';

async function pause() {
  if (!playing()) return;
  $('[data-action="play"]')?.click();
  await until(() => !playing(), 3000, 'pause').catch(() => {});
}

/** Moves the page to `ms` of run time through the timeline, as dragging it would. */
async function seek(ms) {
  const scrub = $('[data-control="scrub"]');
  if (!scrub) throw new Error('no timeline');
  if (nowMs() === ms) return;
  scrub.value = String(ms);
  scrub.dispatchEvent(new Event('input', { bubbles: true }));
  await until(() => nowMs() === ms, 5000, 'the moment').catch(() => {});
  // Let the ring's drawing settle (one frame).
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

// ---- The dialog ---------------------------------------------------------------------------

let open_ = null;
let styled = false;

/** Opens the dialog (or gives it the focus if it is open). */
export function open() {
  if (open_) return open_.focus();
  if (!styled) {
    document.head.append(el('style', { text: STYLE }));
    styled = true;
  }
  open_ = new Dialog();
}

class Dialog {
  constructor() {
    const lang = page()?.dataset.lang || 'en';
    this.w = lang.startsWith('zh') ? WORDS.zh : WORDS.en;
    this.back = document.activeElement;
    this.busy = null; // { cancelled } while a GIF is made
    const w = this.w;
    this.closeButton = el('button', { type: 'button', class: 'close', 'data-action': 'export-close', text: w.close, onclick: () => this.close() });
    this.linkBox = el('input', { type: 'text', readonly: true, 'data-export-link': '', 'aria-label': w.link, style: 'width:100%;box-sizing:border-box' });
    this.snippetBoxes = {};
    const snippetNodes = ['iframe', 'element', 'hugo', 'hexo'].map((kind) => {
      const box = el('textarea', { readonly: true, rows: kind === 'hugo' || kind === 'hexo' ? 2 : 3, spellcheck: 'false', 'data-snippet': kind, 'aria-label': w[kind] });
      this.snippetBoxes[kind] = box;
      const copy = el('button', { type: 'button', 'data-action': `copy-${kind}`, text: w.copy });
      copy.addEventListener('click', () => this.copy(box, copy));
      const note = kind === 'hugo' ? w.hugoNote : kind === 'hexo' ? w.hexoNote : null;
      return el('div', { class: 'snippet' },
        el('div', { class: 'head' }, el('span', { text: w[kind] }), copy),
        box,
        note ? el('p', { class: 'note', text: note }) : null);
    });
    this.qr = el('div', { 'data-qr': '', 'aria-label': w.qr, role: 'img' });
    this.qrLink = el('a', { class: 'download', 'data-download': 'qr', download: 'ballot-qr.svg', hidden: true, text: w.downloadQr });
    // The PNG.
    this.pngLink = el('a', { class: 'download', 'data-download': 'png', download: 'ballot-moment.png', hidden: true, text: w.downloadPng });
    const pngButton = el('button', { type: 'button', 'data-action': 'export-png', text: w.png, onclick: () => this.png() });
    // The GIF.
    const t = nowMs() || 0;
    // The last 5 s before the moment shown (on a tenth of a second), or the first 5 s.
    const toS = t >= 5000 ? Math.floor(t / 100) / 10 : 5;
    const fromS = Math.max(0, toS - 5);
    const num = (attr, value, min, max, step) => el('input', { type: 'number', [attr]: '', value, min, max, step });
    this.from = num('data-export-from', fromS.toFixed(1), 0, null, 0.1);
    this.to = num('data-export-to', toS.toFixed(1), 0, null, 0.1);
    this.fps = num('data-export-fps', 10, 1, 30, 1);
    this.width = num('data-export-width', 480, 160, 1200, 10);
    this.diagram = el('input', { type: 'checkbox', 'data-export-diagram': '' });
    this.gifButton = el('button', { type: 'button', 'data-action': 'export-gif', text: w.makeGif, onclick: () => this.gif() });
    this.progress = el('progress', { 'data-export-progress': '', max: 1, value: 0, hidden: true });
    this.status = el('p', { role: 'status', 'data-export-status': '' });
    this.gifLink = el('a', { class: 'download', 'data-download': 'gif', download: 'ballot-run.gif', hidden: true, text: w.downloadGif });
    this.preview = el('img', { class: 'preview', alt: '', hidden: true });
    const label = (text, input) => el('label', {}, el('span', { text: `${text} ` }), input);
    this.dialog = el('div', { class: 'export-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'export-title', 'data-export-panel': '' },
      el('h2', { id: 'export-title', text: w.title }),
      this.closeButton,
      el('p', { class: 'note', text: w.intro }),
      label(w.link, this.linkBox),
      el('h3', { text: w.snippets }),
      ...snippetNodes,
      el('h3', { text: w.qr }),
      this.qr,
      this.qrLink,
      el('h3', { text: w.pictures }),
      el('div', { class: 'row' }, pngButton, this.pngLink),
      el('div', { class: 'fields' },
        label(w.from, this.from), label(w.to, this.to), label(w.fps, this.fps), label(w.width, this.width),
        el('label', {}, this.diagram, el('span', { text: ` ${w.diagram}` }))),
      el('div', { class: 'row' }, this.gifButton, this.gifLink),
      this.progress,
      this.status,
      this.preview);
    this.overlay = el('div', { class: 'export-overlay', 'data-export': '' }, this.dialog);
    this.overlay.addEventListener('click', (e) => {
      if (e.target === this.overlay) this.close();
    });
    this.overlay.addEventListener('keydown', (e) => this.key(e));
    document.body.append(this.overlay);
    this.closeButton.focus();
    this.refresh();
  }

  focus() {
    this.closeButton.focus();
  }

  key(e) {
    // The page's shortcuts must not act behind a modal dialog.
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
    } else if (e.key === 'Tab') {
      const all = [...this.dialog.querySelectorAll('button, input, textarea, a[href], select')]
        .filter((n) => !n.hidden && !n.disabled && n.offsetParent !== null);
      if (!all.length) return;
      const i = all.indexOf(document.activeElement);
      const next = e.shiftKey ? (i <= 0 ? all.length - 1 : i - 1) : (i + 1) % all.length;
      e.preventDefault();
      all[next].focus();
    }
  }

  close() {
    if (this.busy) this.busy.cancelled = true;
    this.overlay.remove();
    open_ = null;
    if (this.back && this.back.focus) this.back.focus();
  }

  /** The share link of the moment shown, its snippets and its QR code. */
  async refresh() {
    const w = this.w;
    const link = await shareLink();
    this.link = link;
    this.linkBox.value = link || w.noLink;
    if (!link) return;
    const s = snippets(link, page()?.dataset.protocol || 'raft');
    for (const [kind, box] of Object.entries(this.snippetBoxes)) box.value = s[kind];
    try {
      const svg = await media('qr_svg', [link]);
      if (svg) {
        this.qr.innerHTML = svg;
        this.qr.removeAttribute('data-qr-error');
        // Dense codes (long links) are shown larger, so that a phone can read them off a screen.
        this.qr.toggleAttribute('data-large', Number(this.qr.firstElementChild?.getAttribute('data-qr-version')) > 10);
        this.qrLink.href = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
        this.qrLink.hidden = false;
      } else {
        this.qr.textContent = w.qrTooLong;
        this.qr.setAttribute('data-qr-error', 'too-long');
      }
    } catch (err) {
      this.qr.textContent = `${w.failed}${err.message || err}`;
      this.qr.setAttribute('data-qr-error', 'failed');
    }
  }

  async copy(box, button) {
    box.select();
    try {
      await navigator.clipboard.writeText(box.value);
    } catch {
      document.execCommand && document.execCommand('copy');
    }
    button.textContent = this.w.copied;
    setTimeout(() => (button.textContent = this.w.copy), 1500);
  }

  /** A PNG of the moment shown. */
  async png() {
    const w = this.w;
    try {
      if (!this.link) await this.refresh();
      const lay = layout(this.size(), this.diagram.checked);
      const canvas = el('canvas', { width: lay.width, height: lay.height });
      await drawMoment(canvas, lay, this.link || '');
      this.pngLink.href = canvas.toDataURL('image/png');
      this.pngLink.hidden = false;
      this.status.textContent = '';
    } catch (err) {
      this.status.textContent = `${w.failed}${err.message || err}`;
    }
  }

  size() {
    return Math.max(160, Math.min(1200, Math.round(Number(this.width.value) || 480)));
  }

  /** An animated GIF of the chosen window, one frame every 1/fps s of run time. */
  async gif() {
    const w = this.w;
    if (this.busy) {
      this.busy.cancelled = true;
      return;
    }
    const scrub = $('[data-control="scrub"]');
    const live = Number(scrub?.max ?? 0);
    const from = Math.max(0, Math.round(Number(this.from.value) * 1000));
    const to = Math.min(live, Math.round(Number(this.to.value) * 1000));
    const fps = Math.max(1, Math.min(30, Math.round(Number(this.fps.value) || 10)));
    if (!scrub || !(to > from)) {
      this.status.textContent = w.badWindow;
      return;
    }
    const stepMs = 1000 / fps;
    const times = [];
    for (let k = 0; from + k * stepMs <= to + 0.5 && k < 1200; k++) times.push(Math.round(from + k * stepMs));
    const busy = { cancelled: false };
    this.busy = busy;
    const wasPlaying = playing();
    const back = nowMs();
    const wasPast = !!$('[data-action="live"]');
    this.gifButton.textContent = w.cancel;
    this.gifLink.hidden = true;
    this.preview.hidden = true;
    this.progress.hidden = false;
    this.progress.max = times.length;
    this.progress.value = 0;
    try {
      if (!this.link) await this.refresh();
      await pause();
      const lay = layout(this.size(), this.diagram.checked);
      const canvas = el('canvas', { width: lay.width, height: lay.height });
      const begun = await media('gif_begin', [lay.width, lay.height, Math.round(100 / fps)]);
      if (!begun) throw new Error(`${lay.width}×${lay.height}`);
      const encoded = [];
      for (let k = 0; k < times.length; k++) {
        if (busy.cancelled) break;
        this.status.textContent = w.capturing(k + 1, times.length);
        await seek(times[k]);
        const ctx = await drawMoment(canvas, lay, this.link || '');
        const rgba = new Uint8Array(ctx.getImageData(0, 0, lay.width, lay.height).data.buffer);
        // Encoding runs in the worker while the next frame is captured.
        encoded.push(media('gif_frame', [rgba], [rgba.buffer]).then((frames) => {
          if (!frames) throw new Error('a frame was refused');
          this.progress.value = Math.max(Number(this.progress.value), frames);
        }));
      }
      await Promise.all(encoded);
      const bytes = await media('gif_end', []);
      if (busy.cancelled) {
        this.status.textContent = w.cancelled;
      } else {
        const url = await dataUrl(bytes, 'image/gif');
        this.gifLink.href = url;
        this.gifLink.hidden = false;
        this.preview.src = url;
        this.preview.hidden = false;
        this.status.textContent = w.done(times.length, Math.round(bytes.length / 1024));
      }
    } catch (err) {
      this.status.textContent = `${w.failed}${err.message || err}`;
    } finally {
      // Back to where the person was.
      if (!wasPast && $('[data-action="live"]')) $('[data-action="live"]').click();
      else await seek(back).catch(() => {});
      if (wasPlaying && !playing()) $('[data-action="play"]')?.click();
      this.busy = null;
      this.gifButton.textContent = w.makeGif;
    }
  }
}

function dataUrl(bytes, type) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(new Blob([bytes], { type }));
  });
}
