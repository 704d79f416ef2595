// The Sync Logs page against the reference server: real rows, badges, the states a
// load can end in, and the configuration fallback.
import { test, expect } from './fixtures/test';
import { TAXONOMY } from './fixtures/taxonomy';


test('opens on / and shows the newest seeded records with status badges', async ({ syncLogs, server, page }) => {
  await syncLogs.open('/');
  await expect(page).toHaveURL(/\/sync-logs$/);
  await syncLogs.waitForLoaded(100);
  expect(await syncLogs.rowCount()).toBe(100);

  const expected = await server.api<{ items: { id: string; status: string }[] }>('/sync-logs?limit=100');
  const shown = await syncLogs.rowIds();
  expect(shown.length).toBeGreaterThan(10);
  expect(shown).toEqual(expected.items.slice(0, shown.length).map((i) => i.id));

  const badges = syncLogs.rows.locator('.badge');
  const badgesShown = await badges.evaluateAll((els) =>
    els.map((e) => ({ status: e.getAttribute('data-status'), cls: e.className, label: e.textContent?.trim() })),
  );
  expect(badgesShown.map((b) => b.status)).toEqual(expected.items.slice(0, shown.length).map((i) => i.status));
  for (const badge of badgesShown) {
    expect(badge.cls).toContain(TAXONOMY[badge.status!].toneClass);
    expect(badge.label).not.toEqual('');
  }
});

test('the styles of every part of the screen arrive in one stylesheet', async ({ syncLogs, page }) => {
  // Over HTTP/1.1 each extra file waits for one of six connections, ahead of the wasm.
  const sheets: string[] = [];
  page.on('response', (r) => { if (r.request().resourceType() === 'stylesheet') sheets.push(r.url()); });
  await syncLogs.open('/');
  await syncLogs.waitForLoaded(100);
  expect(sheets).toHaveLength(1);
  expect(new URL(sheets[0]).pathname).toMatch(/^\/style-[0-9a-f]{8,16}\.css$/);
  const css = await (await page.request.get(sheets[0])).text();
  for (const part of ['main', 'badge', 'table', 'states', 'filters', 'details', 'insights']) {
    expect(css).toContain(`/* ${part}.css */`);
  }
  // Applied, from the first part and from a later one.
  await expect(page.locator('.toolbar')).toHaveCSS('display', 'flex');
  await expect(page.locator('.row-count')).toHaveCSS('margin-top', '0px');
});

test('an instance in the URL loads only that instance', async ({ syncLogs, server }) => {
  const instance = 'Shopify → Brightpearl';
  await syncLogs.open(`/sync-logs?instance=${encodeURIComponent(instance)}&limit=50`);
  await syncLogs.waitForLoaded(50);
  const instances = await syncLogs.column(1);
  expect(new Set(instances)).toEqual(new Set([instance]));
  const expected = await server.api<{ items: { id: string }[] }>(
    `/sync-logs?instance=${encodeURIComponent(instance)}&limit=50`,
  );
  const ids = await syncLogs.rowIds();
  expect(ids).toEqual(expected.items.slice(0, ids.length).map((i) => i.id));
});

test('an HTML answer where JSON was promised is an error with an escaped excerpt', async ({ syncLogs, server, page }) => {
  await server.setFaults([
    { path: '/api/v1/sync-logs', status: 200, content_type: 'text/html', body: '<html><body><h1 id="injected">Login</h1></body></html>', times: 1 },
  ]);
  await syncLogs.open();
  await expect(syncLogs.errorState).toContainText('could not be read');
  await expect(syncLogs.errorState.locator('.error-excerpt')).toContainText('<h1 id="injected">Login</h1>');
  await expect(page.locator('#injected')).toHaveCount(0);
});

test('backend text is rendered as text, never as markup', async ({ syncLogs, server, page }) => {
  const payload = '<img src=x onerror="window.__xss=1">';
  const item = {
    id: 'x1', status: 'failed', instance: '<b>inst</b>', entity_type: 'item', source_id: '<i>S</i>',
    started_at: new Date().toISOString(), details: payload,
  };
  await server.setFaults([
    { path: '/api/v1/sync-logs', status: 200, body: JSON.stringify({ items: [item], next_cursor: null }), times: 1 },
  ]);
  await syncLogs.open();
  await expect(syncLogs.rows).toHaveCount(1);
  await expect(syncLogs.rows.first()).toContainText(payload);
  await expect(syncLogs.rows.first()).toContainText('<b>inst</b>');
  expect(await syncLogs.table.locator('img, b, i').count()).toBe(0);
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
});

test('a query that matches nothing shows the empty state', async ({ syncLogs }) => {
  await syncLogs.open('/sync-logs?source_id=NO-SUCH-REFERENCE');
  await expect(syncLogs.emptyState).toBeVisible();
  await expect(syncLogs.emptyState).toContainText('No sync records match');
  await expect(syncLogs.rows).toHaveCount(0);
});

test('a slow answer shows the loading state first', async ({ syncLogs, server, page }) => {
  await server.setFaults([{ path: '/api/v1/sync-logs', delay_ms: 3_000, times: 1 }]);
  await syncLogs.open();
  await expect(page.getByRole('status').filter({ hasText: 'Loading sync records' })).toBeVisible();
  await syncLogs.waitForLoaded(100);
});

test('a broken config.json falls back to defaults with a visible notice', async ({ syncLogs, server }) => {
  await server.setFaults([{ path: '/config.json', status: 200, body: '{ "api_base_url": ', times: 1 }]);
  await syncLogs.open();
  await expect(syncLogs.notice).toContainText('config.json is not valid JSON');
  await syncLogs.waitForLoaded(100);
});

test('a missing config.json falls back to defaults with a visible notice', async ({ syncLogs, server }) => {
  await server.setFaults([{ path: '/config.json', status: 404, body: 'not found', times: 1 }]);
  await syncLogs.open();
  await expect(syncLogs.notice).toContainText('HTTP 404');
  await syncLogs.waitForLoaded(100);
});

test('an unknown address shows the not-found page with a way back', async ({ page, server }) => {
  await page.goto(`${server.url}/no/such/page`);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to Sync Logs' }).click();
  await expect(page.locator('.row-count')).toHaveText('100 records loaded');
});

test('a failed load keeps the rows already loaded on screen', async ({ syncLogs, server, page }) => {
  await syncLogs.open();
  await syncLogs.waitForLoaded(100);
  const before = await syncLogs.rowIds();
  // A status that is not retried, so the failure shows at once (retries: resilience.spec.ts).
  await server.setFaults([{ path: '/api/v1/sync-logs', query_contains: 'instance=', status: 422, times: 1 }]);
  await syncLogs.navigateInApp('/sync-logs?instance=SAP');
  await expect(syncLogs.errorState).toContainText('HTTP 422');
  expect(await syncLogs.rowIds()).toEqual(before);
});

test('a superseded slow request is aborted and never overwrites the newer answer', async ({ syncLogs, server, page }) => {
  const slow = 'Shopify → Brightpearl';
  const fast = 'SAP B1 → Shopify';
  await server.setFaults([{ path: '/api/v1/sync-logs', query_contains: 'Brightpearl', delay_ms: 2500 }]);
  const aborted: string[] = [];
  // The superseded query's request only: the newer load may also drop a page it asked
  // for ahead and did not need (aborted too, by design).
  page.on('requestfailed', (request) => {
    const url = request.url();
    if (url.includes('/api/v1/sync-logs?') && url.includes('Brightpearl')) aborted.push(request.failure()?.errorText ?? '');
  });
  await syncLogs.open(`/sync-logs?instance=${encodeURIComponent(slow)}`);
  await expect(page.getByRole('status').filter({ hasText: 'Loading sync records' })).toBeVisible();
  // Change the query in-app (no reload) while the first request is still in flight.
  await syncLogs.navigateInApp(`/sync-logs?instance=${encodeURIComponent(fast)}`);
  await syncLogs.waitForLoaded(100);
  expect(new Set(await syncLogs.column(1))).toEqual(new Set([fast]));
  // Wait past the slow answer's delay: the rows must still be the newer query's.
  await page.waitForTimeout(3000);
  expect(new Set(await syncLogs.column(1))).toEqual(new Set([fast]));
  expect(aborted).toEqual(['net::ERR_ABORTED']);
});
