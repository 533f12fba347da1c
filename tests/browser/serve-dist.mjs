// A tiny static server for the built bundle (dist/), started by Playwright's `webServer` and by
// tests/browser/hosting.spec.ts.
// Usage: node tests/browser/serve-dist.mjs <dir> <port> [prefix]. Binds 127.0.0.1 only; serves
// .wasm as application/wasm (needed by WebAssembly.instantiateStreaming); unknown paths are 404.
// With a prefix (`/ballot/`), the bundle is served under that path, as a static host serves a
// project site (GitHub Pages: https://USER.github.io/REPO/), and everything outside it is 404.
// Port 0 picks a free port. The first line printed is `serving DIR on http://127.0.0.1:PORT/PREFIX`;
// then one line per request: `METHOD PATH STATUS`.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? 'dist');
const port = Number(process.argv[3] ?? 4173);
const prefix = `/${(process.argv[4] ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const server = createServer(async (req, res) => {
  const status = await respond(req, res);
  console.log(`${req.method} ${req.url} ${status}`);
});

async function respond(req, res) {
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    res.writeHead(400).end();
    return 400;
  }
  if (!path.startsWith(prefix)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return 404;
  }
  path = path.slice(prefix.length - 1);
  const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return 403;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return 200;
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return 404;
  }
}

server.listen(port, '127.0.0.1', () =>
  console.log(`serving ${root} on http://127.0.0.1:${server.address().port}${prefix}`),
);
