// How the harness drives each page: where it is, when it is loaded, its search box,
// select-all control, scroller and CSV export, and how to read its counts.
import { join, resolve } from 'node:path';

const fmt = (n) => n.toLocaleString('en-US');
const number = (text) => Number(text.replace(/[^0-9]/g, ''));
const papaparse = join(resolve(import.meta.dirname, '../..'), 'node_modules/papaparse/papaparse.min.js');
const CSV_RUNS = 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const ourApp = {
  name: 'Sync Logs',
  table: '.table-wrap',
  scroller: '.table-wrap',
  url: (base, rows, from) => `${base}/sync-logs?limit=${rows}&from=${encodeURIComponent(from)}`,
  ready: (page, rows, timeout) => page.waitForFunction((text) =>
    document.querySelector('.row-count')?.textContent.includes(text)
      && document.querySelector('tbody tr[data-id]'), `${fmt(rows)} records loaded`, { timeout, polling: 100 }),
  search: (page) => page.getByLabel('Search loaded records'),
  // "1,234 of 100,000 loaded records shown", or "100,000 records loaded".
  shown: async (page) => number((await page.locator('.row-count').innerText()).split(' of ')[0].split(' records')[0]),
  selectAll: (page) => page.locator('thead input[type=checkbox]'),
  selected: async (page) => number((await page.locator('.selection-bar strong').innerText()).split(' of ')[0]),
  // Focuses the first row and presses End: the focused row must be the last one.
  reachEnd: async (page, rows) => {
    await page.locator('tbody tr[data-id] td:not(.col-select)').first().click();
    await page.keyboard.press('End');
    try {
      await page.waitForFunction((n) => document.activeElement?.getAttribute('aria-rowindex') === String(n + 1), rows, { timeout: 10_000 });
    } catch {
      // Where the focus and the table were instead, so a failure says what went wrong.
      const state = await page.evaluate(() => {
        const focused = document.activeElement;
        const wrap = document.querySelector('.table-wrap');
        const rendered = [...wrap.querySelectorAll('tbody tr[aria-rowindex]')].map((r) => r.getAttribute('aria-rowindex'));
        return `focus on ${focused?.tagName ?? 'nothing'}${focused?.getAttribute('aria-rowindex') ? ` (row ${focused.getAttribute('aria-rowindex')})` : ''}, `
          + `scrollTop ${wrap.scrollTop} of ${wrap.scrollHeight - wrap.clientHeight}, rows ${rendered[0]}–${rendered.at(-1)} rendered`;
      });
      throw new Error(`End did not focus row ${rows + 1}: ${state}`);
    }
    return page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      const w = document.querySelector('.table-wrap').getBoundingClientRect();
      return r.top >= w.top && r.bottom <= w.bottom + 1;
    });
  },
  csv: async (page) => {
    const runs = [];
    for (let run = 0; run < CSV_RUNS; run++) {
      await page.evaluate(() => performance.clearMeasures('sync-logs:csv-blob'));
      const done = page.waitForEvent('download', { timeout: 300_000 });
      await page.getByRole('button', { name: 'Actions' }).click();
      await page.getByRole('menuitem', { name: /Download as CSV/ }).click();
      await (await done).path();
      runs.push(await page.evaluate(() => performance.getEntriesByName('sync-logs:csv-blob')[0].duration));
    }
    return { csv_ms: median(runs) };
  },
};

export const agGridApp = {
  name: 'AG Grid',
  table: '#grid',
  scroller: '.ag-grid-viewport',
  url: (base, rows, from) => `${base}/bench-ag-grid/?limit=${rows}&from=${encodeURIComponent(from)}`,
  ready: (page, rows, timeout) => page.waitForFunction((n) =>
    document.getElementById('count')?.dataset.loaded === n
      && document.querySelector('#grid .ag-row'), String(rows), { timeout, polling: 100 }),
  search: (page) => page.getByLabel('Search loaded records'),
  shown: (page) => page.evaluate(() => window.grid.getDisplayedRowCount()),
  selectAll: (page) => page.locator('.ag-header-select-all input'),
  selected: (page) => page.evaluate(() => window.grid.getSelectedNodes().length),
  csv: async (page) => {
    await page.addScriptTag({ path: papaparse });
    return page.evaluate((runs) => {
      const time = (build) => {
        const times = [];
        let size = 0;
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          const blob = new Blob([build()], { type: 'text/csv' });
          times.push(performance.now() - t0);
          size = blob.size;
        }
        return { ms: times.sort((a, b) => a - b)[Math.floor(times.length / 2)], size };
      };
      const fields = ['status', 'instance', 'entity_type', 'source_id', 'target_id', 'operation', 'started_at', 'details'];
      const grid = time(() => window.grid.getDataAsCsv());
      const papa = time(() => window.Papa.unparse(window.gridRows, { columns: fields }));
      return { csv_ms: grid.ms, csv_papaparse_ms: papa.ms };
    }, CSV_RUNS);
  },
};
