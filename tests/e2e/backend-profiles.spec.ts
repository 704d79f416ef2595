// Backend profiles against json-server 0.17.4, a real REST server the project did not
// write: with only config.json changed, the app reads its nested, renamed, capitalised,
// epoch-millisecond records, pages through `_page`/`_limit` by its `Link` header and
// counts by `X-Total-Count`, and everything is checked against the data it serves.
import { readFileSync } from 'node:fs';
import { Page, Request } from '@playwright/test';
import { test as base, expect } from './fixtures/test';
import { parseCsv } from './fixtures/csv';
import { ReferenceServer } from './fixtures/server';
import { ForeignRecord, JsonServer, STATUS_OF, profileConfig } from './fixtures/json-server';
import { SyncLogsPage } from './pages/sync-logs-page';

type Fixtures = { app: SyncLogsPage; requests: URL[] };
type Workers = { json: JsonServer; host: ReferenceServer };

const test = base.extend<Fixtures, Workers>({
  json: [async ({}, use) => {
    const json = await JsonServer.start(6000);
    await use(json);
    await json.stop();
  }, { scope: 'worker' }],
  // Serves the app (and its config.json) on its own origin; the API is json-server's.
  host: [async ({ json }, use) => {
    const host = await ReferenceServer.start({ seedCount: 10, args: ['--connect-src', json.url] });
    await use(host);
    await host.stop();
  }, { scope: 'worker' }],
  app: async ({ page, host }, use) => {
    await use(new SyncLogsPage(page, host.url));
  },
  // Every request the app makes to json-server.
  requests: async ({ page, json }, use) => {
    const seen: URL[] = [];
    page.on('request', (r: Request) => { if (r.url().startsWith(json.url)) seen.push(new URL(r.url())); });
    await use(seen);
  },
});

async function useProfile(host: ReferenceServer, json: JsonServer, overrides: Record<string, unknown> = {}) {
  await host.setFaults([{ path: '/config.json', status: 200, body: JSON.stringify(profileConfig(json.url, overrides)) }]);
}

const FIVE_DAYS = 5 * 86_400_000;
/** The records the default view holds: the last five days, newest first. */
function inRange(records: ForeignRecord[]) {
  const from = Date.now() - FIVE_DAYS;
  return records.filter((r) => r.startedAt >= from).sort((a, b) => b.startedAt - a.startedAt);
}
const ids = (records: ForeignRecord[]) => records.map((r) => String(r.id));

/** The table holds exactly `expected`, in order: its row count, and the rows rendered
 *  (only those in view are in the DOM) are the first of them. */
async function expectRows(app: SyncLogsPage, expected: string[]) {
  expect(await app.rowCount()).toBe(expected.length);
  const shown = await app.rowIds();
  expect(shown.length).toBeGreaterThan(0);
  expect(shown).toEqual(expected.slice(0, shown.length));
}
const count = (records: ForeignRecord[], status: string) => records.filter((r) => STATUS_OF[r.state] === status).length;

async function download(page: Page, click: () => Promise<void>) {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return parseCsv(readFileSync((await file.path())!).subarray(3).toString('utf8'));
}

test('rows, badges and cards come from json-server, paged by Link to 5,000 with its total', async ({ app, page, host, json, requests }) => {
  await useProfile(host, json);
  await app.open('/sync-logs?limit=5000');
  await app.waitForLoaded(5000);
  const expected = inRange(json.records).slice(0, 5000);
  // Five pages of 1,000 (the profile's maximum), each the Link header's next.
  const pages = requests.filter((u) => u.pathname === '/records');
  expect(pages.map((u) => u.searchParams.get('_page') ?? '1')).toEqual(['1', '2', '3', '4', '5']);
  expect(pages.every((u) => u.searchParams.get('_limit') === '1000')).toBe(true);
  // Rows, in order, with their badges.
  expect((await app.rowIds()).slice(0, 10)).toEqual(ids(expected.slice(0, 10)));
  const badges = await app.column(0);
  // The badge's label (after its icon) is our status, mapped from the database's word.
  const label: Record<string, string> = { ok: 'OK', pending: 'Pending', failed: 'Failed' };
  expect(badges.slice(0, 10).map((b) => b.replace(/^\W+/, '').trim())).toEqual(
    expected.slice(0, 10).map((r) => label[STATUS_OF[r.state]]),
  );
  // Cards count what is loaded; X-Total-Count says how much more matches.
  expect(await app.cardValue('Total Operations')).toBe('5000');
  expect(await app.cardValue('Failed')).toBe(String(count(expected, 'failed')));
  expect(await app.cardValue('Success')).toBe(String(count(expected, 'ok')));
  // The profile maps the total: the Total card counts it, and the rest can be loaded.
  await expect(page.locator('.load-more')).toContainText('Showing the newest 5,000 of 6,000 matching records.');
  expect(await app.cardInRange('Total Operations')).toBe('6000');
  await expect(app.card('Failed')).toContainText('of loaded records');
  // No instances endpoint: the filter offers those seen, and says so.
  await expect(page.getByText('Instances and entity types seen in the loaded records')).toBeVisible();
  await expect(app.instance.locator('option')).toHaveText(['All instances', 'Dynamics → Amazon', 'NetSuite → Shopify', 'SAP B1 → Shopify']);
});

test('the instance and Source ID filters are applied by json-server', async ({ app, host, json, requests }) => {
  await useProfile(host, json);
  const instance = 'SAP B1 → Shopify';
  await app.open(`/sync-logs?instance=${encodeURIComponent(instance)}&source_id=ITEM-0000`);
  const expected = inRange(json.records).filter((r) => r.job.name === instance && r.source.ref.toLowerCase().includes('item-0000'));
  expect(expected.length).toBeGreaterThan(2);
  await app.waitForLoaded(expected.length);
  await expectRows(app, ids(expected));
  const sent = requests.find((u) => u.pathname === '/records')!;
  expect(sent.searchParams.get('job.name')).toBe(instance);
  expect(sent.searchParams.get('source.ref_like')).toBe('ITEM-0000');
  // The backend applied them: nothing was re-filtered, so no notice says it did not.
  await expect(app.page.getByText('did not apply')).toHaveCount(0);
});

test('a range goes to json-server in epoch milliseconds', async ({ app, host, json, requests }) => {
  await useProfile(host, json);
  const newest = inRange(json.records);
  // Whole seconds, as the range picker writes them.
  const [to, from] = [newest[100].startedAt, newest[400].startedAt].map((ms) => Math.floor(ms / 1000) * 1000);
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  await app.open(`/sync-logs?from=${iso(from)}&to=${iso(to)}`);
  const expected = newest.filter((r) => r.startedAt >= from && r.startedAt <= to);
  await app.waitForLoaded(expected.length);
  await expectRows(app, ids(expected));
  const sent = requests.find((u) => u.pathname === '/records')!;
  expect(Number(sent.searchParams.get('startedAt_gte'))).toBe(from);
  expect(Number(sent.searchParams.get('startedAt_lte'))).toBe(to);
});

test('search, column filters, sort and a custom column work on the loaded rows, and export', async ({ app, page, host, json }) => {
  await useProfile(host, json);
  await app.open('/sync-logs');
  const loaded = inRange(json.records).slice(0, 1000);
  await app.waitForLoaded(1000);
  // The profile's extra field is a column like any other: shown from the chooser…
  await page.getByRole('button', { name: 'Columns', exact: true }).click();
  await page.getByRole('checkbox', { name: 'Warehouse' }).check();
  await page.getByRole('checkbox', { name: 'Sync ID' }).check();
  await page.getByRole('button', { name: 'Columns', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: /Warehouse/ })).toBeVisible();
  // …filtered from its header…
  await page.getByRole('button', { name: 'Filter Warehouse' }).click();
  await page.locator('.column-filter').getByRole('checkbox', { name: /^Leeds/ }).check();
  await page.locator('.column-filter').getByRole('button', { name: 'Done' }).click();
  // …with a status column filter, a search and a sort on top.
  await app.open(`${new URL(page.url()).pathname}${new URL(page.url()).search}&f_status=failed&q=sku-1&sort=started`);
  const expected = loaded
    .filter((r) => r.meta.warehouse === 'Leeds' && STATUS_OF[r.state] === 'failed')
    .filter((r) => `${r.id}\u001f${r.source.ref}\u001f${r.target.ref ?? ''}\u001f${r.error.message ?? ''}\u001fleeds`.toLowerCase().includes('sku-1'))
    .sort((a, b) => a.startedAt - b.startedAt);
  expect(expected.length).toBeGreaterThan(3);
  await expect.poll(() => app.rowCount()).toBe(expected.length);
  await expectRows(app, ids(expected));
  const header = await page.getByRole('columnheader').allInnerTexts();
  const warehouse = header.findIndex((h) => h.includes('Warehouse')) - 1;
  expect(new Set(await app.column(warehouse))).toEqual(new Set(['Leeds']));
  // …and exported to CSV, exactly the rows shown.
  const rows = await download(page, async () => {
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: /Download as CSV/ }).click();
  });
  const [head, ...body] = rows;
  expect(head).toContain('Warehouse');
  expect(body.map((r) => r[head.indexOf('Sync ID')])).toEqual(ids(expected));
  expect(new Set(body.map((r) => r[head.indexOf('Warehouse')]))).toEqual(new Set(['Leeds']));
  expect(body.map((r) => r[head.indexOf('Started (UTC)')])).toEqual(
    expected.map((r) => new Date(r.startedAt).toISOString().replace('.000Z', 'Z')),
  );
});

test('resync is hidden, with the reason in the actions menu, when the profile maps none', async ({ app, page, host, json }) => {
  await useProfile(host, json);
  await app.open('/sync-logs?limit=100');
  await app.waitForLoaded(100);
  await app.rows.first().getByRole('checkbox').check();
  const bar = page.getByRole('region', { name: 'Selection' });
  await expect(bar).toContainText('1 of 100 selected');
  await expect(bar.getByRole('button', { name: /Resync/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Actions' }).click();
  await expect(page.getByRole('note').filter({ hasText: 'Resync is off' })).toContainText('maps no resync endpoint');
});

test('a profile maps the dead-letter queue: its list, replay and discard go to json-server', async ({ app, page, host, json, requests }) => {
  await useProfile(host, json, {
    dead_letter: {
      path: '/deadLetters',
      replay: { path: '/replays', body: { uids: '{ids}' } },
      discard: { path: '/discards', body: { uids: '{ids}', note: '{reason}' } },
    },
  });
  await app.open('/sync-logs?limit=100');
  await app.waitForLoaded(100);
  const views = page.getByRole('navigation', { name: 'Views' });
  const tab = views.getByRole('link', { name: /Dead letter/ });
  // json-server cannot count the queue: the tab shows without a number.
  await expect(tab).toBeVisible();
  await expect(tab.getByTestId('queue-count')).toHaveCount(0);
  await tab.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dead letter');
  // The tab keeps the query, its limit of 100 included.
  expect(inRange(json.deadLetters).length).toBeGreaterThan(100);
  const expected = inRange(json.deadLetters).slice(0, 100);
  await app.waitForLoaded(expected.length);
  await expectRows(app, ids(expected));
  expect(requests.some((u) => u.pathname === '/deadLetters' && u.searchParams.get('_sort') === 'startedAt')).toBe(true);

  // Replay two updates with a target id (nothing the confirmation would leave out): one
  // POST in the profile's shape, and they leave the table.
  const shown = new Set(await app.rowIds());
  const safe = expected.filter((r) => shown.has(String(r.id)) && r.action === 'UPSERT' && r.target.ref);
  expect(safe.length).toBeGreaterThanOrEqual(2);
  const [first, second] = ids(safe);
  const third = ids(expected).find((id) => shown.has(id) && id !== first && id !== second)!;
  for (const id of [first, second]) await page.getByLabel(`Select record ${id}`, { exact: true }).check();
  await page.getByRole('button', { name: 'Replay…' }).click();
  await page.getByRole('dialog', { name: 'Replay 2 records?' }).getByRole('button', { name: 'Replay 2 records' }).click();
  await expect(page.getByRole('status', { name: 'Replay outcome' })).toContainText('2 queued');
  await expect.poll(() => json.get<{ uids: string[] }>('replays')).toEqual([{ uids: [first, second], id: 1 }]);
  for (const id of [first, second]) await expect(page.locator(`.log-table tbody tr[data-id="${id}"]`)).toHaveCount(0);

  // Discard one with a reason, in the profile's field; no restore is mapped, so no Undo.
  await page.getByLabel(`Select record ${third}`, { exact: true }).check();
  await page.getByRole('button', { name: 'Discard…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Discard 1 record?' });
  await expect(dialog).toContainText('This backend cannot undo a discard.');
  await dialog.getByRole('textbox', { name: /Reason/ }).fill('Test data from the staging ERP');
  await dialog.getByRole('button', { name: 'Discard 1 record' }).click();
  await expect(page.getByRole('status', { name: 'Discard outcome' })).toContainText('1 discarded');
  await expect.poll(() => json.get<{ uids: string[]; note: string }>('discards')).toEqual(
    [{ uids: [third], note: 'Test data from the staging ERP', id: 1 }],
  );
  await expect(page.locator(`.log-table tbody tr[data-id="${third}"]`)).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Undo discard' })).toHaveCount(0);
});

test('a profile without dead_letter has no Dead letter tab', async ({ app, page, host, json, requests }) => {
  await useProfile(host, json);
  await app.open('/sync-logs?limit=100');
  await app.waitForLoaded(100);
  const views = page.getByRole('navigation', { name: 'Views' });
  await expect(views.getByRole('link', { name: 'Runs' })).toBeVisible();
  await expect(views.getByRole('link', { name: /Dead letter/ })).toHaveCount(0);
  // Nothing was asked of a queue the profile does not map.
  expect(requests.filter((u) => u.pathname.includes('dead'))).toEqual([]);
});

test('page-number paging reads the same rows as Link paging', async ({ app, host, json, requests }) => {
  const config = profileConfig(json.url, { paging: { style: 'page', param: '_page', first: 1 } });
  config.backend.query.constants = { _sort: 'startedAt', _order: 'desc' };
  await host.setFaults([{ path: '/config.json', status: 200, body: JSON.stringify(config) }]);
  await app.open('/sync-logs?limit=2500');
  await app.waitForLoaded(2500);
  await expectRows(app, ids(inRange(json.records).slice(0, 2500)));
  // Page numbers keep one page size; the last page is cut to the limit.
  const pages = requests.filter((u) => u.pathname === '/records');
  expect(pages.map((u) => [u.searchParams.get('_page'), u.searchParams.get('_limit')])).toEqual(
    [['1', '1000'], ['2', '1000'], ['3', '1000']],
  );
});

test('a profile whose paths match nothing says which, instead of an empty table', async ({ app, host, json }) => {
  const config = profileConfig(json.url);
  (config.backend.records.fields as Record<string, unknown>).id = 'data.attributes.uuid';
  await host.setFaults([{ path: '/config.json', status: 200, body: JSON.stringify(config) }]);
  await app.open('/sync-logs?limit=100');
  await app.waitForLoaded(100);
  await expect(app.page.locator('.notice-warning')).toContainText('0 of 100 items had a value at `data.attributes.uuid` (the id)');
  await expect(app.rows.first().locator('.row-flag')).toHaveAttribute('aria-label', /id \(from `data\.attributes\.uuid`\) is missing/);
});

test('a profile whose list is not where it says fails with what it found', async ({ app, host, json }) => {
  const config = profileConfig(json.url);
  (config.backend.records as Record<string, unknown>).items = 'data.items';
  await host.setFaults([{ path: '/config.json', status: 200, body: JSON.stringify(config) }]);
  await app.open('/sync-logs');
  await expect(app.page.getByRole('alert')).toContainText('no list of records at `data.items` (it is a list)');
});
