// Sync Logs against AG Grid Community (and PapaParse for CSV) on the same rows, in one
// headless Chromium run. See bench/README.md for what each figure means.
//
//   node bench/compare.mjs            # 100,000 and 1,000,000 rows
//   BENCH_ROWS=100000 node bench/compare.mjs
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { launchChromium, startFrontServer, startReferenceServer } from './lib/servers.mjs';
import { ourApp, agGridApp } from './lib/apps.mjs';
import { printGoals, printTable, TARGETS } from './lib/report.mjs';
import { loadFrames, PHASES } from './lib/frames.mjs';

const root = resolve(import.meta.dirname, '..');
const SIZES = (process.env.BENCH_ROWS ?? '100000,1000000').split(',').map(Number);
const WORDS = ['connection', 'timeout', 'DEMOTEST', 'SO-1004'];
const APPS = [ourApp, agGridApp].filter((a) => !process.env.BENCH_APP || a.name === process.env.BENCH_APP);
const LOAD_TIMEOUT = 600_000;
const QUIET_MS = 450; // longer than the app's 300 ms pause before it writes the URL

const probes = readFileSync(join(import.meta.dirname, 'lib/probes.js'), 'utf8');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function measure(browser, base, app, rows) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.addInitScript(probes);
  const code = [];
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (!/\.(js|wasm)$/.test(path)) return;
    // What crossed the wire (the encoded body) and how it was encoded, beside the body.
    code.push(Promise.all([r.body(), r.request().sizes(), r.headerValue('content-encoding')])
      .then(([body, sizes, encoding]) => ({ path, body, wire: sizes.responseBodySize, encoding }))
      .catch(() => null));
  });
  const failures = [];
  page.on('pageerror', (e) => failures.push(e.message));
  page.on('crash', () => failures.push('the page crashed'));
  page.on('console', (m) => { if (m.type() === 'error') failures.push(m.text()); });
  const from = new Date(Date.now() - 15 * 86_400_000).toISOString();
  const out = { app: app.name, rows, errors: [] };
  // Each step on its own: one that fails is reported, and the others still measure. Only
  // a page that never loads stops the run for this app.
  const step = async (name, run) => {
    try {
      await run();
    } catch (err) {
      out.errors.push({ step: name, message: String(err.message ?? err).split('\n')[0] });
    }
  };
  let cdp;
  const memory = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const wasm = await page.evaluate(() => window.__bench.wasmMemory?.buffer.byteLength ?? 0);
    return { js: heap.usedSize / 2 ** 20, wasm: wasm / 2 ** 20 };
  };
  await step('load', async () => {
    await page.goto(app.url(base, rows, from));
    await app.ready(page, rows, LOAD_TIMEOUT);
    await page.waitForFunction((q) => {
      const b = window.__bench;
      return !b.pending && performance.now() - b.lastMutation >= q;
    }, QUIET_MS, { polling: 50 });
    out.first_paint_ms = await page.evaluate(() => window.__bench.lastPaint);
    out.first_rows_ms = await page.evaluate(() => window.__bench.firstRowsPaint);
    // Long animation frames (over 50 ms) until every row was painted: the worst one, and
    // which part of the load each one over 100 ms held.
    const [loaf, rowsSeen] = await page.evaluate(() => [window.__bench.loaf, window.__bench.rowsSeen]);
    const frames = loadFrames(loaf, rowsSeen, out.first_paint_ms);
    out.load_worst_frame_ms = Math.max(0, ...frames.map((l) => l.duration));
    const worst = frames.find((l) => l.duration === out.load_worst_frame_ms);
    if (worst) out.load_worst_frame = worst;
    out.load_frames_over_100 = Object.fromEntries(PHASES.map((p) => [p, frames.filter((l) => l.phase === p && l.duration > 100).length]));
    await page.evaluate((s) => window.__bench.watch(s), app.table);
  });
  if (out.errors.length) {
    out.error = `load: ${out.errors[0].message}`;
  } else {
    await step('memory at rest', async () => {
      out.dom_nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
      out.table_nodes = await page.evaluate((s) => document.querySelector(s).getElementsByTagName('*').length, app.table);
      cdp = await context.newCDPSession(page);
      const rest = await memory();
      out.js_heap_mb = rest.js;
      out.wasm_mb = rest.wasm;
      out.memory_mb = rest.js + rest.wasm;
    });

    await step('keystrokes', async () => {
      // The app's own work while loading (wasm), before the keys reset the list.
      const loadMeasures = await page.evaluate(() => window.__bench.measures);
      for (const [key, name] of [['load_cluster_index_ms', 'sync-logs:cluster-index'], ['load_chars_index_ms', 'sync-logs:chars-index'], ['load_refine_ms', 'sync-logs:refine']]) {
        const all = loadMeasures.filter((m) => m.name === name).map((m) => m.duration);
        if (all.length) out[key] = all.reduce((a, b) => a + b, 0);
      }
      // Keystroke to filtered paint: each key on its own, after the page settled.
      const keys = [];
      await page.evaluate(() => { window.__bench.measures = []; });
      await app.search(page).focus();
      const words = rows > 100_000 ? WORDS.slice(0, 2) : WORDS;
      for (const word of words) {
        for (const ch of word) {
          await page.keyboard.press(ch === ' ' ? 'Space' : ch);
          keys.push(await page.evaluate((q) => window.__bench.settled(q), QUIET_MS));
        }
        const shown = await app.shown(page);
        if (!(shown < rows)) throw new Error(`${app.name}: searching "${word}" did not narrow the rows (${shown})`);
        await page.keyboard.press('ControlOrMeta+A');
        await page.keyboard.press('Backspace');
        keys.push(await page.evaluate((q) => window.__bench.settled(q), QUIET_MS));
      }
      const measuresOf = (name) => page.evaluate((n) => window.__bench.measures.filter((m) => m.name === n).map((m) => m.duration), name);
      const refines = await measuresOf('sync-logs:refine');
      if (refines.length) {
        out.refine_samples_ms = refines;
        out.refine_median_ms = median(refines);
        out.refine_p95_ms = percentile(refines, 95);
      }
      const clusters = await measuresOf('sync-logs:clusters');
      if (clusters.length) out.clusters_p95_ms = percentile(clusters, 95);
      const measured = keys.filter((k) => k !== null);
      out.keystrokes = measured.length;
      out.key_samples_ms = keys;
      out.key_median_ms = median(measured);
      out.key_p95_ms = percentile(measured, 95);
      if ((await app.shown(page)) !== rows) throw new Error(`${app.name}: clearing the search did not restore ${rows} rows`);
    });

    await step('select all', async () => {
      await app.selectAll(page).click();
      out.select_all_ms = await page.evaluate((q) => window.__bench.settled(q), QUIET_MS);
      const selected = await app.selected(page);
      await app.selectAll(page).click();
      await page.evaluate((q) => window.__bench.settled(q), QUIET_MS);
      if (selected !== rows) throw new Error(`${app.name}: select all selected ${selected} of ${rows}`);
    });

    await step('scrolling', async () => {
      // Steady then random jumps: worst frame interval and long animation frames.
      const scroll = await page.evaluate(([s]) => window.__bench.scroll(s, 240, 2000), [app.scroller]);
      out.scroll_worst_frame_ms = scroll.worst;
      out.scroll_p95_frame_ms = scroll.p95;
      out.scroll_long_frames = scroll.loaf.length;
      out.scroll_dom_nodes_max = await page.evaluate((s) => document.querySelector(s).getElementsByTagName('*').length, app.table);
    });

    if (app.reachEnd) {
      await step('End key', async () => {
        out.end_key_reaches_last_row = false;
        out.end_key_reaches_last_row = await app.reachEnd(page, rows);
      });
    }

    // CSV of every row to a ready Blob.
    await step('CSV', async () => Object.assign(out, await app.csv(page, rows)));

    // Again after searching, selecting, scrolling and exporting: wasm memory never
    // shrinks, so this is the app's high-water mark.
    await step('memory after use', async () => {
      const end = await memory();
      out.memory_end_mb = end.js + end.wasm;
    });
  }
  await step('code', async () => {
    const bodies = (await Promise.all(code)).filter(Boolean);
    out.code_files = bodies.map((b) => b.path);
    const kb = (size) => bodies.reduce((n, b) => n + size(b), 0) / 1000;
    out.code_gzip_kb = kb((b) => gzipSync(b.body, { level: 9 }).length);
    out.code_brotli_kb = kb((b) => brotliCompressSync(b.body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
    }).length);
    out.code_raw_kb = kb((b) => b.body.length);
    out.code_wire_kb = kb((b) => b.wire);
    out.code_encodings = [...new Set(bodies.map((b) => b.encoding ?? 'identity'))];
  });
  if (failures.length) out.page_errors = failures;
  await context.close();
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'sync-logs-bench-'));
const seedCount = Math.max(...SIZES);
console.log(`Generating ${seedCount.toLocaleString('en-US')} records…`);
const reference = await startReferenceServer(root, dir, seedCount);
const front = await startFrontServer(root, reference.url);
let chromiumVersion;
const results = [];
try {
  for (const rows of SIZES) {
    for (const app of APPS) {
      console.log(`Measuring ${app.name} with ${rows.toLocaleString('en-US')} rows…`);
      // A browser of its own for each page: in a shared one, a 1,000,000-row load after
      // another 1,000,000-row page was about 2 s (12%) slower, whichever app went second.
      const browser = await launchChromium();
      chromiumVersion ??= browser.version();
      try {
        results.push(await measure(browser, front.url, app, rows));
      } finally {
        await browser.close();
      }
    }
  }
} finally {
  front.server.close();
  reference.child.kill();
  rmSync(dir, { recursive: true, force: true });
}
for (const rows of SIZES) printTable(rows, results.filter((r) => r.rows === rows));
printGoals(results);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/compare.json'), JSON.stringify({
  measured_at: new Date().toISOString(), chromium: chromiumVersion, targets: TARGETS, results,
}, null, 2));
console.log('\nWritten to bench/results/compare.json');
// A step that failed fails the run too, after every figure was printed.
if (results.some((r) => r.error || r.errors?.length)) process.exitCode = 1;
