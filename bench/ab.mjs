// Two builds of the app, A and B, loaded in turn (A B, B A, A B, …), each load in a browser
// of its own, and the difference of each pair: on a shared host, where one complete run
// moves by more than most changes are worth, the pairs tell whether B is faster than A.
//
//   BENCH_B=/tmp/other-dist node bench/ab.mjs        # A is dist/ unless BENCH_A says
//   BENCH_ROWS=100000 BENCH_PAIRS=30 BENCH_B=… node bench/ab.mjs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, startReferenceServer } from './lib/servers.mjs';
import { ourApp } from './lib/apps.mjs';
import { loadFrames, PHASES } from './lib/frames.mjs';

const root = resolve(import.meta.dirname, '..');
const rows = Number(process.env.BENCH_ROWS ?? 20_000);
const pairs = Number(process.env.BENCH_PAIRS ?? 20);
const builds = { A: process.env.BENCH_A ?? 'dist', B: process.env.BENCH_B };
if (!builds.B) {
  console.error('BENCH_B must name the build to compare with (a dist folder, e.g. from trunk build --dist)');
  process.exit(2);
}
const probes = readFileSync(join(import.meta.dirname, 'lib/probes.js'), 'utf8');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One load: when the first rows and every row were painted, and its long frames. */
async function load(url) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(probes);
    const from = new Date(Date.now() - 15 * 86_400_000).toISOString();
    await page.goto(ourApp.url(url, rows, from));
    await ourApp.ready(page, rows, 600_000);
    await page.waitForFunction(() => !window.__bench.pending && performance.now() - window.__bench.lastMutation >= 450, null, { polling: 50 });
    const b = await page.evaluate(() => ({ seen: window.__bench.rowsSeen, first: window.__bench.firstRowsPaint, all: window.__bench.lastPaint, loaf: window.__bench.loaf }));
    const loading = loadFrames(b.loaf, b.seen, b.all);
    const startUp = loading.filter((l) => l.phase === PHASES[0]);
    // The start-up frame with the most script is the one that mounts the app.
    const mount = startUp.reduce((m, l) => (l.script > (m?.script ?? -1) ? l : m), null);
    return {
      'first rows painted': b.first,
      'all rows painted': b.all,
      'worst long frame while loading': Math.max(0, ...loading.map((l) => l.duration)),
      'mount frame': mount?.duration ?? 0,
      '  of which script': mount?.script ?? 0,
      'first-rows frame': loading.find((l) => l.phase === PHASES[1])?.duration ?? 0,
    };
  } finally {
    await browser.close();
  }
}

const dirs = [];
const servers = {};
try {
  for (const [name, dist] of Object.entries(builds)) {
    const dir = mkdtempSync(join(tmpdir(), 'sync-logs-ab-'));
    dirs.push(dir);
    servers[name] = await startReferenceServer(root, dir, rows, dist);
  }
  const runs = { A: [], B: [] };
  for (let i = 0; i < pairs; i++) {
    for (const name of i % 2 ? ['B', 'A'] : ['A', 'B']) runs[name].push(await load(servers[name].url));
    process.stdout.write(`\r${i + 1} of ${pairs} pairs`);
  }
  console.log(`\n\n${rows.toLocaleString('en-US')} rows, ${pairs} pairs; A ${builds.A}, B ${builds.B}`);
  console.log(`${'figure (ms)'.padEnd(32)} ${'A median'.padStart(9)} ${'B median'.padStart(9)} ${'B − A, median of pairs'.padStart(24)}   B faster in`);
  for (const figure of Object.keys(runs.A[0])) {
    const a = runs.A.map((r) => r[figure]);
    const b = runs.B.map((r) => r[figure]);
    const diffs = b.map((x, k) => x - a[k]);
    console.log(`${figure.padEnd(32)} ${median(a).toFixed(1).padStart(9)} ${median(b).toFixed(1).padStart(9)} ${median(diffs).toFixed(1).padStart(24)}   ${diffs.filter((d) => d < 0).length} of ${pairs}`);
  }
} finally {
  for (const server of Object.values(servers)) server.child.kill();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
