// A bad backend and a bad network, driven through the reference server's fault
// injection: timeouts, retries with backoff and Retry-After, 4xx that are final, an
// expired session, offline and back, bodies that are not JSON or are cut short, records
// with fields of the wrong kind, duplicates, giant strings, a panic and a failing region.
// Every case checks that what the user had (filters, rows) is still there.
import { Page, Request } from '@playwright/test';
import { test, expect } from './fixtures/test';

function record(id: string, extra: Record<string, unknown> = {}) {
  return {
    id, status: 'failed', instance: 'SAP B1 → Shopify', entity_type: 'item', source_id: `SKU-${id}`,
    started_at: '2026-11-20T10:00:05Z', details: 'Timeout talking to the target', ...extra,
  };
}

const page_of = (items: unknown[]) => JSON.stringify({ items, next_cursor: null });

/** Every GET of the records list the page makes, in order. */
function listRequests(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && new URL(r.url()).pathname === '/api/v1/sync-logs') seen.push(r);
  });
  return seen;
}

test.describe('network faults', () => {
  test('a slow dead-letter count holds back neither the console nor its first rows', async ({ syncLogs, server, page }) => {
    // The tab's count is a side request: the log must not wait for it.
    await server.setFaults([{ path: '/api/v1/dead-letter/summary', delay_ms: 8_000, times: 1 }]);
    const started = Date.now();
    await syncLogs.open();
    await expect(syncLogs.rows.first()).toBeVisible({ timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(page.getByRole('button', { name: 'Actions' })).toBeVisible();
    const count = page.getByTestId('queue-count');
    await expect(count).toHaveCount(0);
    // Then it arrives, with the rows still there.
    await expect(count).toBeVisible({ timeout: 15_000 });
    await expect(syncLogs.rows.first()).toBeVisible();
  });

  test('a request that hangs times out with a clear message, and Retry recovers', async ({ syncLogs, server, page }) => {
    const config = { api_base_url: '/api/v1', request_timeout_seconds: 2 };
    await server.setFaults([
      { path: '/config.json', status: 200, body: JSON.stringify(config) },
      { path: '/api/v1/sync-logs', delay_ms: 20_000, times: 1 },
    ]);
    const started = Date.now();
    await syncLogs.open();
    await expect(syncLogs.errorState).toContainText('did not answer within 2 s');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThan(1_500);
    expect(waited).toBeLessThan(15_000);
    await syncLogs.retry.click();
    await syncLogs.waitForLoaded(100);
    await expect(syncLogs.errorState).toBeHidden();
  });

  test('503, 503, then 200: retried with backoff, the rows arrive without a click', async ({ syncLogs, server, page }) => {
    await server.setFaults([{ path: '/api/v1/sync-logs', status: 503, times: 2 }]);
    const requests = listRequests(page);
    // Every text the loading state shows, recorded in the page as it changes: the first
    // backoff lasts a fraction of a second, too short to be sure of catching by polling.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { loadingTexts: string[] }).loadingTexts = seen;
      new MutationObserver(() => {
        const text = document.querySelector('.state-loading')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await syncLogs.open();
    await syncLogs.waitForLoaded(100);
    expect(requests).toHaveLength(3);
    const texts = await page.evaluate(() => (window as unknown as { loadingTexts: string[] }).loadingTexts);
    const retries = texts.flatMap((t) => t.match(/HTTP 503; retrying in \d+ s \(try \d of 5\)/g) ?? []);
    expect(retries.map((t) => t.replace(/in \d+ s/, 'in N s'))).toEqual([
      'HTTP 503; retrying in N s (try 2 of 5)',
      'HTTP 503; retrying in N s (try 3 of 5)',
    ]);
    await expect(syncLogs.errorState).toBeHidden();
  });

  test('429 with Retry-After waits as long as the server asks', async ({ syncLogs, server, page }) => {
    await server.setFaults([{ path: '/api/v1/sync-logs', status: 429, headers: { 'retry-after': '2' }, times: 1 }]);
    const requests = listRequests(page);
    await syncLogs.open();
    await expect(syncLogs.loading).toContainText('HTTP 429; retrying in 2 s');
    await syncLogs.waitForLoaded(100);
    expect(requests).toHaveLength(2);
    // Browser-side start times (the runner's clock sees events late under load). Backoff
    // alone would have waited 0.25 to 0.5 s.
    const [first, second] = requests.map((r) => r.timing().startTime);
    expect(second - first).toBeGreaterThanOrEqual(1_900);
  });

  test('a 400 is final: one request, the error, the filters kept', async ({ syncLogs, server, page }) => {
    await server.setFaults([{
      path: '/api/v1/sync-logs', status: 400, times: 1,
      body: JSON.stringify({ error: { code: 'invalid_query', message: 'source_id is too long' } }),
    }]);
    const requests = listRequests(page);
    await syncLogs.open('/sync-logs?source_id=SKU-1');
    await expect(syncLogs.errorState).toContainText('HTTP 400');
    await expect(syncLogs.errorState).toContainText('source_id is too long');
    // Nothing has loaded: the cards say so instead of counting zeros.
    await expect(page.locator('.stat-cards')).toHaveAttribute('aria-busy', 'true');
    for (const card of ['Total Operations', 'Failed', 'Success Rate']) {
      await expect(syncLogs.card(card).locator('.stat-value')).toHaveText('—not loaded yet');
    }
    await page.waitForTimeout(1_500);
    expect(requests).toHaveLength(1);
    await expect(syncLogs.sourceId).toHaveValue('SKU-1');
  });

  test('five 5xx in a row end in the error with the status, and Retry recovers', async ({ syncLogs, server }) => {
    test.slow();
    await server.setFaults([{ path: '/api/v1/sync-logs', status: 502, times: 5 }]);
    await syncLogs.open();
    await expect(syncLogs.errorState).toContainText('HTTP 502', { timeout: 20_000 });
    await syncLogs.retry.click();
    await syncLogs.waitForLoaded(100);
  });

  test('401 says the session expired and keeps the view; 403 says not permitted', async ({ syncLogs, server, page }) => {
    await syncLogs.open('/sync-logs?tone=failed');
    await syncLogs.waitForLoaded(100);
    const before = await syncLogs.rowIds();
    await server.setFaults([{ path: '/api/v1/sync-logs', status: 401, times: 1 }]);
    await syncLogs.navigateInApp('/sync-logs?tone=failed&source_id=SKU');
    const expired = page.getByRole('alert').filter({ hasText: 'Your session has expired — sign in again' });
    await expect(expired).toBeVisible();
    await expect(expired.getByRole('button', { name: 'Sign in again' })).toBeVisible();
    expect(await syncLogs.rowIds()).toEqual(before);
    await expect(syncLogs.sourceId).toHaveValue('SKU');
    expect(page.url()).toContain('tone=failed');

    await server.setFaults([{ path: '/api/v1/sync-logs', status: 403, times: 1 }]);
    await syncLogs.retry.click();
    await expect(page.getByRole('alert').filter({ hasText: 'You are not permitted to view these records' })).toBeVisible();
    expect(await syncLogs.rowIds()).toEqual(before);
  });

  test('offline: a banner, the rows kept, and the load resumes by itself when back', async ({ syncLogs, page, context }) => {
    await syncLogs.open();
    await syncLogs.waitForLoaded(100);
    const before = await syncLogs.rowIds();
    await context.setOffline(true);
    await expect(page.getByRole('status').filter({ hasText: 'You are offline' })).toBeVisible();
    const instance = 'SAP B1 → Shopify';
    await syncLogs.navigateInApp(`/sync-logs?instance=${encodeURIComponent(instance)}`);
    await expect(syncLogs.errorState).toBeVisible();
    // Said in words, with what to do; the browser's own text only under the details.
    await expect(syncLogs.errorState.locator('.error-message')).toHaveText(/^no answer from the server/);
    await expect(syncLogs.errorState.locator('.error-message')).not.toContainText('TypeError');
    await expect(syncLogs.errorState).toContainText('Check your connection');
    await expect(syncLogs.errorState.locator('details.error-technical')).toContainText('Technical details');
    expect(await syncLogs.rowIds()).toEqual(before);
    await context.setOffline(false);
    await expect(page.getByRole('status').filter({ hasText: 'You are offline' })).toBeHidden();
    // No click: coming back online runs the failed load again.
    await expect(syncLogs.errorState).toBeHidden();
    await expect.poll(async () => new Set(await syncLogs.column(1))).toEqual(new Set([instance]));
  });

  test('a connection cut mid-answer is retried', async ({ syncLogs, server, page }) => {
    await server.setFaults([{ path: '/api/v1/sync-logs', drop_after: true, times: 1 }]);
    const requests = listRequests(page);
    await syncLogs.open();
    await syncLogs.waitForLoaded(100);
    expect(requests.length).toBe(2);
  });
});

test.describe('bad data', () => {
  test('truncated JSON with status 200 is an error with the status and an excerpt', async ({ syncLogs, server }) => {
    await server.setFaults([{ path: '/api/v1/sync-logs', truncate_to: 300, times: 1 }]);
    await syncLogs.open();
    await expect(syncLogs.errorState).toContainText('HTTP 200');
    await expect(syncLogs.errorState).toContainText('could not be read');
    await expect(syncLogs.errorState.locator('.error-excerpt')).toContainText('{"items":[{');
    await syncLogs.retry.click();
    await syncLogs.waitForLoaded(100);
  });

  test('unknown values, unreadable times and wrong types make flagged rows, not errors', async ({ syncLogs, server, page }) => {
    const items = [
      record('1', { status: 'quarantined', operation: 'merge' }),
      record('2', { started_at: 'yesterday at noon' }),
      record('3', { instance: { name: 'nested' }, attempts: 'many', entity_type: null }),
      record('4'),
    ];
    await server.setFaults([{ path: '/api/v1/sync-logs', status: 200, body: page_of(items), times: 1 }]);
    await syncLogs.open();
    await syncLogs.waitForLoaded(4);
    const row = (id: string) => page.locator(`tbody tr[data-id="${id}"]`);
    // An unknown status and operation are shown as sent (not an error).
    await expect(row('1')).toContainText('quarantined');
    await expect(row('1')).toContainText('merge');
    // The unreadable time is shown raw, and the row says why.
    await expect(row('2')).toContainText('yesterday at noon');
    await expect(row('2').getByRole('img', { name: /started_at is not valid: yesterday at noon/ })).toBeVisible();
    // A nested object where text belongs is shown as its JSON; a missing field says so.
    await expect(row('3')).toContainText('{"name":"nested"}');
    await expect(row('3').getByRole('img', { name: /entity_type is missing/ })).toBeVisible();
    await expect(row('4').locator('.row-flag')).toHaveCount(0);
    await expect(syncLogs.notice).toContainText('2 records had fields that could not be read');
  });

  test('duplicate ids are shown once, and the page says so', async ({ syncLogs, server }) => {
    const items = [record('1'), record('2'), record('1', { details: 'second copy' }), record('3')];
    await server.setFaults([{ path: '/api/v1/sync-logs', status: 200, body: page_of(items), times: 1 }]);
    await syncLogs.open();
    await syncLogs.waitForLoaded(3);
    expect(await syncLogs.rowIds()).toEqual(['1', '2', '3']);
    await expect(syncLogs.notice).toContainText('The server sent 1 record with an id already received');
  });

  test('an id sent again on a later page of a long load is shown once, its first copy kept', async ({ syncLogs, server, page }) => {
    // Newest first, one second apart, so the load asks for the first 200 and then the
    // rest from the first page's cursor (too few for two parts at once).
    const at = (n: number) => new Date(Date.parse('2026-11-20T10:00:00Z') - n * 1_000).toISOString();
    const first = Array.from({ length: 200 }, (_, n) => record(String(n + 1), { started_at: at(n) }));
    const rest = Array.from({ length: 60 }, (_, n) => record(String(n + 201), { started_at: at(n + 200) }));
    rest.splice(30, 0, record('5', { started_at: at(230), details: 'second copy' }));
    await server.setFaults([
      { path: '/api/v1/sync-logs', query_contains: 'cursor=', status: 200, body: page_of(rest), times: 1 },
      { path: '/api/v1/sync-logs', status: 200, body: JSON.stringify({ items: first, next_cursor: 'more' }), times: 1 },
    ]);
    await syncLogs.open('/sync-logs?limit=300');
    await syncLogs.waitForLoaded(260);
    await expect(syncLogs.notice).toContainText('The server sent 1 record with an id already received');
    await page.getByLabel('Search loaded records').fill('second copy');
    await expect(page.locator('.row-count')).toHaveText('0 of 260 loaded records shown');
    await page.getByLabel('Search loaded records').fill('SKU-5');
    // SKU-5 and SKU-50 to SKU-59, each once.
    await expect(page.locator('.row-count')).toHaveText('11 of 260 loaded records shown');
    expect(await syncLogs.rowIds()).toContain('5');
  });

  for (const width of [1280, 1024]) {
    test(`a status badge stays inside its cell at ${width} px, and a label too long for it ends in an ellipsis`, async ({ syncLogs, server, page }) => {
      await page.setViewportSize({ width, height: 800 });
      const unknown = 'Quarantined by the nightly reconciliation job'.repeat(3);
      const items = [record('1', { status: 'extraction_failed' }), record('2', { status: 'ok' }), record('3', { status: unknown })];
      await server.setFaults([{ path: '/api/v1/sync-logs', status: 200, body: page_of(items), times: 1 }]);
      await syncLogs.open();
      await syncLogs.waitForLoaded(3);
      // Each badge: whether it ends inside its cell's content, and whether its label is cut.
      const badges = await syncLogs.rows.locator('.badge').evaluateAll((all) => all.map((badge) => {
        const label = badge.querySelector('.badge-label') as HTMLElement;
        const td = badge.closest('td')!;
        const contentRight = td.getBoundingClientRect().right - parseFloat(getComputedStyle(td).paddingRight);
        return {
          status: badge.getAttribute('data-status'), title: badge.getAttribute('title'),
          inside: badge.getBoundingClientRect().right <= contentRight + 0.5,
          cut: label.scrollWidth > label.clientWidth, ellipsis: getComputedStyle(label).textOverflow,
        };
      }));
      const of = (status: string) => badges.find((b) => b.status === status)!;
      expect(badges.every((b) => b.inside && b.ellipsis === 'ellipsis'), JSON.stringify(badges)).toBe(true);
      expect(of('ok').cut).toBe(false);
      expect(of('extraction_failed').title).toBe('Extraction Failed');
      expect(of(unknown)).toMatchObject({ cut: true, title: `Unknown status "${unknown}"` });
    });
  }

  test('giant strings are shown without breaking the page', async ({ syncLogs, server, page }) => {
    const giant = 'G'.repeat(2_000_000);
    const items = [record('1', { details: giant, source_id: 'S'.repeat(50_000) }), record('2')];
    await server.setFaults([{ path: '/api/v1/sync-logs', status: 200, body: page_of(items), times: 1 }]);
    await syncLogs.open();
    await syncLogs.waitForLoaded(2);
    // The cell stays one line high; the popover says how long the text is.
    const box = await syncLogs.rows.first().boundingBox();
    expect(box!.height).toBeLessThan(60);
    await syncLogs.rows.first().locator('td.details').hover();
    await expect(syncLogs.popover.locator('.details-length')).toHaveText('2,000,000 characters');
  });

  test('hostile text in every text column stays text', async ({ syncLogs, server, page }) => {
    const xss = (field: string) => `<img src=x onerror="window.__xss='${field}'"><script>window.__xss='${field}'</script>`;
    const fields = [
      'status', 'instance', 'entity_type', 'source_id', 'target_id', 'operation', 'details',
      'source_system', 'endpoint_id', 'latest_sync_info', 'correlation_id',
    ];
    const item: Record<string, unknown> = record(xss('id'));
    for (const field of fields) item[field] = xss(field);
    await page.addInitScript(() => localStorage.setItem('sync-logs.prefs.v1', JSON.stringify({
      columns: ['status', 'instance', 'entity_type', 'source_id', 'target_id', 'operation', 'started',
        'details', 'source_system', 'endpoint_id', 'latest_sync_info', 'attempts', 'correlation_id', 'sync_id'],
    })));
    await server.setFaults([{ path: '/api/v1/sync-logs', status: 200, body: page_of([item]), times: 1 }]);
    await syncLogs.open();
    await expect(syncLogs.rows).toHaveCount(1);
    const row = syncLogs.rows.first();
    for (const field of ['id', ...fields]) await expect(row).toContainText(xss(field));
    await row.locator('td.details button').focus();
    await expect(syncLogs.popover).toContainText(xss('details'));
    expect(await page.locator('img, main script').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  });
});

test.describe('no crash is final', () => {
  test('a panic shows a banner whose Reload brings back the same filters', async ({ syncLogs, page }) => {
    await syncLogs.open('/sync-logs?tone=failed&source_id=SKU');
    await expect(syncLogs.sourceId).toHaveValue('SKU');
    const failed = await page.evaluate(() => {
      try {
        (window as any).wasmBindings.debug_crash();
        return 'returned';
      } catch (e) {
        return 'threw';
      }
    });
    expect(failed).toBe('threw');
    const banner = page.getByRole('alert').filter({ hasText: 'Sync Logs stopped because of an internal error' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('debug_crash was called');
    await expect(banner.getByRole('button', { name: 'Reload' })).toBeFocused();
    await banner.getByRole('button', { name: 'Reload' }).click();
    await expect(banner).toBeHidden();
    await expect(syncLogs.sourceId).toHaveValue('SKU');
    expect(page.url()).toContain('tone=failed');
  });

  test('a failing region says so in place, and the rest of the page works', async ({ syncLogs, server, page }) => {
    await syncLogs.open();
    await syncLogs.waitForLoaded(100);
    const [first] = await syncLogs.rowIds();
    // The attempts only: the panel's audit trail is a region of its own.
    await server.setFaults([{
      path: `/api/v1/sync-logs/${first}/attempts`, status: 400, times: 1,
      body: JSON.stringify({ error: { code: 'bad_id', message: 'this id cannot be looked up' } }),
    }]);
    await syncLogs.rows.first().getByRole('button', { name: /^History of record/ }).click();
    const panel = page.getByRole('dialog', { name: /^History of / });
    await expect(panel.getByRole('alert')).toContainText('The history of this record could not be shown');
    await expect(panel.getByRole('alert')).toContainText('this id cannot be looked up');
    // The region's Retry brings it back; the table kept working meanwhile.
    await syncLogs.cardButton('Failed').click();
    await expect.poll(async () => (await syncLogs.column(0)).every((s) => /Failed$/.test(s))).toBe(true);
    await panel.getByRole('button', { name: 'Retry' }).click();
    await expect(panel.locator('.history-verdict')).toBeVisible();
  });
});
