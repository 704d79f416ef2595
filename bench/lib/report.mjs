// The printed table: one column per page, the ratio, and the SPEC target where one is set.

/** SPEC quality targets, at 100,000 rows. */
export const TARGETS = {
  key_p95_ms: 50,
  select_all_ms: 16,
  csv_ms: 50,
  scroll_worst_frame_ms: 33,
  scroll_dom_nodes_max: 800,
  memory_mb: 60,
  memory_end_mb: 60,
  code_gzip_kb: 150,
};

const METRICS = [
  ['first_rows_ms', 'Navigation → first rows painted', 'ms'],
  ['first_paint_ms', 'Navigation → table painted, all rows loaded', 'ms'],
  ['load_worst_frame_ms', '  worst long animation frame while loading', 'ms'],
  ['load_chars_index_ms', '  characters of each row, in slices after the rows (wasm)', 'ms'],
  ['load_cluster_index_ms', '  error-cluster keys, in slices after the rows (wasm)', 'ms'],
  ['load_refine_ms', '  of which refining rows (wasm)', 'ms'],
  ['key_median_ms', 'Keystroke → filtered paint, median', 'ms'],
  ['key_p95_ms', 'Keystroke → filtered paint, p95', 'ms'],
  ['refine_median_ms', '  of which refining rows (wasm), median', 'ms'],
  ['refine_p95_ms', '  of which refining rows (wasm), p95', 'ms'],
  ['clusters_p95_ms', '  of which grouping error clusters (wasm), p95', 'ms'],
  ['select_all_ms', 'Select all → paint', 'ms'],
  ['csv_ms', 'CSV of every row → Blob', 'ms'],
  ['scroll_worst_frame_ms', 'Scrolling: worst frame', 'ms'],
  ['scroll_p95_frame_ms', 'Scrolling: p95 frame', 'ms'],
  ['scroll_long_frames', 'Scrolling: long animation frames (>50 ms)', ''],
  ['table_nodes', 'Elements in the table at rest', ''],
  ['scroll_dom_nodes_max', 'Elements in the table after scrolling', ''],
  ['dom_nodes', 'Elements in the page', ''],
  ['js_heap_mb', 'JS heap after GC', 'MB'],
  ['wasm_mb', 'Wasm linear memory', 'MB'],
  ['memory_mb', 'Memory: JS heap + wasm', 'MB'],
  ['memory_end_mb', 'Memory after search, select, scroll, CSV', 'MB'],
  ['code_gzip_kb', 'Code (JS + wasm), gzip -9', 'kB'],
  ['code_brotli_kb', 'Code (JS + wasm), brotli 11', 'kB'],
  ['code_wire_kb', 'Code as transferred by the server', 'kB'],
];

const show = (v, unit) => (v === undefined || v === null ? '—'
  : `${Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(1)}${unit ? ` ${unit}` : ''}`);

export function printTable(rows, results) {
  const ours = results.find((r) => r.app === 'Sync Logs');
  const theirs = results.find((r) => r.app === 'AG Grid');
  console.log(`\n${rows.toLocaleString('en-US')} rows                                      Sync Logs      AG Grid    AG Grid ÷ ours   target`);
  for (const [key, label, unit] of METRICS) {
    const a = ours?.[key];
    const b = theirs?.[key];
    const ratio = typeof a === 'number' && typeof b === 'number' && a > 0 ? `${(b / a).toFixed(2)}×` : '';
    const target = rows === 100_000 && TARGETS[key] !== undefined
      ? `${a !== undefined && a <= TARGETS[key] ? 'met' : 'MISSED'} (≤ ${TARGETS[key]})` : '';
    console.log(`${label.padEnd(46)} ${show(a, unit).padStart(12)} ${show(b, unit).padStart(12)} ${ratio.padStart(14)}   ${target}`);
  }
  const papa = theirs?.csv_papaparse_ms;
  if (papa !== undefined) {
    console.log(`${'CSV with PapaParse.unparse → Blob'.padEnd(46)} ${''.padStart(12)} ${show(papa, 'ms').padStart(12)} ${(ours?.csv_ms ? `${(papa / ours.csv_ms).toFixed(2)}×` : '').padStart(14)}`);
  }
  for (const r of results) {
    const w = r.load_worst_frame;
    if (!w) continue;
    const over = Object.entries(r.load_frames_over_100 ?? {}).map(([phase, n]) => `${phase} ${n}`).join(', ');
    console.log(`  ${r.app}: worst frame while loading ${show(w.duration, 'ms')} at ${show(w.start, 'ms')}, ${w.phase}`
      + ` (script ${show(w.script, 'ms')}, style and layout ${show(w.layout, 'ms')}); frames over 100 ms: ${over}`);
  }
  if (ours && 'end_key_reaches_last_row' in ours) {
    // Only `true` is a pass: a failed or missing check prints as NO.
    const passed = ours.end_key_reaches_last_row === true;
    console.log(`${'Sync Logs: End key reaches the last row'.padEnd(46)} ${(passed ? 'yes' : 'NO').padStart(12)}`);
  }
  for (const r of results) {
    if (r.error) console.log(`  ${r.app}: stopped early: ${r.error}`);
    for (const e of r.errors ?? []) {
      if (e.step !== 'load') console.log(`  ${r.app}: FAILED step "${e.step}": ${e.message}`);
    }
    if (r.page_errors) console.log(`  ${r.app}: page errors: ${r.page_errors.join('; ')}`);
  }
}

/**
 * The goals of the load work, each with met or MISSED, from the figures of one run (the
 * ratios compare the two pages of that run). A goal whose figures are missing is MISSED.
 */
const GOALS = [
  {
    rows: 100_000,
    label: 'Code as transferred ≤ 300 kB',
    check: (a) => [a.code_wire_kb, a.code_wire_kb <= 300, `${show(a.code_wire_kb, 'kB')} (${(a.code_encodings ?? []).join(', ')})`],
  },
  {
    rows: 100_000,
    label: 'Code ≥ 1.75× smaller than AG Grid (brotli ÷ brotli)',
    check: (a, b) => ratio(b.code_brotli_kb, a.code_brotli_kb, 1.75),
  },
  {
    rows: 100_000,
    label: 'All rows painted ≥ 2× faster than AG Grid',
    check: (a, b) => ratio(b.first_paint_ms, a.first_paint_ms, 2),
  },
  {
    label: 'First rows painted ≤ 400 ms',
    check: (a) => [a.first_rows_ms, a.first_rows_ms <= 400, show(a.first_rows_ms, 'ms')],
  },
  {
    label: 'No long animation frame over 100 ms while loading',
    check: (a) => [a.load_worst_frame_ms, a.load_worst_frame_ms <= 100, `worst ${show(a.load_worst_frame_ms, 'ms')}`],
  },
  {
    rows: 100_000,
    label: 'CSV of every row → Blob ≤ 50 ms',
    check: (a) => [a.csv_ms, a.csv_ms <= 50, show(a.csv_ms, 'ms')],
  },
  {
    rows: 1_000_000,
    label: 'Keystroke → filtered paint p95 ≤ 200 ms',
    check: (a) => [a.key_p95_ms, a.key_p95_ms <= 200, show(a.key_p95_ms, 'ms')],
  },
];

function ratio(theirs, ours, least) {
  const r = typeof theirs === 'number' && typeof ours === 'number' && ours > 0 ? theirs / ours : undefined;
  return [r, r >= least, r === undefined ? '—' : `${r.toFixed(2)}×`];
}

export function printGoals(results) {
  console.log(`\n${'Goals'.padEnd(72)} ${'figure'.padStart(16)}   verdict`);
  for (const rows of [...new Set(results.map((r) => r.rows))]) {
    const ours = results.find((r) => r.app === 'Sync Logs' && r.rows === rows);
    const theirs = results.find((r) => r.app === 'AG Grid' && r.rows === rows) ?? {};
    if (!ours) continue;
    for (const goal of GOALS.filter((g) => g.rows === undefined || g.rows === rows)) {
      const [value, met, text] = goal.check(ours, theirs);
      const verdict = value === undefined || value === null ? 'MISSED (not measured)' : met ? 'met' : 'MISSED';
      const label = `${goal.label}, ${rows.toLocaleString('en-US')} rows`;
      console.log(`${label.padEnd(72)} ${text.padStart(16)}   ${verdict}`);
    }
  }
}
