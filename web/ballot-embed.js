/* Ballot's blog widget: <ballot-playground protocol="raft" tour="raft-election"></ballot-playground>
 * after <script src="https://YOUR-HOST/ballot-embed.js" defer></script>. Plain JavaScript, no wasm.
 *
 * Attributes mirror the embed page's query parameters (docs/embedding.md): protocol, tour, step,
 * scenario, run (a share link's `#run=…` part), size, seed, speed, lang, bug, lock, controls, and
 * height (the frame's initial height in px; afterwards it follows the page's resize messages).
 * Until the widget is near the viewport it shows a static fallback (a picture and a link); then
 * it creates an iframe of index.html?embed=1&… from the same place as this script, and pauses it
 * whenever it leaves the viewport or the tab is hidden. Each widget is independent. The page's
 * events are re-dispatched on the element as `ballot:TYPE` CustomEvents (detail: the message),
 * and element.send({ type: 'play' | 'pause' | 'step' | 'reset' | 'load', … }) commands it.
 */
(() => {
  'use strict';
  if (!window.customElements || customElements.get('ballot-playground')) return;
  const script = document.currentScript;
  const base = new URL('.', script ? script.src : location.href);
  const PARAMS = ['protocol', 'tour', 'step', 'scenario', 'size', 'seed', 'speed', 'lang', 'bug', 'lock', 'controls'];
  const zh = (el) => (el.getAttribute('lang') || el.closest('[lang]')?.getAttribute('lang') || navigator.language || '').startsWith('zh');

  class BallotPlayground extends HTMLElement {
    connectedCallback() {
      if (this.frame || this.fallback) return;
      this.style.display = 'block';
      this.style.position = 'relative';
      const height = Math.min(Math.max(Number(this.getAttribute('height')) || 480, 240), 4000);
      this.style.minHeight = `${height}px`;
      this.url = this.embedUrl();
      this.fallback = document.createElement('a');
      this.fallback.href = this.fullUrl();
      this.fallback.setAttribute('data-ballot-fallback', '');
      this.fallback.style.cssText = `display:flex;flex-direction:column;align-items:center;justify-content:center;gap:.5rem;height:${height}px;border:1px solid #ccc;border-radius:8px;text-decoration:none;color:inherit;font:15px/1.4 system-ui,sans-serif`;
      const picture = document.createElement('img');
      picture.src = new URL('embed-preview.svg', base).href;
      picture.alt = '';
      picture.width = 160;
      picture.height = 160;
      const words = document.createElement('span');
      words.textContent = zh(this) ? 'Ballot：共识协议演示（点击打开）' : 'Ballot: a consensus protocol playground (open)';
      this.fallback.append(picture, words);
      this.append(this.fallback);
      this.onMessage = (event) => this.heard(event);
      window.addEventListener('message', this.onMessage);
      this.onVisibility = () => this.visibility();
      document.addEventListener('visibilitychange', this.onVisibility);
      this.inView = false;
      this.observer = new IntersectionObserver(
        (entries) => {
          this.inView = entries.some((e) => e.isIntersecting);
          if (this.inView && !this.frame) this.load(height);
          this.visibility();
        },
        { rootMargin: '200px 0px' },
      );
      this.observer.observe(this);
    }

    disconnectedCallback() {
      this.observer?.disconnect();
      window.removeEventListener('message', this.onMessage);
      document.removeEventListener('visibilitychange', this.onVisibility);
    }

    embedUrl() {
      const url = new URL('index.html', base);
      url.searchParams.set('embed', '1');
      for (const name of PARAMS) {
        const value = this.getAttribute(name);
        if (value != null && value !== '') url.searchParams.set(name, value);
      }
      url.searchParams.set('origin', location.origin);
      const run = this.getAttribute('run');
      if (run) url.hash = run.replace(/^.*?#?(?=run=)/, '');
      return url;
    }

    fullUrl() {
      const url = new URL(this.url);
      for (const name of ['embed', 'lock', 'controls', 'origin']) url.searchParams.delete(name);
      return url.href;
    }

    load(height) {
      this.frame = document.createElement('iframe');
      this.frame.src = this.url.href;
      this.frame.title = zh(this) ? 'Ballot 共识协议演示' : 'Ballot consensus playground';
      this.frame.style.cssText = `display:block;width:100%;height:${height}px;border:1px solid #ccc;border-radius:8px`;
      this.frame.setAttribute('allow', 'clipboard-write');
      this.fallback.replaceWith(this.frame);
      this.fallback = null;
    }

    visibility() {
      const visible = this.inView && document.visibilityState === 'visible';
      if (this.frame && visible !== this.shown) {
        this.shown = visible;
        this.send({ type: visible ? 'play' : 'pause', auto: true });
      }
    }

    /** Posts a command to the embedded page (only to this widget's origin). */
    send(message) {
      this.frame?.contentWindow?.postMessage({ ...message, source: 'ballot' }, this.url.origin);
    }

    heard(event) {
      if (!this.frame || event.source !== this.frame.contentWindow || event.origin !== this.url.origin) return;
      const message = event.data;
      if (!message || typeof message !== 'object' || message.source !== 'ballot' || typeof message.type !== 'string') return;
      if (message.type === 'resize' && Number.isFinite(message.height)) {
        this.frame.style.height = `${Math.min(Math.max(message.height, 200), 4000)}px`;
        this.style.minHeight = '';
      }
      if (message.type === 'ready') this.visibility();
      if (typeof message.playing === 'boolean') this.setAttribute('data-playing', String(message.playing));
      this.dispatchEvent(new CustomEvent(`ballot:${message.type}`, { detail: message, bubbles: true }));
    }
  }

  customElements.define('ballot-playground', BallotPlayground);
})();
