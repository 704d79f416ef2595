// Counts of everything that matches, not only what is loaded: the cards and the timeline
// read GET /sync-logs/summary, checked here against paging GET /sync-logs with the very
// parameters the app sent; "Load 1,000 more" continues the list; a backend without the
// summary, or with one that disagrees with itself, is labelled and never blocks the rows.
import { Page, Request } from '@playwright/test';
import { test, expect } from './fixtures/test';
import { ReferenceServer } from './fixtures/server';
import { TAXONOMY } from './fixtures/taxonomy';
import { SyncLogsPage } from './pages/sync-logs-page';

const CARDS = ['Success', 'Partial Success', 'Failed', 'In flight'];

test.describe('with 20,000 records on the reference server', () => {
  test.describe.configure({ mode: 'serial' });
  let big: ReferenceServer;

  test.beforeAll(async () => {
    big = await ReferenceServer.start({ seedCount: 20_000 });
  });
  test.afterAll(async () => {
    await big?.stop();
  });
  test.beforeEach(async () => {
    await big.clearFaults();
  });

  /** Opens `path` and resolves to the summary request the app made for it. */
  async function openCounted(page: Page, path: string): Promise<{ app: SyncLogsPage; asked: URLSearchParams }> {
    const app = new SyncLogsPage(page, big.url);
    const request = page.waitForRequest((r: Request) => r.url().includes('/api/v1/sync-logs/summary'));
    await app.open(path);
    const asked = new URL((await request).url()).searchParams;
    asked.delete('buckets');
    await expect(page.locator('.stat-cards')).toHaveAttribute('aria-busy', 'false');
    return { app, asked };
  }

  /** Every record matching `params`, paged from the list. */
  async function listAll(params: URLSearchParams): Promise<{ id: string; status: string }[]> {
    const rows: { id: string; status: string }[] = [];
    let cursor = '';
    for (;;) {
      const q = new URLSearchParams(params);
      q.set('limit', '10000');
      if (cursor) q.set('cursor', cursor);
      const page = await big.api(`/sync-logs?${q}`);
      rows.push(...page.items);
      if (!page.next_cursor) return rows;
      cursor = page.next_cursor;
    }
  }

  async function expectCardsToMatchTheList(app: SyncLogsPage, asked: URLSearchParams) {
    const rows = await listAll(asked);
    expect(rows.length, String(asked)).toBeGreaterThan(0);
    expect(await app.cardInRange('Total Operations'), String(asked)).toBe(String(rows.length));
    for (const card of CARDS) {
      const expected = rows.filter((r) => TAXONOMY[r.status].card === card).length;
      expect(await app.cardInRange(card), `${card} for ${asked}`).toBe(String(expected));
    }
    const success = rows.filter((r) => TAXONOMY[r.status].card === 'Success').length;
    expect(await app.cardInRange('Success Rate')).toBe(`${((success / rows.length) * 100).toFixed(1)}%`);
    // The timeline draws the same records: its buckets add up to the total.
    const caption = app.page.locator('.timeline-readout');
    await expect(caption).toContainText(`of all ${rows.length.toLocaleString('en-US')} records in the range`);
    return rows;
  }

  test('the cards count the whole range as the list does, for several filters, beside the loaded rows', async ({ page }) => {
    const { instances } = await big.api('/instances');
    const instance = instances[0];
    const views = [
      '/sync-logs',
      `/sync-logs?instance=${encodeURIComponent(instance.name)}`,
      `/sync-logs?instance=${encodeURIComponent(instance.name)}&entity_type=${encodeURIComponent(instance.entity_types[0])}`,
      '/sync-logs?source_id=10',
      `/sync-logs?from=${new Date(Date.now() - 15 * 86_400_000).toISOString()}`,
    ];
    for (const path of views) {
      const { app, asked } = await openCounted(page, path);
      await app.waitForLoaded(100);
      const rows = await expectCardsToMatchTheList(app, asked);
      // Beside them, the loaded rows' own counts.
      expect(await app.cardValue('Total Operations')).toBe('100');
      await expect(page.locator('.load-more')).toContainText(
        `Showing the newest 100 of ${rows.length.toLocaleString('en-US')} matching records.`,
      );
    }
  });

  test('"Load from server" on a card asks the server for that tone; its counts follow', async ({ page }) => {
    const { app } = await openCounted(page, '/sync-logs');
    const failedInRange = await app.cardInRange('Failed');
    const counted = page.waitForRequest((r) => r.url().includes('/sync-logs/summary') && r.url().includes('status='));
    await app.card('Failed').getByRole('button', { name: 'Load only Failed records from the server' }).click();
    await expect(page).toHaveURL(/status=failed&status=extraction_failed/);
    await expect(page.locator('.chip-row')).toContainText('Status (server): Failed, Extraction Failed');
    const asked = new URL((await counted).url()).searchParams;
    asked.delete('buckets');
    await expect(page.locator('.stat-cards')).toHaveAttribute('aria-busy', 'false');
    await app.waitForLoaded(100);
    await expectCardsToMatchTheList(app, asked);
    expect(await app.cardInRange('Total Operations')).toBe(failedInRange);
    const tones = await app.rows.locator('.badge').evaluateAll((b) => b.map((e) => e.className));
    for (const tone of tones) expect(tone).toContain('tone-failed');
    // And back.
    await page.getByRole('button', { name: 'Load every status' }).click();
    await expect(page).not.toHaveURL(/status=/);
    await expect(page.locator('.chip-row')).toHaveCount(0);
  });

  test('"Load 1,000 more" continues the list: 1,100 loaded, the next 1,000 older ones', async ({ page }) => {
    const { app, asked } = await openCounted(page, '/sync-logs');
    await app.waitForLoaded(100);
    const expected = (await listAll(asked)).slice(0, 1_100).map((r) => String(r.id));
    const lists: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/sync-logs?')) lists.push(r.url()); });
    let summaries = 0;
    page.on('request', (r) => { if (r.url().includes('/sync-logs/summary')) summaries += 1; });

    await page.getByRole('button', { name: 'Load 1,000 more' }).click();
    await app.waitForLoaded(1_100);
    await expect(page).toHaveURL(/limit=1100/);
    expect(await app.rowCount()).toBe(1_100);
    // One request, from where the first load stopped: nothing loaded twice.
    expect(lists).toHaveLength(1);
    expect(new URL(lists[0]).searchParams.get('cursor')).toBeTruthy();
    expect(new URL(lists[0]).searchParams.get('from')).toBe(asked.get('from'));
    expect(summaries, 'the counts do not depend on the limit').toBe(0);
    // In order: the first rows as before, the last the 1,100th newest.
    expect((await app.rowIds()).slice(0, 5)).toEqual(expected.slice(0, 5));
    await app.rows.first().locator('td').nth(1).click();
    await page.keyboard.press('End');
    const focused = page.locator('tbody tr:focus');
    await expect(focused).toHaveAttribute('aria-rowindex', '1101');
    await expect(focused).toHaveAttribute('data-id', expected[1_099]);
    await page.keyboard.press('ArrowUp');
    await expect(focused).toHaveAttribute('data-id', expected[1_098]);
  });

  test('"Load all" loads every matching record, with progress and cancel on the way', async ({ page }) => {
    const { app, asked } = await openCounted(page, '/sync-logs');
    await app.waitForLoaded(100);
    const total = Number(await app.cardInRange('Total Operations'));
    // The next page held back long enough that the load is surely still running when
    // Cancel is pressed, however busy the machine (Cancel aborts the request).
    await big.setFaults([{ path: '/api/v1/sync-logs', query_contains: 'cursor=', delay_ms: 20_000, times: 1 }]);
    await page.getByRole('button', { name: `Load all ${total.toLocaleString('en-US')}` }).click();
    await expect(page).toHaveURL(new RegExp(`limit=${total}`));
    await expect(app.loading).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.locator('.notice')).toContainText('Loading stopped');
    expect(await app.rowCount()).toBe(100);
    // Asked again, it loads them all.
    await big.clearFaults();
    await page.getByRole('button', { name: `Load all ${total.toLocaleString('en-US')}` }).click();
    await app.waitForLoaded(total);
    await expect(page.locator('.load-more')).toHaveCount(0);
    expect(await app.cardValue('Total Operations')).toBe(String(total));
    expect(asked.get('from')).toBeTruthy();
  });

  test('a summary that disagrees with itself is shown with a notice; the rows are not held up', async ({ page }) => {
    const from = new Date(Date.now() - 5 * 86_400_000);
    const to = new Date();
    const body = {
      total: 500, statuses: { success: 400, failed: -3 },
      from: from.toISOString(), to: to.toISOString(), bucket_ms: 10_800_000,
      buckets: [{ start: '2001-01-01T00:00:00Z', counts: { success: 5 } }],
    };
    await big.setFaults([{ path: '/api/v1/sync-logs/summary', status: 200, body: JSON.stringify(body), content_type: 'application/json' }]);
    const app = new SyncLogsPage(page, big.url);
    await app.open('/sync-logs');
    await app.waitForLoaded(100);
    const notice = page.locator('.notice-warning');
    await expect(notice).toContainText('The backend\'s summary disagrees with itself');
    await expect(notice).toContainText('one count is negative (counted as 0)');
    await expect(notice).toContainText('the counts per status add up to 400, not the total of 500');
    await expect(notice).toContainText('one bucket lies outside the range');
    expect(await app.cardInRange('Total Operations')).toBe('500');
    expect(await app.cardInRange('Failed')).toBe('0');

    // A summary that fails outright: the cards count the loaded rows, and say why.
    await big.setFaults([{ path: '/api/v1/sync-logs/summary', status: 500, body: '{"error":{"code":"internal","message":"boom"}}' }]);
    await page.reload();
    await app.waitForLoaded(100);
    await expect(page.locator('.notice-info')).toContainText('The counts of the whole range could not be loaded');
    await expect(app.card('Total Operations')).toContainText('of loaded records');
    expect(await app.cardValue('Total Operations')).toBe('100');
  });

  test('live refresh counts the new records in the range too', async ({ page }) => {
    await big.setFaults([{ path: '/config.json', status: 200, body: JSON.stringify({ refresh_seconds: 1 }) }]);
    const { app } = await openCounted(page, '/sync-logs');
    await app.waitForLoaded(100);
    const before = Number(await app.cardInRange('Total Operations'));
    const response = await fetch(`${big.url}/__generate`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 3 }),
    });
    expect(response.status).toBe(204);
    await expect(page.getByRole('status').filter({ hasText: '3 new records' })).toBeVisible({ timeout: 10_000 });
    await expect.poll(async () => Number(await app.cardInRange('Total Operations'))).toBe(before + 3);
  });
});

test('a server without the summary endpoint gets the cards and timeline of the loaded records, so labelled', async ({ page }) => {
  const plain = await ReferenceServer.start({ seedCount: 2_000, args: ['--no-summary'] });
  try {
    const app = new SyncLogsPage(page, plain.url);
    await app.open('/sync-logs');
    await app.waitForLoaded(100);
    await expect(page.locator('.stat-cards')).toHaveAttribute('aria-busy', 'false');
    for (const card of ['Total Operations', ...CARDS, 'Success Rate']) {
      await expect(app.card(card)).toContainText('of loaded records');
      await expect(app.card(card).locator('.stat-range')).toHaveCount(0);
    }
    expect(await app.cardValue('Total Operations')).toBe('100');
    await expect(page.locator('.timeline-readout')).toContainText('of loaded records');
    await expect(page.locator('.tl-loaded')).toHaveCount(0);
    // Nothing counts the matches, so nothing offers to load "all" of them.
    await expect(page.locator('.load-more')).toHaveCount(0);
    await expect(page.locator('.notice-info')).toHaveCount(0);
  } finally {
    await plain.stop();
  }
});
