// CSV download built in the browser: exactly the rows and columns shown, in order,
// RFC 4180, BOM, and formula cells neutralised.
import { readFileSync } from 'node:fs';
import { Page } from '@playwright/test';
import { test, expect } from './fixtures/test';
import { parseCsv } from './fixtures/csv';
import { ReferenceServer } from './fixtures/server';
import { SyncLogsPage } from './pages/sync-logs-page';

async function download(page: Page, click: () => Promise<void>) {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const bytes = readFileSync((await file.path())!);
  return { name: file.suggestedFilename(), bytes, rows: parseCsv(bytes.subarray(3).toString('utf8')) };
}

async function showSyncIds(page: Page) {
  await page.getByRole('button', { name: 'Columns', exact: true }).click();
  await page.getByRole('checkbox', { name: 'Sync ID' }).check();
  await page.getByRole('button', { name: 'Columns', exact: true }).click();
}

test('"Download as CSV" gives exactly the filtered rows, in the shown order and columns', async ({ page }) => {
  // A server of its own: the rows are checked against a second read of the API by
  // status, which records another test just resynced could change on the shared one.
  const server = await ReferenceServer.start();
  const syncLogs = new SyncLogsPage(page, server.url);
  try {
    await exactFilteredRows(server, syncLogs, page);
  } finally {
    await server.stop();
  }
});

async function exactFilteredRows(server: ReferenceServer, syncLogs: SyncLogsPage, page: Page) {
  type Item = { id: string; status: string };
  const { items } = await server.api<{ items: Item[] }>('/sync-logs?limit=1000');
  const expected = items.filter((i) => i.status === 'failed' || i.status === 'extraction_failed');
  await syncLogs.open('/sync-logs?limit=1000&tone=failed&sort=-started');
  await syncLogs.waitForLoaded(1000);
  await showSyncIds(page);
  const csv = await download(page, async () => {
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: /Download as CSV/ }).click();
  });
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.name).toMatch(/^sync-logs_all_.+_.+\.csv$/);
  const [header, ...rows] = csv.rows;
  expect(header).toEqual(['Status', 'Instance', 'Entity Type', 'Source ID', 'Target ID', 'Operation', 'Started (UTC)', 'Details', 'Sync ID']);
  expect(rows.map((r) => r[8])).toEqual(expected.map((i) => i.id));
  for (const row of rows) expect(['Failed', 'Extraction Failed']).toContain(row[0]);
  await expect(page.locator('.csv-status')).toContainText(`(${expected.length.toLocaleString('en-US')} rows)`);
}

test('"Download CSV" on a selection gives exactly the selected rows', async ({ syncLogs, page }) => {
  await syncLogs.open('/sync-logs?limit=200');
  await syncLogs.waitForLoaded(200);
  await showSyncIds(page);
  const ids = (await syncLogs.rowIds()).filter((_, i) => i % 3 === 0).slice(0, 5);
  for (const id of ids) await page.getByLabel(`Select record ${id}`).check();
  const csv = await download(page, () => page.getByRole('region', { name: 'Selection' }).getByRole('button', { name: 'Download CSV' }).click());
  expect(csv.rows.slice(1).map((r) => r[8])).toEqual(ids);
});

test('a cell that starts like a formula is prefixed so spreadsheets do not run it', async ({ syncLogs, server, page }) => {
  const evil = '=HYPERLINK("http://evil.example","Click")';
  const item = (id: string, details: string) => ({
    id, status: 'failed', instance: 'A', entity_type: 'item', source_id: `-${id}`,
    started_at: '2026-11-20T10:00:05Z', details,
  });
  await server.setFaults([{
    path: '/api/v1/sync-logs', status: 200,
    body: JSON.stringify({
      items: [
        item('1', evil), item('2', 'plain, with "quotes"\r\nand lines'),
        // Excel in a `;` locale splits on `;`; full-width and space-led triggers run too.
        item('3', 'x;=1+1'), item('4', '\uFF1D1+1'), item('5', '\u00A0=1+1'), item('6', 'a;b'),
      ],
      next_cursor: null,
    }),
  }]);
  await syncLogs.open();
  await expect(syncLogs.rows).toHaveCount(6);
  const csv = await download(page, async () => {
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: /Download as CSV/ }).click();
  });
  const [, first, second, ...rest] = csv.rows;
  expect(first[7]).toBe(`'${evil}`);
  expect(first[3]).toBe("'-1");
  expect(second[7]).toBe('plain, with "quotes"\r\nand lines');
  expect(rest.map((r) => r[7])).toEqual(["'x;=1+1", "'\uFF1D1+1", "'\u00A0=1+1", 'a;b']);
  // Every field is quoted, so a `;` inside one never splits it.
  const text = csv.bytes.subarray(3).toString('utf8');
  expect(text).toContain('"\'x;=1+1"');
  expect(text).toContain('"a;b"');
});

test('a file of many pieces (40,000 rows, over 5 MB) holds every loaded row once, in order', async ({ page }) => {
  const rows = 40_000;
  const server = await ReferenceServer.start({ seedCount: rows });
  const syncLogs = new SyncLogsPage(page, server.url);
  try {
    const from = '2000-01-01T00:00:00Z';
    await syncLogs.open(`/sync-logs?limit=${rows}&from=${from}&sort=-started`);
    // 40,000 rows from the debug server: well over 10 s when the machine is busy.
    await syncLogs.waitForLoaded(rows, 60_000);
    await showSyncIds(page);
    const csv = await download(page, async () => {
      await page.getByRole('button', { name: 'Actions' }).click();
      await page.getByRole('menuitem', { name: /Download as CSV/ }).click();
    });
    // Handed to the browser in eight pieces of 5,000 rows.
    expect(csv.bytes.length).toBeGreaterThan(5 * 2 ** 20);
    const [header, ...body] = csv.rows;
    expect(header.at(-1)).toBe('Sync ID');
    expect(body).toHaveLength(rows);
    const ids = body.map((r) => r[8]);
    expect(new Set(ids).size).toBe(rows);
    // The shown order: the same as the table's first rows, then newest first throughout.
    expect(ids.slice(0, 5)).toEqual((await syncLogs.rowIds()).slice(0, 5));
    const started = body.map((r) => Date.parse(r[6]));
    expect(started.every((t, i) => i === 0 || t <= started[i - 1])).toBe(true);
  } finally {
    await server.stop();
  }
});
