// 100,000 records loaded: the table keeps a bounded DOM, every row is reachable by
// scrolling and by keyboard, and refinements count exactly.
import { test, expect } from './fixtures/test';
import { ReferenceServer } from './fixtures/server';
import { TAXONOMY } from './fixtures/taxonomy';
import { SyncLogsPage } from './pages/sync-logs-page';

const ROWS = 100_000;

test.describe('with 100,000 records loaded', () => {
  test.describe.configure({ mode: 'serial' });
  test.setTimeout(180_000);
  let big: ReferenceServer;
  type Searched = { id: string; source_id: string | null; target_id: string | null; details: string | null; source_system: string | null; target_system: string | null };
  let records: ({ status: string; instance: string } & Searched)[] = [];
  const from = new Date(Date.now() - 15 * 86_400_000).toISOString();

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    big = await ReferenceServer.start({ seedCount: ROWS });
    // The same rows as the app loads, straight from the API, to count against.
    let cursor = '';
    while (records.length < ROWS) {
      const q = new URLSearchParams({ from, limit: '10000' });
      if (cursor) q.set('cursor', cursor);
      const page = await (await fetch(`${big.url}/api/v1/sync-logs?${q}`)).json();
      records.push(...page.items.map((r: any) => ({
        id: String(r.id), status: r.status, instance: r.instance, source_id: r.source_id, target_id: r.target_id,
        details: r.details, source_system: r.source_system, target_system: r.target_system,
      })));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    expect(records).toHaveLength(ROWS);
  });
  test.afterAll(async () => { await big?.stop(); });

  async function openLoaded(page: import('@playwright/test').Page): Promise<SyncLogsPage> {
    const syncLogs = new SyncLogsPage(page, big.url);
    await syncLogs.open(`/sync-logs?limit=${ROWS}&from=${encodeURIComponent(from)}`);
    await expect(page.locator('.row-count')).toHaveText('100,000 records loaded', { timeout: 120_000 });
    return syncLogs;
  }

  const elementsInTable = (page: import('@playwright/test').Page) =>
    page.locator('.table-wrap').evaluate((el) => el.getElementsByTagName('*').length);

  test('the DOM stays small and the last row is reachable by scrolling', async ({ page }) => {
    const syncLogs = await openLoaded(page);
    expect(await syncLogs.rowCount()).toBe(ROWS);
    expect(await elementsInTable(page)).toBeLessThan(800);
    expect(await syncLogs.rows.count()).toBeLessThan(60);

    const wrap = page.locator('.table-wrap');
    await wrap.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    const last = page.locator(`tbody tr[aria-rowindex="${ROWS + 1}"]`);
    await expect(last).toBeInViewport();
    await expect(last).toHaveAttribute('data-id', records[ROWS - 1].id);
    expect(await elementsInTable(page)).toBeLessThan(800);

    // Halfway down, the rows shown are the ones at that place in the list.
    await wrap.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
    await expect.poll(async () => {
      const row = syncLogs.rows.nth(12);
      const at = Number(await row.getAttribute('aria-rowindex')) - 2;
      return (await row.getAttribute('data-id')) === records[at].id && at > 40_000;
    }).toBe(true);
  });

  test('End, Home and the arrows move between rows, scrolling as needed', async ({ page }) => {
    const syncLogs = await openLoaded(page);
    await syncLogs.rows.first().locator('td.col-status, td').nth(1).click();
    const focused = page.locator('tbody tr:focus');
    await expect(focused).toHaveAttribute('aria-rowindex', '2');

    await page.keyboard.press('End');
    await expect(focused).toHaveAttribute('aria-rowindex', String(ROWS + 1));
    await expect(focused).toHaveAttribute('data-id', records[ROWS - 1].id);
    await expect(focused).toBeInViewport();

    await page.keyboard.press('ArrowUp');
    await expect(focused).toHaveAttribute('data-id', records[ROWS - 2].id);
    await page.keyboard.press('Home');
    await expect(focused).toHaveAttribute('data-id', records[0].id);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('PageDown');
    // Down one, then a page (as many rows as fit in view) further.
    await expect.poll(async () => Number(await focused.getAttribute('aria-rowindex')) - 2).toBeGreaterThan(5);
    const at = Number(await focused.getAttribute('aria-rowindex')) - 2;
    await expect(focused).toHaveAttribute('data-id', records[at].id);
    await expect(focused).toBeInViewport();

    // Space ticks the focused row.
    await page.keyboard.press(' ');
    await expect(page.getByRole('region', { name: 'Selection' })).toContainText('1 of 100,000 selected');
    expect(await elementsInTable(page)).toBeLessThan(800);
  });

  test('a row clicked above the view keeps the focus, and End then reaches the last row', async ({ page }) => {
    const syncLogs = await openLoaded(page);
    const wrap = page.locator('.table-wrap');
    await wrap.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
    await expect.poll(async () => Number(await syncLogs.rows.first().getAttribute('aria-rowindex'))).toBeGreaterThan(40_000);
    // The first rendered row lies in the margin above the view: clicking it scrolls it
    // into view, which moves the rendered rows up under the focus.
    await syncLogs.rows.first().locator('td').nth(1).click();
    await page.keyboard.press('End');
    const focused = page.locator('tbody tr:focus');
    await expect(focused).toHaveAttribute('aria-rowindex', String(ROWS + 1));
    await expect(focused).toHaveAttribute('data-id', records[ROWS - 1].id);
    await expect(focused).toBeInViewport();
    // And the table is at its very end, not some rows short of it.
    expect(await wrap.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)).toBeLessThan(2);
  });

  test('a focused row scrolled out of the page leaves the keys with the table: End reaches the last row', async ({ page }) => {
    const syncLogs = await openLoaded(page);
    const wrap = page.locator('.table-wrap');
    await syncLogs.rows.first().locator('td').nth(1).click();
    await expect(page.locator('tbody tr:focus')).toHaveAttribute('aria-rowindex', '2');
    // Scrolled away (the wheel, the scrollbar): the focused row leaves the DOM.
    await wrap.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
    await expect(page.locator('tbody tr[aria-rowindex="2"]')).toHaveCount(0);
    // The focus stays in the table, without scrolling it back.
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('.table-wrap'))).toBe(true);
    const top = await wrap.evaluate((el) => el.scrollTop);
    expect(top).toBeGreaterThan(1_000_000);
    await page.keyboard.press('End');
    const focused = page.locator('tbody tr:focus');
    await expect(focused).toHaveAttribute('aria-rowindex', String(ROWS + 1));
    await expect(focused).toHaveAttribute('data-id', records[ROWS - 1].id);
    await expect(focused).toBeInViewport();
    // Home from there goes back to the first row.
    await page.keyboard.press('Home');
    await expect(focused).toHaveAttribute('aria-rowindex', '2');
  });

  test('when something above the table goes away, rows fill the taller table at once', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 1600 });
    const syncLogs = await openLoaded(page);
    const wrap = page.locator('.table-wrap');
    // A tall block above the table, as a notice or an open panel is; then the table is
    // scrolled, so the rendered rows are exactly those of the short table.
    await page.evaluate(() => {
      const block = document.createElement('div');
      block.id = 'tall-block';
      block.style.height = '900px';
      block.style.flex = 'none';
      document.querySelector('.rows')!.before(block);
    });
    await wrap.evaluate((el) => { el.scrollTop = 37 * 50; });
    await expect.poll(() => syncLogs.rows.first().getAttribute('aria-rowindex')).not.toBe('2');
    const short = await wrap.evaluate((el) => el.clientHeight);
    // It goes away, with no scroll and no window resize after it.
    await page.evaluate(() => document.getElementById('tall-block')!.remove());
    expect(await wrap.evaluate((el) => el.clientHeight)).toBeGreaterThan(short + 500);
    // The bottom of the last rendered row reaches the bottom of the table.
    await expect.poll(() => wrap.evaluate((el) => {
      const rows = el.querySelectorAll('tbody tr[data-id]');
      return rows[rows.length - 1].getBoundingClientRect().bottom - el.getBoundingClientRect().bottom;
    })).toBeGreaterThanOrEqual(0);
  });

  test('a search finds the same rows whether its text was built ahead of typing or the rows were compared in place', async ({ page }) => {
    const term = 'timeout';
    const count = page.locator('.row-count');
    const search = page.getByLabel('Search loaded records');
    const built = () => page.evaluate(() => performance.getEntriesByName('sync-logs:search-index').length);
    // With the page: the search is in the address; the text is built behind the first answer.
    await page.goto(`${big.url}/sync-logs?limit=${ROWS}&from=${encodeURIComponent(from)}&q=${term}`);
    await expect(count).toHaveText(/^[0-9,]+ of 100,000 loaded records shown$/, { timeout: 120_000 });
    const expected = await count.innerText();
    expect(expected).not.toMatch(/^0 /);
    await expect.poll(built).toBe(1);

    // Ahead of typing: the pointer rests on the box until the text is built in slices.
    await openLoaded(page);
    await search.hover();
    await expect.poll(built).toBe(1);
    await search.fill(term);
    await expect(count).toHaveText(expected);

    // Typed at once: the first answer compares the rows in place, then the text is built
    // behind it, and a search typed on from there uses it and narrows the same way.
    await openLoaded(page);
    const firstRow = () => page.locator('tbody tr[data-id]').first().getAttribute('data-id');
    const unsearched = await firstRow();
    await search.fill(term.slice(0, 4));
    await search.fill(term);
    await expect(count).toHaveText(expected);
    await expect.poll(built).toBe(1);
    await search.fill(`${term}x`);
    await expect(count).toHaveText(/^0 of 100,000 loaded records shown$/);
    await search.fill(term);
    await expect(count).toHaveText(expected);
    expect(await firstRow()).not.toBe(unsearched);
    // Cleared: the view from before the search, rows and count.
    await search.fill('');
    await expect(count).toHaveText('100,000 records loaded');
    expect(await firstRow()).toBe(unsearched);
  });

  test('a search decided by each row\'s characters, before any search text, counts exactly', async ({ page }) => {
    const count = page.locator('.row-count');
    const search = page.getByLabel('Search loaded records');
    await openLoaded(page);
    // The characters of every row are built after every load (the search text only once
    // the search box is about to be used).
    // Those of all rows: built after the last page arrived (the first 200 rows had theirs).
    const charsOfAllRows = () => page.evaluate(() => {
      const pages = performance.getEntriesByType('resource').filter((e) => e.name.includes('/sync-logs?'));
      const last = Math.max(...pages.map((e) => (e as PerformanceResourceTiming).responseEnd));
      return performance.getEntriesByName('sync-logs:chars-index').some((m) => m.startTime > last);
    });
    await expect.poll(charsOfAllRows).toBe(true);
    const searched = (r: Searched) => [r.id, r.source_id, r.target_id, r.details, r.source_system, r.target_system];
    // One letter or digit (either case) is decided by a row's characters alone; longer
    // searches are ruled out by them where a row lacks a character, then looked for.
    for (const needle of ['q', 'Z', '7', 'x9', 'zq', 'so-1', 'timed out']) {
      const lower = needle.toLowerCase();
      const expected = records.filter((r) => searched(r).some((f) => (f ?? '').toLowerCase().includes(lower))).length;
      await search.fill(needle);
      await expect(count, needle).toHaveText(`${expected.toLocaleString('en-US')} of 100,000 loaded records shown`);
    }
  });

  test('the timeline draws every loaded row, and the rows a search shows as it is typed', async ({ page }) => {
    await openLoaded(page);
    // A load this large reaches the timeline a painted frame after the table.
    const readout = page.locator('.timeline-readout');
    await expect(readout).toContainText('the span of the 100,000 loaded');
    // Hovering a bucket reads out the loaded rows in it; a search that matches nothing
    // leaves none of them, and clearing it brings them back.
    const chart = page.locator('.timeline-chart');
    const box = (await chart.boundingBox())!;
    let hovered = 0;
    for (const x of [0.95, 0.75, 0.5, 0.25]) {
      await page.mouse.move(box.x + box.width * x, box.y + box.height / 2);
      hovered = Number((await readout.innerText()).match(/· ([\d,]+) loaded/)?.[1].replace(/,/g, '') ?? 0);
      if (hovered > 0) break;
    }
    expect(hovered).toBeGreaterThan(0);
    const search = page.getByLabel('Search loaded records');
    await search.fill('no-record-has-this');
    await expect(page.locator('.row-count')).toHaveText('0 of 100,000 loaded records shown');
    await expect(readout).toContainText('· 0 loaded');
    await search.fill('');
    await expect(readout).toContainText(`· ${hovered.toLocaleString('en-US')} loaded`);
  });

  test('filters count exactly, and the place in the list is kept when it can be', async ({ page }) => {
    const syncLogs = await openLoaded(page);
    const failed = records.filter((r) => TAXONOMY[r.status]?.card === 'Failed');
    await syncLogs.cardButton('Failed').click();
    await expect(page.locator('.row-count')).toHaveText(`${failed.length.toLocaleString('en-US')} of 100,000 loaded records shown`);
    expect(await syncLogs.rowCount()).toBe(failed.length);
    await expect(syncLogs.rows.first()).toHaveAttribute('data-id', failed[0].id);

    // Scroll to a failed record deep in the list, then drop the filter: it stays on top.
    const wrap = page.locator('.table-wrap');
    const pick = Math.floor(failed.length * 0.6);
    await wrap.evaluate((el, y) => { el.scrollTop = y; }, pick * 37);
    const top = syncLogs.rows.nth(10);
    const anchorId = await top.getAttribute('data-id');
    await wrap.evaluate((el) => el.dispatchEvent(new Event('scroll')));
    await syncLogs.cardButton('Failed').click();
    await expect(page.locator('.row-count')).toHaveText('100,000 records loaded');
    const position = records.findIndex((r) => r.id === anchorId);
    expect(position).toBeGreaterThan(pick);
    await expect(page.locator(`tbody tr[data-id="${anchorId}"]`)).toBeInViewport();

    // A column filter on a whole instance counts exactly too.
    const instance = records[0].instance;
    const ofInstance = records.filter((r) => r.instance === instance).length;
    await page.goto(`${big.url}/sync-logs?limit=${ROWS}&from=${encodeURIComponent(from)}&f_instance=${encodeURIComponent(instance)}`);
    await expect(page.locator('.row-count')).toHaveText(`${ofInstance.toLocaleString('en-US')} of 100,000 loaded records shown`, { timeout: 120_000 });
  });
});
