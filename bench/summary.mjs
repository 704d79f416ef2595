// Latency of GET /sync-logs/summary on the release reference server with 1,000,000
// records (BENCH_SUMMARY_ROWS to change it): the default 5-day range with every
// combination of the filter bar's server filters (and unresolved only), each asked BENCH_SUMMARY_TRIES times
// (default 20) after one warm-up. Prints p50 and p95 per combination and the worst p95.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startReferenceServer } from './lib/servers.mjs';

const root = resolve(import.meta.dirname, '..');
const rows = Number(process.env.BENCH_SUMMARY_ROWS ?? 1_000_000);
const tries = Number(process.env.BENCH_SUMMARY_TRIES ?? 20);
const dbDir = mkdtempSync(join(tmpdir(), 'sync-logs-summary-'));

const started = Date.now();
const { child, url } = await startReferenceServer(root, dbDir, rows);
console.log(`\n==> Summary latency, ${rows.toLocaleString('en')} records (seeded in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
try {
  const api = `${url}/api/v1`;
  const get = async (path) => {
    const res = await fetch(`${api}${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  // Real values from the data: the busiest instance, one of its entity types, a status.
  const { instances } = await get('/instances');
  const instance = instances[0].name;
  const entity = instances[0].entity_types[0];
  const from = new Date(Date.now() - 5 * 86_400_000).toISOString();
  const base = { from };
  const filters = {
    instance: { instance },
    entity_type: { entity_type: entity },
    source_id: { source_id: '10' },
    status: { status: ['failed', 'extraction_failed'] },
    // Unresolved only: the latest attempt of each source record, unless it succeeded.
    latest: { latest: '1' },
  };
  const names = Object.keys(filters);
  const results = [];
  for (let mask = 0; mask < 1 << names.length; mask++) {
    const params = new URLSearchParams(base);
    const chosen = names.filter((_, i) => mask & (1 << i));
    for (const name of chosen) {
      for (const [key, value] of Object.entries(filters[name])) {
        for (const v of [value].flat()) params.append(key, v);
      }
    }
    const path = `/sync-logs/summary?${params}`;
    const first = await get(path);
    const times = [];
    for (let i = 0; i < tries; i++) {
      const t0 = performance.now();
      await get(path);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const pick = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
    results.push({ filters: chosen.join(' + ') || '(range only)', total: first.total, p50: pick(0.5), p95: pick(0.95) });
  }
  for (const r of results) {
    console.log(`summary ${r.filters.padEnd(53)} ${String(r.total).padStart(8)} records  p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms`);
  }
  const worst = results.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  console.log(`summary worst p95: ${worst.p95.toFixed(1)} ms (${worst.filters}); target <= 150 ms`);
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/summary.json'), JSON.stringify({ measured_at: new Date().toISOString(), rows, tries, results }, null, 2));
} finally {
  child.kill();
  rmSync(dbDir, { recursive: true, force: true });
}
