// A large range loads as two parts at once (the newer one from the first page's cursor,
// the older one from an instant in the range), and shows exactly the rows, in the order,
// that one page after another would: checked against the API, by sync id, through the
// CSV of every loaded row. A failure in the older part keeps the newer rows.
import { readFileSync } from 'node:fs';
import { Page } from '@playwright/test';
import { test, expect } from './fixtures/test';
import { parseCsv } from './fixtures/csv';
import { ReferenceServer } from './fixtures/server';
import { SyncLogsPage } from './pages/sync-logs-page';

// 200 rows a request: a load of 1,000 is the first page and four more.
const SMALL_PAGES = { path: '/config.json', status: 200, body: JSON.stringify({ page_size: 200 }) };
const SYNC_IDS = JSON.stringify({ columns: ['status', 'started', 'sync_id'] });

type Asked = { url: URL; start: number; end: number };

/** Every list request of the page, with when it was sent and when it was answered. */
function recordListRequests(page: Page): Asked[] {
  const asked: Asked[] = [];
  const open = new Map<object, Asked>();
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname !== '/api/v1/sync-logs') return;
    const entry = { url, start: Date.now(), end: Infinity };
    open.set(r, entry);
    asked.push(entry);
  });
  const done = (r: object) => { const e = open.get(r); if (e) e.end = Date.now(); };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return asked;
}

async function csvSyncIds(page: Page): Promise<string[]> {
  const [file] = await Promise.all([page.waitForEvent('download'), (async () => {
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: /Download as CSV/ }).click();
  })()]);
  const [header, ...rows] = parseCsv(readFileSync((await file.path())!).subarray(3).toString('utf8'));
  const at = header.indexOf('Sync ID');
  expect(at).toBeGreaterThanOrEqual(0);
  return rows.map((r) => r[at]);
}

test('a large range loads in two parts at once and shows the rows one part would', async ({ page }) => {
  // A server of its own: the rows are compared with a second read of the API, which a
  // resync by another test on the shared server could change.
  const server = await ReferenceServer.start();
  try {
    const syncLogs = new SyncLogsPage(page, server.url);
    await page.addInitScript((prefs) => localStorage.setItem('sync-logs.prefs.v1', prefs), SYNC_IDS);
    // Each list request takes 300 ms, as from a backend further away.
    await server.setFaults([SMALL_PAGES, { path: '/api/v1/sync-logs', delay_ms: 300 }]);
    const asked = recordListRequests(page);
    await syncLogs.open('/sync-logs?limit=1000');
    await syncLogs.waitForLoaded(1000, 30_000);

    // The older part asks with a `to` inside the range; the newer goes on with cursors
    // and the query as it was. Some request of each was in flight at the same time.
    const older = asked.filter((a) => a.url.searchParams.has('to'));
    const newer = asked.filter((a) => !a.url.searchParams.has('to') && a.url.searchParams.has('cursor'));
    expect(older.length).toBeGreaterThan(0);
    expect(newer.length).toBeGreaterThan(0);
    const overlap = older.some((o) => newer.some((n) => o.start < n.end && n.start < o.end));
    expect(overlap).toBe(true);
    const first = asked[0];

    // The same rows as the API gives for the query in one go, in the same order.
    const from = first.url.searchParams.get('from')!;
    const { items } = await server.api<{ items: { id: string }[] }>(`/sync-logs?from=${encodeURIComponent(from)}&limit=1000`);
    expect(items).toHaveLength(1000);
    expect(await csvSyncIds(page)).toEqual(items.map((i) => i.id));
  } finally {
    await server.stop();
  }
});

test('a failure in the older part keeps the newer rows and says so; Retry loads all', async ({ syncLogs, server, page }) => {
  await page.addInitScript((prefs) => localStorage.setItem('sync-logs.prefs.v1', prefs), SYNC_IDS);
  // The older part's first request fails for good (a 400 is not tried again).
  await server.setFaults([SMALL_PAGES, { path: '/api/v1/sync-logs', query_contains: 'to=', status: 400, times: 1 }]);
  const asked = recordListRequests(page);
  await syncLogs.open('/sync-logs?limit=1000');
  await expect(syncLogs.errorState).toContainText('400');
  // What arrived in order from the newest is kept and named; the filters are kept.
  await expect(syncLogs.notice).toContainText(/The load stopped with an error: showing the [\d,]+ records received of up to 1,000\./);
  const kept = await syncLogs.rowCount();
  expect(kept).toBeGreaterThanOrEqual(200);
  expect(kept).toBeLessThan(1000);
  expect(page.url()).toContain('limit=1000');
  // They are the newest rows of the range, with no gap.
  const from = asked[0].url.searchParams.get('from')!;
  const { items } = await server.api<{ items: { id: string }[] }>(`/sync-logs?from=${encodeURIComponent(from)}&limit=${kept}`);
  expect(await csvSyncIds(page)).toEqual(items.map((i) => i.id));

  await syncLogs.retry.click();
  await syncLogs.waitForLoaded(1000);
  await expect(syncLogs.errorState).toBeHidden();
});
