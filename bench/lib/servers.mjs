// What a benchmark run needs: the release reference server with generated data, in
// front of it one origin that also serves the AG Grid baseline page and its vendor
// scripts (so both pages load through the same path), and the browser.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createServer, request } from 'node:http';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

/** Headless Debian Chromium (`CHROMIUM` to use another), without its background traffic. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Starts the release reference server on a free port, serving the build in `dist`
 * (default: `BENCH_DIST`, another build of the app to compare, or the project's `dist`);
 * resolves to `{ child, url }`.
 */
export async function startReferenceServer(root, dbDir, seedCount, dist = process.env.BENCH_DIST ?? 'dist') {
  const target = resolve(root, process.env.CARGO_TARGET_DIR ?? 'target');
  const child = spawn(join(target, 'release/sync-logs-server'), [
    '--port', '0', '--db', join(dbDir, 'bench.sqlite3'), '--dist', resolve(root, dist),
    '--seed-count', String(seedCount),
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`the reference server exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) ok(m[0]);
    });
  });
  return { child, url };
}

const STATIC = {
  '/bench-ag-grid/': ['bench/ag-grid', { '.html': 'text/html', '.js': 'text/javascript' }],
  '/bench-vendor/ag-grid-community.min.js': ['node_modules/ag-grid-community/dist/ag-grid-community.min.js'],
  '/bench-vendor/papaparse.min.js': ['node_modules/papaparse/papaparse.min.js'],
};

/** Milliseconds each API request waits before it is passed on (`BENCH_LATENCY_MS`, default
 * 0): a backend further away than 127.0.0.1, the same for both pages. */
export const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 0);

/** One origin on 127.0.0.1: the baseline's files, and everything else proxied to `upstream`. */
export async function startFrontServer(root, upstream) {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const file = staticFile(root, path);
    if (file) {
      res.writeHead(200, { 'content-type': file.type });
      createReadStream(file.path).pipe(res);
      return;
    }
    if (LATENCY_MS > 0 && path.startsWith('/api/')) {
      req.pause();
      setTimeout(() => forward(req, res, target), LATENCY_MS);
      return;
    }
    forward(req, res, target);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

function forward(req, res, target) {
  const proxied = request({
    host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers,
  }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  proxied.on('error', (err) => { res.writeHead(502); res.end(String(err)); });
  req.pipe(proxied);
}

function staticFile(root, path) {
  for (const [prefix, [base, types]] of Object.entries(STATIC)) {
    if (!path.startsWith(prefix)) continue;
    if (!types) return { path: join(root, base), type: 'text/javascript' };
    const name = path.slice(prefix.length) || 'index.html';
    const ext = name.slice(name.lastIndexOf('.'));
    if (name.includes('/') || !types[ext]) return null;
    return { path: join(root, base, name), type: types[ext] };
  }
  return null;
}
