// The sample post's host script: logs every widget event it receives (the tests read
// window.ballotEvents and the <pre data-host-log>).
window.ballotEvents = [];
for (const type of ['ready', 'resize', 'leader', 'committed', 'chosen', 'decided', 'violation', 'tour-step', 'playing']) {
  document.addEventListener(`ballot:${type}`, (event) => {
    const widget = event.target.id || '?';
    window.ballotEvents.push({ widget, ...event.detail });
    if (type === 'resize') return;
    const log = document.querySelector('[data-host-log]');
    log.textContent += `${widget}: ${type} ${JSON.stringify(event.detail)}\n`;
    log.scrollTop = log.scrollHeight;
  });
}
