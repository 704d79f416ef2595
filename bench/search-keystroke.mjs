// Keystroke-to-paint of the search box with 100,000 rows loaded.
//
// Starts the release reference server on a free port with 300,000 generated records,
// opens the app with limit=100,000 in headless Chromium, then types words into the
// search box. For each keystroke it measures, inside the page, from the input event's
// timestamp to the first frame painted after the table updated (a requestAnimationFrame
// callback, then a task after that frame). Prints the median, p95 and max.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const ROWS = 100_000;
const WORDS = ['connection', 'timeout', 'DEMOTEST', 'brightpearl', 'HTTP 429', 'SO-1004'];

async function startServer(dir) {
  const child = spawn(join(root, 'target/release/sync-logs-server'), [
    '--port', '0', '--db', join(dir, 'bench.sqlite3'), '--dist', join(root, 'dist'),
    '--seed-count', String(ROWS * 3),
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) ok(m[0]);
    });
  });
  return { child, url };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const dir = mkdtempSync(join(tmpdir(), 'sync-logs-bench-'));
const { child, url } = await startServer(dir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const from = new Date(Date.now() - 15 * 86_400_000).toISOString();
  const started = Date.now();
  await page.goto(`${url}/sync-logs?limit=${ROWS}&from=${encodeURIComponent(from)}`);
  await page.locator('.row-count').filter({ hasText: '100,000 records loaded' }).waitFor({ timeout: 180_000 });
  const loadSeconds = (Date.now() - started) / 1000;

  const search = page.getByLabel('Search loaded records');
  await search.focus();
  await page.evaluate(() => {
    window.__latencies = [];
    const input = document.activeElement;
    input.addEventListener('input', (event) => {
      const t0 = event.timeStamp;
      requestAnimationFrame(() => setTimeout(() => window.__latencies.push(performance.now() - t0), 0));
    });
  });
  for (const word of WORDS) {
    await page.keyboard.type(word, { delay: 120 });
    await page.waitForTimeout(300);
    // A benchmark that measured nothing would be worse than none: the search must narrow.
    const count = await page.locator('.row-count').innerText();
    if (!count.includes(' of 100,000 loaded records shown')) {
      throw new Error(`searching "${word}" did not narrow the rows: ${count}`);
    }
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.waitForTimeout(300);
  }
  const samples = (await page.evaluate(() => window.__latencies)).sort((a, b) => a - b);
  const result = {
    rows: ROWS,
    keystrokes: samples.length,
    load_seconds: loadSeconds,
    median_ms: percentile(samples, 50),
    p95_ms: percentile(samples, 95),
    max_ms: samples[samples.length - 1],
  };
  console.log(`\nSearch keystroke → painted table, ${ROWS.toLocaleString('en-US')} rows loaded (in ${loadSeconds.toFixed(1)} s)`);
  console.log(`  keystrokes ${result.keystrokes}   median ${result.median_ms.toFixed(1)} ms   p95 ${result.p95_ms.toFixed(1)} ms   max ${result.max_ms.toFixed(1)} ms`);
  writeFileSync(join(root, 'bench/results/search-keystroke.json'), JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  child.kill();
  rmSync(dir, { recursive: true, force: true });
}
