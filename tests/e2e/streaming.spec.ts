// A load of several pages shows its first page at once and the rest behind a progress
// bar; a failure part-way keeps what arrived, says so, and Retry loads it all again.
import { test, expect } from './fixtures/test';
import type { ReferenceServer } from './fixtures/server';

// 200 rows a request (the first page's size too): a load of 1,000 is five pages.
const SMALL_PAGES = { path: '/config.json', status: 200, body: JSON.stringify({ page_size: 200 }) };

/**
 * The query text of the newer part's first request with a cursor: the cursor the first
 * page (the newest 200) names. A rule matching it applies to that request alone; one
 * matching any cursor once sometimes hit the older part's second page instead, which on
 * a busy machine reached the server first though it was asked for later.
 */
async function newerPartsFirstCursor(server: ReferenceServer): Promise<string> {
  const { next_cursor: cursor } = await server.api<{ next_cursor: string | null }>('/sync-logs?limit=200');
  expect(cursor).toBeTruthy();
  return `cursor=${encodeURIComponent(cursor!)}`;
}

test('the first page shows while the rest arrives, behind a progress bar', async ({ syncLogs, server, page }) => {
  // Each later page is held back 3 s: long enough that a busy machine, slow to open the
  // page, still finds the load part-way (at 1.5 s a loaded CI run once found it over).
  await server.setFaults([SMALL_PAGES, { path: '/api/v1/sync-logs', query_contains: 'cursor=', delay_ms: 3_000 }]);
  await syncLogs.open('/sync-logs?limit=1000');
  // The later pages are held back: the first one is on screen, usable, not dimmed.
  await expect(page.locator('.row-count')).toHaveText('200 records so far');
  await expect(syncLogs.rows.first()).toBeVisible();
  await expect(page.locator('.rows')).not.toHaveClass(/stale/);
  // No "Load more" offer while the rest is on its way; it is back once the load ends.
  await expect(page.getByRole('group', { name: 'Load more records' })).toHaveCount(0);
  const bar = syncLogs.loading.getByRole('progressbar', { name: 'Records received' });
  await expect(bar).toHaveAttribute('max', '1000');
  // The count goes on as later pages arrive, the bar and the words
  // read at the same moment (two separate checks raced the next page's arrival).
  await expect.poll(() => syncLogs.loading.evaluate((status) => {
    const value = Number(status.querySelector('progress')?.getAttribute('value'));
    const said = (status.textContent ?? '').includes(`${value.toLocaleString('en-US')} of up to 1,000`);
    return value >= 200 && value < 1000 && said;
  })).toBe(true);
  // Then every row, each once, and the bar is gone.
  await syncLogs.waitForLoaded(1000, 20_000);
  await expect(syncLogs.loading).toBeHidden();
  await expect(page.locator('.load-progress')).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Load more records' })).toBeVisible();
});

test('a failure in the middle of a load keeps what arrived, says so, and Retry loads everything', async ({ syncLogs, server, page }) => {
  // The second page arrives cut short (status 200, unreadable JSON): a final error.
  // (The load is in two parts at once, split-load.spec.ts: the newer part goes
  // on from the first page's cursor with the query as it was, the older asks with a `to`.)
  let cursorPages = 0;
  let olderPages = 0;
  page.on('request', (r) => {
    if (!r.url().includes('/api/v1/sync-logs?')) return;
    if (r.url().includes('to=')) olderPages += 1;
    else if (r.url().includes('cursor=')) cursorPages += 1;
  });
  await server.setFaults([SMALL_PAGES, { path: '/api/v1/sync-logs', query_contains: await newerPartsFirstCursor(server), truncate_to: 200, times: 1 }]);
  await syncLogs.open('/sync-logs?limit=1000');
  await expect(syncLogs.errorState).toContainText('could not be read');
  // The first page stays on screen, named as partial; the filters are kept.
  await expect(syncLogs.notice).toContainText('The load stopped with an error: showing the 200 records received of up to 1,000.');
  await expect(page.locator('.row-count')).toHaveText('200 records loaded');
  expect(await syncLogs.rows.count()).toBeGreaterThan(0);
  expect(page.url()).toContain('limit=1000');
  // The page after the broken one may have been asked for while it was read (its
  // cursor came in a header); nothing after that.
  expect(cursorPages).toBeLessThanOrEqual(2);
  // The older part's rows could not follow the first page without a gap: it stops too,
  // after what it had in flight or asked for ahead.
  expect(olderPages).toBeLessThanOrEqual(3);
  await syncLogs.retry.click();
  await syncLogs.waitForLoaded(1000);
  await expect(syncLogs.errorState).toBeHidden();
  await expect(syncLogs.notice.filter({ hasText: 'The load stopped' })).toHaveCount(0);
});

test('the first page is asked for before anything else the page loads', async ({ syncLogs, page }) => {
  // The page starts its load while it builds its view; the summary, the jobs and the
  // dead-letter count are asked for once the view is built.
  const asked: string[] = [];
  page.on('request', (r) => { const url = new URL(r.url()); if (url.pathname.startsWith('/api/')) asked.push(url.pathname + url.search); });
  await syncLogs.open('/sync-logs');
  await expect(syncLogs.rows.first()).toBeVisible();
  await expect.poll(() => asked.some((u) => u.startsWith('/api/v1/sync-logs/summary'))).toBe(true);
  expect(asked[0]).toMatch(/^\/api\/v1\/sync-logs\?/);
});

test('the next page is asked for when the headers of the last arrive, not after its body', async ({ syncLogs, server, page }) => {
  // The newer part's first page after the first (the first request with a cursor and no
  // `to`) sends its headers at once and its body 1.5 s later; the page after it is named in
  // those headers (Next-Cursor), so it is asked for within that time.
  await server.setFaults([
    SMALL_PAGES,
    { path: '/api/v1/sync-logs', query_contains: await newerPartsFirstCursor(server), body_delay_ms: 1_500, times: 1 },
  ]);
  await syncLogs.open('/sync-logs?limit=1000');
  await syncLogs.waitForLoaded(1000);
  // When each of the newer part's pages with a cursor was asked for, and when its last
  // byte arrived, as the browser timed them.
  const newer = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/api/v1/sync-logs?') && e.name.includes('cursor=') && !e.name.includes('to='))
    .map((e) => ({ asked: e.startTime, end: (e as PerformanceResourceTiming).responseEnd }))
    .sort((a, b) => a.asked - b.asked));
  expect(newer.length).toBeGreaterThanOrEqual(2);
  const [slow, after] = newer;
  expect(slow.end - slow.asked).toBeGreaterThan(1_400);
  // Asked for while the slow body was still on its way (well before its end).
  expect(after.asked).toBeLessThan(slow.end - 500);
  // Every row once: the overlap changed when pages were asked, not what came.
  const ids = await syncLogs.rowIds();
  expect(new Set(ids).size).toBe(ids.length);
});
