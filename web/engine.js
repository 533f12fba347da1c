// The playground's engine worker: `engine.js?p=raft` loads that protocol's engine (a wasm module
// Trunk builds from web/engine/src/bin/engine-raft.rs) and answers each message, an encoded
// request (Uint8Array), with the encoded reply. Messages that arrive while the wasm loads wait.
// If the engine cannot load or traps, the page gets { error } and shows it.
// The Check panel (web/check-panel.js) runs `engine.js?p=check` (engine-check, every protocol's
// model checker): its messages are query strings, answered with { result: json } after
// { progress: json } now and then.
// The Embed & export dialog (web/export.js) runs `engine.js?p=media` (engine-media, GIF and QR
// encoders): its messages are calls { call: 'gif_frame', args: [rgba] } of the module's exports
// (engine-media.rs), answered with { result }.
'use strict';
const name = new URL(self.location.href).searchParams.get('p') || '';
let ready;
if (!/^[a-z0-9]{1,32}$/.test(name)) {
  ready = Promise.reject(new Error(`no engine called "${name}"`));
} else {
  ready = new Promise((resolve, reject) => {
    try {
      importScripts(`engine-${name}.js`);
      wasm_bindgen({ module_or_path: `engine-${name}_bg.wasm` }).then(resolve, reject);
    } catch (err) {
      reject(err);
    }
  });
}
ready.catch((err) => postMessage({ error: `the ${name} engine could not load: ${err && err.message || err}` }));
let broken = false;
self.ballotCheckProgress = (json) => postMessage({ progress: json });
onmessage = (event) => {
  ready.then(() => {
    if (broken) return;
    try {
      if (typeof event.data === 'string') {
        postMessage({ result: wasm_bindgen.check(event.data) });
        return;
      }
      const call = event.data.call;
      if (call) {
        postMessage({ result: wasm_bindgen[call](...event.data.args) });
        return;
      }
      const reply = wasm_bindgen.handle(event.data);
      postMessage(reply, [reply.buffer]);
    } catch (err) {
      // A trap leaves the module's memory in an unknown state: stop answering.
      broken = true;
      postMessage({ error: `the ${name} engine failed: ${err && err.message || err}` });
    }
  }, () => {});
};
