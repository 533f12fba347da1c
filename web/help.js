// The keyboard-shortcut help (and how to read the space-time diagram): a modal dialog web/boot.js loads on the first click of
// [data-action="help"] or the first `?` key (not part of the first load). It takes the focus
// (the Close button), keeps Tab inside, closes on Escape, `?` or Close, and gives the focus back
// to where it was. Words follow the page's language (#ballot[data-lang]).
'use strict';

const WORDS = {
  en: {
    title: 'Keyboard shortcuts',
    close: 'Close',
    diagram: 'The space-time diagram',
    diagramText: 'One line per server, time flowing down; arrows are messages (dashed: in flight, red ✕: dropped). The purple line is the moment shown; click anywhere to move it there. Hover an arrow to find it in the ring and the feed.',
    keys: [
      ['Space', 'play / pause (on a focused button: press it)'],
      ['. or →', 'step to the next event'],
      [', or ←', 'step back one event'],
      ['+ / -', 'faster / slower'],
      ['r', 'reset'],
      ['1–9', 'select a server'],
      ['c', 'crash / restart the selected server'],
      ['t', 'force its election timeout'],
      ['q', 'type a client request for it'],
      ['h', 'heal the network'],
      ['f', 'presenter mode: the ring fills the screen'],
      ['?', 'show / hide this help'],
      ['Esc', 'close, deselect'],
    ],
  },
  zh: {
    title: '键盘快捷键',
    close: '关闭',
    diagram: '时空图',
    diagramText: '每台服务器一条竖线，时间自上而下；箭头是消息（虚线：仍在途中，红色 ✕：已丢失）。紫色线是当前显示的时刻，点击任意位置即可移到那里。把鼠标移到箭头上，可在环和事件列表中找到它。',
    keys: [
      ['空格', '播放 / 暂停（焦点在按钮上时：按下该按钮）'],
      ['. 或 →', '单步到下一个事件'],
      [', 或 ←', '后退一个事件'],
      ['+ / -', '加速 / 减速'],
      ['r', '重置'],
      ['1–9', '选择服务器'],
      ['c', '让选中的服务器宕机 / 重启'],
      ['t', '强制其选举超时'],
      ['q', '为它输入客户端请求'],
      ['h', '恢复网络'],
      ['f', '演示模式：环占满屏幕'],
      ['?', '显示 / 隐藏本帮助'],
      ['Esc', '关闭、取消选择'],
    ],
  },
};

const STYLE = `
.overlay { position: fixed; inset: 0; background: rgb(0 0 0 / 0.35); display: grid; place-items: center; z-index: 25; padding: 1rem; }
.dialog { background: var(--panel); color: var(--fg); border-radius: 10px; padding: 1rem 1.25rem; max-width: 28rem; width: 100%; box-shadow: 0 10px 30px rgb(0 0 0 / 0.3); }
.dialog h2 { margin-top: 0; }
.shortcuts { display: grid; grid-template-columns: auto 1fr; gap: 0.3rem 1rem; }
.shortcuts dd { margin: 0; }
.shortcuts kbd { font-family: ui-monospace, monospace; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 0.35rem; }
`;

let open = null;
let styled = false;

/** Shows the help, or hides it if it shows. */
export function toggle() {
  if (open) return open.close();
  if (!styled) {
    const style = document.createElement('style');
    style.textContent = STYLE;
    document.head.append(style);
    styled = true;
  }
  const app = document.getElementById('ballot');
  const w = (app && (app.dataset.lang || '').startsWith('zh')) ? WORDS.zh : WORDS.en;
  const back = document.activeElement;
  const overlay = document.createElement('div');
  overlay.className = 'overlay';
  overlay.setAttribute('data-help', '');
  const dialog = document.createElement('div');
  dialog.className = 'dialog';
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', 'help-title');
  const title = document.createElement('h2');
  title.id = 'help-title';
  title.textContent = w.title;
  const list = document.createElement('dl');
  list.className = 'shortcuts';
  for (const [key, what] of w.keys) {
    const dt = document.createElement('dt');
    const kbd = document.createElement('kbd');
    kbd.textContent = key;
    dt.append(kbd);
    const dd = document.createElement('dd');
    dd.textContent = what;
    list.append(dt, dd);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'primary';
  close.setAttribute('data-action', 'help-close');
  close.textContent = w.close;
  const diagram = document.createElement('h3');
  diagram.textContent = w.diagram;
  const diagramText = document.createElement('p');
  diagramText.textContent = w.diagramText;
  dialog.append(title, list, diagram, diagramText, close);
  overlay.append(dialog);
  const done = () => {
    overlay.remove();
    open = null;
    if (back && back.focus) back.focus();
  };
  close.onclick = done;
  overlay.onclick = (e) => {
    if (e.target === overlay) done();
  };
  overlay.addEventListener('keydown', (e) => {
    // The page's shortcuts must not act behind a modal dialog.
    e.stopPropagation();
    if (e.key === 'Escape' || e.key === '?') {
      e.preventDefault();
      done();
    } else if (e.key === 'Tab') {
      // One control: the focus stays on it.
      e.preventDefault();
      close.focus();
    }
  });
  document.body.append(overlay);
  close.focus();
  open = { close: done };
}
