// Where the time to the first rows goes: every request the page makes (start and end,
// from navigation, with its first byte), when the first row was painted, and the long
// frames with the share of each spent compiling wasm functions on their first call, for
// one load of Sync Logs.
//
//   BENCH_ROWS=100000 node bench/timeline.mjs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, startFrontServer, startReferenceServer } from './lib/servers.mjs';
import { ourApp } from './lib/apps.mjs';
import { cpuBetween, cpuSnapshot } from './lib/cpu.mjs';

const root = resolve(import.meta.dirname, '..');
const rows = Number(process.env.BENCH_ROWS ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'sync-logs-timeline-'));
const reference = await startReferenceServer(root, dir, rows);
const front = await startFrontServer(root, reference.url);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(readFileSync(join(import.meta.dirname, 'lib/probes.js'), 'utf8'));
  page.on('console', (m) => { if (m.type() === 'error') console.log(`console: ${m.text()} ${m.location().url}`); });
  const from = new Date(Date.now() - 15 * 86_400_000).toISOString();
  // V8 compiles a wasm function when it is first called, on the thread that calls it:
  // the trace's `wasm.CompileLazy` events are that work, placed on the page's clock by
  // its `navigationStart`.
  await browser.startTracing(page, { categories: ['blink.user_timing', 'v8.wasm'] });
  const cpuBefore = cpuSnapshot(reference.child.pid);
  const wallBefore = performance.now();
  await page.goto(ourApp.url(front.url, rows, from));
  await ourApp.ready(page, rows, 600_000);
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(reference.child.pid));
  const wall = performance.now() - wallBefore;
  await page.waitForTimeout(1000);
  const compiled = firstCallCompiles(JSON.parse((await browser.stopTracing()).toString()).traceEvents);
  const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({
    name: new URL(e.name).pathname + new URL(e.name).search.slice(0, 60), start: e.startTime,
    first_byte: e.responseStart, end: e.responseEnd,
    size: e.encodedBodySize,
  })));
  for (const e of entries) {
    // Asked at `start`, the first byte at `first_byte` (the server's work), the last at `end`.
    const at = (t) => t.toFixed(0).padStart(6);
    console.log(`${at(e.start)} → ${at(e.first_byte)} → ${at(e.end)} ms  ${String(e.size).padStart(9)} B  ${e.name}`);
  }
  const marks = await page.evaluate(() => ({
    rows_in_dom: window.__bench.rowsSeen, first_rows: window.__bench.firstRowsPaint, all_rows: window.__bench.lastPaint,
    measures: window.__bench.measures.map((m) => `${m.name} ${m.duration.toFixed(1)}`),
    loaf: window.__bench.loaf.map((l) => `${l.start.toFixed(0)}+${l.duration.toFixed(0)}`),
  }));
  console.log(marks);
  if (!compiled) {
    console.log('wasm compiled on first call: not measured (no navigationStart in the trace)');
  } else {
    const lazy = (from, to) => compiled.filter((c) => c.at >= from && c.at < to);
    const sum = (cs) => cs.reduce((ms, c) => ms + c.ms, 0).toFixed(1);
    const before = lazy(0, marks.first_rows);
    const loading = lazy(0, marks.all_rows);
    console.log(`wasm compiled on first call: ${before.length} functions, ${sum(before)} ms before the first rows; ${loading.length}, ${sum(loading)} ms until all rows`);
    for (const l of await page.evaluate(() => window.__bench.loaf)) {
      const inside = lazy(l.start, l.start + l.duration);
      console.log(`long frame at ${l.start.toFixed(0)} ms, ${l.duration.toFixed(0)} ms (script ${l.script.toFixed(0)}, style and layout ${l.layout.toFixed(0)}): ${sum(inside)} ms compiling ${inside.length} wasm functions`);
    }
  }
  if (cpu) {
    // Every core's time the load had, against what the processes of the run used of it.
    const cores = availableParallelism();
    console.log(`CPU while loading: ${cpu.total.toFixed(0)} ms of ${(wall * cores).toFixed(0)} ms available (${wall.toFixed(0)} ms × ${cores} cores)`);
    for (const [kind, ms] of cpu.used) console.log(`  ${String(ms.toFixed(0)).padStart(6)} ms  ${kind}`);
  }
} finally {
  await browser.close();
  front.server.close();
  reference.child.kill();
  rmSync(dir, { recursive: true, force: true });
}

/** The main thread's first-call wasm compiles: `{ at, ms }`, `at` from navigation; null
 * when the trace does not say where navigation started. */
function firstCallCompiles(events) {
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame
    && e.args.data.documentLoaderURL?.startsWith('http'));
  if (!nav) return null;
  return events
    .filter((e) => e.name === 'wasm.CompileLazy' && e.pid === nav.pid && e.tid === nav.tid)
    .map((e) => ({ at: (e.ts - nav.ts) / 1000, ms: e.dur / 1000 }));
}
