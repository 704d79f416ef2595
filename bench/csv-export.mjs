// CSV of 100,000 rows to a ready Blob: Sync Logs (Rust/wasm, chunked) against PapaParse
// `unparse` + Blob on the same rows and columns, in the same headless Chromium run.
//
// Starts the release reference server with 300,000 records, loads the newest 100,000 in
// the app, clicks "Download as CSV" and reads the app's User Timing measure
// `sync-logs:csv-blob`. Then, in the same page, fetches the same rows as JSON and times
// PapaParse over them (fetching and JSON parsing are not timed). Prints both and the ratio.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const ROWS = 100_000;
const RUNS = 5;

const dir = mkdtempSync(join(tmpdir(), 'sync-logs-bench-'));
const child = spawn(join(root, 'target/release/sync-logs-server'), [
  '--port', '0', '--db', join(dir, 'bench.sqlite3'), '--dist', join(root, 'dist'), '--seed-count', String(ROWS * 3),
], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((ok) => createInterface({ input: child.stdout }).on('line', (line) => {
  const m = line.match(/http:\/\/127\.0\.0\.1:\d+/);
  if (m) ok(m[0]);
}));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const from = new Date(Date.now() - 15 * 86_400_000).toISOString();
  await page.goto(`${url}/sync-logs?limit=${ROWS}&from=${encodeURIComponent(from)}`);
  await page.locator('.row-count').filter({ hasText: '100,000 records loaded' }).waitFor({ timeout: 180_000 });

  const ours = [];
  for (let run = 0; run < RUNS; run++) {
    await page.evaluate(() => performance.clearMeasures('sync-logs:csv-blob'));
    const done = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: /Download as CSV/ }).click();
    await (await done).path();
    ours.push(await page.evaluate(() => performance.getEntriesByName('sync-logs:csv-blob')[0].duration));
  }

  await page.addScriptTag({ path: join(root, 'node_modules/papaparse/papaparse.min.js') });
  const theirs = await page.evaluate(async ({ base, from, rows, runs }) => {
    // The same rows, fetched as the API sends them (not timed).
    const items = [];
    let cursor = null;
    while (items.length < rows) {
      const q = new URLSearchParams({ from, limit: String(rows - items.length) });
      if (cursor) q.set('cursor', cursor);
      const page = await (await fetch(`${base}/api/v1/sync-logs?${q}`)).json();
      items.push(...page.items);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    const label = { success: 'Success', completed: 'Completed', ok: 'OK', partial_success: 'Partial Success',
      partially_failed: 'Partially Failed', in_progress: 'In Progress', extracting: 'Extracting', pending: 'Pending',
      sent: 'Sent', failed: 'Failed', extraction_failed: 'Extraction Failed' };
    const op = { create: 'Create', update: 'Update', delete: 'Delete' };
    const times = [];
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      const data = items.map((i) => [label[i.status] ?? i.status, i.instance, i.entity_type, i.source_id,
        i.target_id ?? '', op[i.operation] ?? i.operation ?? '', i.started_at, i.details ?? '']);
      const text = Papa.unparse({
        fields: ['Status', 'Instance', 'Entity Type', 'Source ID', 'Target ID', 'Operation', 'Started (UTC)', 'Details'],
        data,
      }, { escapeFormulae: true, newline: '\r\n' });
      const blob = new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' });
      times.push(performance.now() - t0);
      if (blob.size === 0) throw new Error('empty blob');
    }
    return { count: items.length, times };
  }, { base: url, from, rows: ROWS, runs: RUNS });

  const result = {
    rows: ROWS, runs: RUNS,
    sync_logs_ms: median(ours), sync_logs_runs_ms: ours,
    papaparse_ms: median(theirs.times), papaparse_runs_ms: theirs.times, papaparse_rows: theirs.count,
  };
  result.ratio = result.papaparse_ms / result.sync_logs_ms;
  console.log(`\nCSV of ${ROWS.toLocaleString('en-US')} rows to a ready Blob (median of ${RUNS})`);
  console.log(`  Sync Logs (wasm)        ${result.sync_logs_ms.toFixed(1)} ms`);
  console.log(`  PapaParse unparse+Blob  ${result.papaparse_ms.toFixed(1)} ms  (${theirs.count.toLocaleString('en-US')} rows)`);
  console.log(`  ratio (PapaParse ÷ Sync Logs) ${result.ratio.toFixed(2)}`);
  writeFileSync(join(root, 'bench/results/csv-export.json'), JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  child.kill();
  rmSync(dir, { recursive: true, force: true });
}
