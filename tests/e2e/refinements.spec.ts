// Refinements on the loaded rows: column filters, search, sorting and the date range.
import { test, expect } from './fixtures/test';
import { TAXONOMY } from './fixtures/taxonomy';

type Item = {
  latest_sync_info: string | null;
  id: string; status: string; instance: string; entity_type: string; source_id: string;
  target_id: string | null; operation: string | null; details: string | null;
  source_system: string | null; target_system: string | null; started_at: string;
};

/** The rows the page loads for `/sync-logs?limit=1000` (newest 1,000, inside 5 days). */
async function loaded(server: { api: <T>(p: string) => Promise<T> }): Promise<Item[]> {
  return (await server.api<{ items: Item[] }>('/sync-logs?limit=1000')).items;
}

test('each column filter narrows the rows and the stat cards together', async ({ syncLogs, server, page }) => {
  const items = await loaded(server);
  await syncLogs.open('/sync-logs?limit=1000');
  await syncLogs.waitForLoaded(1000);
  const total = () => syncLogs.cardValue('Total Operations');
  const filter = (name: string) => page.getByRole('button', { name: new RegExp(`^Filter ${name}`) });
  const panel = page.getByRole('region', { name: /^Filter / });

  // Status: a checklist of the statuses present.
  await filter('Status').click();
  await panel.getByText('Failed', { exact: true }).click();
  let expected = items.filter((i) => i.status === 'failed');
  await expect.poll(total).toBe(String(expected.length));
  expect(await syncLogs.cardValue('Success')).toBe('0');
  await expect(page).toHaveURL(/f_status=failed/);
  await expect(page.locator('.filter-chips')).toContainText('Status: Failed');

  // Operation: narrows further.
  await filter('Operation').click();
  await panel.getByText('Create', { exact: true }).click();
  expected = expected.filter((i) => i.operation === 'create');
  await expect.poll(total).toBe(String(expected.length));

  // Target ID "is empty".
  await filter('Target ID').click();
  await panel.getByLabel(/Is empty/).check();
  expected = expected.filter((i) => !i.target_id);
  await expect.poll(total).toBe(String(expected.length));
  for (const text of await syncLogs.column(4)) expect(text).toBe('—');

  // Removing chips widens again; Clear removes everything.
  await page.getByRole('button', { name: /^Remove Status/ }).click();
  expected = items.filter((i) => i.operation === 'create' && !i.target_id);
  await expect.poll(total).toBe(String(expected.length));
  await syncLogs.clear.click();
  await syncLogs.waitForLoaded(100);
  await expect(page.locator('.filter-chips')).toHaveCount(0);
});

test('list and text filters for instance, entity type, source id and details', async ({ syncLogs, server, page }) => {
  const items = await loaded(server);
  const instance = items[0].instance;
  const entity = items[0].entity_type;
  const word = 'timed out';
  const cases: [string, string, (i: Item) => boolean][] = [
    [`f_instance=${encodeURIComponent(instance)}`, 'Instance', (i) => i.instance === instance],
    [`f_entity_type=${entity}`, 'Entity Type', (i) => i.entity_type === entity],
    ['f_source_id=so-1', 'Source ID', (i) => i.source_id.toLowerCase().includes('so-1')],
    [`f_details=${encodeURIComponent(word)}`, 'Details', (i) => (i.details ?? '').toLowerCase().includes(word)],
  ];
  for (const [param, label, keep] of cases) {
    await syncLogs.open(`/sync-logs?limit=1000&${param}`);
    const expected = items.filter(keep);
    expect(expected.length, label).toBeGreaterThan(0);
    await syncLogs.waitForLoaded(1000);
    expect(await syncLogs.cardValue('Total Operations'), label).toBe(String(expected.length));
    await expect(page.getByRole('button', { name: new RegExp(`^Filter ${label} \\(filtered\\)`) })).toBeVisible();
    const ids = await syncLogs.rowIds();
    expect(ids, label).toEqual(expected.slice(0, ids.length).map((i) => i.id));
  }
});

test('search finds rows by system, sync id, reference and a word of the details', async ({ syncLogs, server, page }) => {
  const items = await loaded(server);
  const search = page.getByLabel('Search loaded records');
  await syncLogs.open('/sync-logs?limit=1000');
  await syncLogs.waitForLoaded(1000);
  const withDetails = items.find((i) => (i.details ?? '').includes('Connection refused'))!;
  const probes: [string, (i: Item) => boolean][] = [
    ['brightpearl', (i) => [i.source_system, i.target_system].some((s) => (s ?? '').toLowerCase().includes('brightpearl'))
      || [i.id, i.source_id, i.target_id, i.details].some((s) => (s ?? '').toLowerCase().includes('brightpearl'))],
    [items[7].id, (i) => [i.id, i.source_id, i.target_id, i.details].some((s) => (s ?? '').includes(items[7].id))],
    [items[3].source_id, (i) => [i.id, i.source_id, i.target_id, i.details, i.source_system, i.target_system].some((s) => (s ?? '').toLowerCase().includes(items[3].source_id.toLowerCase()))],
    ['CONNECTION REFUSED', (i) => (i.details ?? '').toLowerCase().includes('connection refused')],
  ];
  for (const [needle, keep] of probes) {
    await search.fill(needle);
    const expected = items.filter(keep);
    await expect.poll(() => syncLogs.cardValue('Total Operations'), needle).toBe(String(expected.length));
    const ids = await syncLogs.rowIds();
    expect(ids, needle).toEqual(expected.slice(0, ids.length).map((i) => i.id));
  }
  expect(withDetails).toBeTruthy();
  await expect(page).toHaveURL(/q=CONNECTION\+REFUSED|q=CONNECTION%20REFUSED/);
});

test('sorting by Started and by Status works both ways', async ({ syncLogs, page }) => {
  await syncLogs.open('/sync-logs?limit=1000');
  await syncLogs.waitForLoaded(1000);
  const header = (name: string) => page.locator('thead th').filter({ hasText: name });
  // As instants: an ISO string without fractional seconds sorts after one with them.
  const times = () => syncLogs.rows.locator('time').evaluateAll((t) => t.map((e) => Date.parse(e.getAttribute('datetime')!)));

  await header('Started').getByRole('button', { name: /^Started/ }).click();
  await expect(header('Started')).toHaveAttribute('aria-sort', 'ascending');
  let shown = await times();
  expect(shown).toEqual([...shown].sort((a, b) => a - b));
  await header('Started').getByRole('button', { name: /^Started/ }).click();
  await expect(header('Started')).toHaveAttribute('aria-sort', 'descending');
  shown = await times();
  expect(shown).toEqual([...shown].sort((a, b) => b - a));

  const rank: Record<string, number> = { 'tone-failed': 0, 'tone-partial': 1, 'tone-in-flight': 2, 'tone-success': 3, 'tone-neutral': 4, 'tone-unknown': 5 };
  const tones = () => syncLogs.rows.locator('.badge').evaluateAll((b) => b.map((e) => e.className.split(' ')[1]));
  await header('Status').getByRole('button', { name: 'Status', exact: true }).click();
  await expect(header('Status')).toHaveAttribute('aria-sort', 'ascending');
  let ranks = (await tones()).map((t) => rank[t]);
  expect(ranks[0]).toBe(0);
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  await header('Status').getByRole('button', { name: 'Status', exact: true }).click();
  ranks = (await tones()).map((t) => rank[t]);
  expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  await expect(page).toHaveURL(/sort=-status/);
  // A third click returns to the loaded order.
  await header('Status').getByRole('button', { name: 'Status', exact: true }).click();
  await expect(header('Status')).toHaveAttribute('aria-sort', 'none');
  expect(TAXONOMY.failed.toneClass).toBe('tone-failed');
});

test('the range picker refuses 16 days and an inverted range, and sends a valid one', async ({ syncLogs, page }) => {
  await syncLogs.open();
  await syncLogs.waitForLoaded(100);
  const from = page.getByLabel('From (UTC)');
  const to = page.getByLabel('To (UTC)');
  const apply = page.getByRole('button', { name: 'Apply' });
  const requests: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/sync-logs')) requests.push(r.url()); });

  await from.fill('2026-11-01T00:00');
  await to.fill('2026-11-17T00:00');
  await apply.click();
  await expect(page.getByRole('alert')).toContainText('16.0 days wide; the most is 15 days');
  await from.fill('2026-11-10T00:00');
  await to.fill('2026-11-09T00:00');
  await apply.click();
  await expect(page.getByRole('alert')).toContainText('From must be before To');
  expect(requests).toEqual([]);
  await expect(page).not.toHaveURL(/from=/);

  await from.fill('2026-11-10T00:00');
  await to.fill('2026-11-12T06:30');
  await apply.click();
  await expect(page).toHaveURL(/from=2026-11-10T00%3A00%3A00Z&to=2026-11-12T06%3A30%3A00Z/);
  await expect.poll(() => requests.length).toBeGreaterThan(0);
  expect(requests[0]).toContain('from=2026-11-10T00%3A00%3A00Z');

  await page.getByLabel('Quick range').selectOption({ label: 'Last 24 hours' });
  await expect(page).toHaveURL(/from=/);
  await expect(page).not.toHaveURL(/to=/);
});

test('extra columns appear from the toggles and the chooser, and persist across reload', async ({ syncLogs, server, page }) => {
  const first = (await server.api<{ items: (Item & { correlation_id: string; attempts: number; endpoint_id: string })[] }>('/sync-logs?limit=1')).items[0];
  await syncLogs.open();
  await syncLogs.waitForLoaded(100);
  const headers = () => page.locator('thead th .sort-label').allInnerTexts();
  expect(await headers()).not.toContain('Correlation ID');

  await page.getByRole('button', { name: 'Columns', exact: true }).click();
  await page.getByLabel('Show additional sync data').check();
  await page.getByLabel('Show additional fields').check();
  await expect.poll(headers).toEqual([
    'Status', 'Instance', 'Entity Type', 'Source ID', 'Target ID', 'Operation', 'Started (UTC)', 'Details',
    'Source', 'Endpoint ID', 'Latest Sync Information', 'Attempts', 'Correlation ID',
  ]);
  const cells = await syncLogs.rows.first().locator('td:not(.col-select)').allInnerTexts();
  expect(cells.slice(8, 13)).toEqual([
    first.source_system, first.endpoint_id, first.latest_sync_info, String(first.attempts), first.correlation_id,
  ]);
  await page.getByRole('checkbox', { name: 'Operation' }).uncheck();

  await page.reload();
  await syncLogs.waitForLoaded(100);
  expect(await headers()).toContain('Correlation ID');
  expect(await headers()).not.toContain('Operation');
  await page.getByRole('button', { name: 'Columns', exact: true }).click();
  await page.getByRole('button', { name: 'Reset columns' }).click();
  await expect.poll(headers).toEqual([
    'Status', 'Instance', 'Entity Type', 'Source ID', 'Target ID', 'Operation', 'Started (UTC)', 'Details',
  ]);
});
