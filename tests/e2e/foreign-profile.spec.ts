// The reference server's second API (`--foreign-api`): the same records with every
// field renamed and some nested, its own status words, epoch-second times, skip/take
// offset paging with the total in the body, and a replay endpoint. A backend profile in
// config.json reads it all, including instances, history and resync through mapped
// endpoints; checked against the native API of the same server.
import { test as base, expect } from './fixtures/test';
import { ReferenceServer } from './fixtures/server';
import { TAXONOMY } from './fixtures/taxonomy';
import { SyncLogsPage } from './pages/sync-logs-page';

const PROFILE = {
  version: 1,
  records: {
    path: '/records',
    items: 'records',
    fields: {
      id: 'uid', status: 'state', instance: 'job.title', entity_type: 'job.kind',
      source_system: 'systems.from', target_system: 'systems.to', source_id: 'ref',
      target_id: 'dest.ref', operation: 'op', started_at: 'at', finished_at: 'done_at',
      details: 'note', attempts: 'tries', correlation_id: 'batch', endpoint_id: 'endpoint',
      latest_sync_info: 'info',
    },
    times: 'epoch_seconds',
    statuses: { DONE: 'ok', ERROR: 'failed', QUEUED: 'pending', PARTIAL: 'partial_success' },
    extra_columns: [{ key: 'region', label: 'Region', path: 'region', filter: 'list' }],
  },
  query: {
    params: {
      instance: 'job', entity_type: 'kind', source_id: 'ref', statuses: 'state',
      correlation_id: 'batch', ids: 'uid', from: 'since', to: 'until',
    },
    lists: 'comma',
    times: 'epoch_seconds',
    page_size_param: 'take',
    max_page_size: 1000,
  },
  paging: { style: 'offset', param: 'skip' },
  total: { path: 'total' },
  credentials: 'same-origin',
  instances: { path: '/jobs', name: 'title', entity_types: 'kinds' },
  attempts: { path: '/records/{id}/history', items: 'records' },
  resync: { method: 'POST', path: '/replay', body: { uids: '{ids}' }, batch_size: 50, idempotency_key: false },
};

// Fourteen days back: the demo data covers fifteen, the default view five.
const FROM = new Date(Math.floor((Date.now() - 14 * 86_400_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');

type Item = {
  id: string; status: string; instance: string; entity_type: string; source_id: string;
  attempts: number | null; operation: string | null; target_id: string | null;
};

/** The table holds exactly `expected`, in order (only the rows in view are rendered). */
async function expectRows(app: SyncLogsPage, expected: string[]) {
  expect(await app.rowCount()).toBe(expected.length);
  const shown = await app.rowIds();
  expect(shown.length).toBeGreaterThan(0);
  expect(shown).toEqual(expected.slice(0, shown.length));
}

const test = base.extend<{ app: SyncLogsPage }, { foreign: ReferenceServer }>({
  foreign: [async ({}, use) => {
    const server = await ReferenceServer.start({ seedCount: 3000, args: ['--foreign-api'] });
    await use(server);
    await server.stop();
  }, { scope: 'worker' }],
  app: async ({ page, foreign }, use) => {
    await use(new SyncLogsPage(page, foreign.url));
  },
});

async function useProfile(server: ReferenceServer, profile: object = PROFILE) {
  await server.setFaults([{ path: '/config.json', status: 200, body: JSON.stringify({ api_base_url: '/api/foreign', backend: profile }) }]);
}

test('every renamed field reads as the native record, paged by skip/take', async ({ app, page, foreign }) => {
  await useProfile(foreign);
  const pages: URL[] = [];
  page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname === '/api/foreign/records') pages.push(u); });
  await app.open(`/sync-logs?limit=2500&from=${FROM}`);
  await app.waitForLoaded(2500);
  const { items } = await foreign.api<{ items: Item[] }>(`/sync-logs?limit=2500&from=${FROM}`);
  expect(pages.map((u) => [u.searchParams.get('skip'), u.searchParams.get('take')])).toEqual(
    [['0', '1000'], ['1000', '1000'], ['2000', '500']],
  );
  await expectRows(app, items.map((i) => i.id));
  for (const card of ['Success', 'Failed', 'In flight', 'Partial Success']) {
    const expected = items.filter((i) => TAXONOMY[i.status]?.card === card).length;
    expect(await app.cardValue(card), card).toBe(String(expected));
  }
  // Instances come from its /jobs endpoint.
  const { instances } = await foreign.api<{ instances: { name: string }[] }>('/instances');
  await expect(app.instance.locator('option')).toHaveText(['All instances', ...instances.map((i) => i.name)]);
});

test('resync goes through the mapped replay endpoint, and history through the mapped one', async ({ app, page, foreign }) => {
  await useProfile(foreign);
  const { items } = await foreign.api<{ items: Item[] }>(`/sync-logs?limit=1000&status=failed&from=${FROM}`);
  // Not on its last attempt, and not a create without a target id (the dialog leaves
  // those out as risky).
  const target = items.find((i) => (i.attempts ?? 1) < 3 && (i.operation !== 'create' || i.target_id))!;
  await app.open(`/sync-logs?limit=1000&status=failed&from=${FROM}&source_id=${encodeURIComponent(target.source_id)}`);
  const row = app.table.locator(`tr[data-id="${target.id}"]`);
  await expect(row).toBeVisible();
  // History: every attempt of the record, from /records/{uid}/history.
  const attempts = await foreign.api<{ items: unknown[] }>(`/sync-logs/${encodeURIComponent(target.id)}/attempts`);
  await row.getByRole('button', { name: /^History of record/ }).click();
  const panel = page.getByRole('dialog', { name: /^History of / });
  await expect(panel.locator('.history-item')).toHaveCount(attempts.items.length);
  await panel.getByRole('button', { name: 'Close' }).click();
  // Resync: POST /replay with the template's body.
  const replay = page.waitForRequest((r) => r.url().endsWith('/api/foreign/replay'));
  await row.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Resync…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Resync 1 record' }).click();
  expect((await replay).postDataJSON()).toEqual({ uids: [target.id] });
  await expect(page.getByRole('status', { name: 'Resync outcome' })).toContainText('Resync sent');
  await expect.poll(async () => (await foreign.api<Item>(`/sync-logs/${encodeURIComponent(target.id)}`)).attempts)
    .toBe((target.attempts ?? 1) + 1);
});

test('a backend that ignores the instance and Source ID parameters still shows only matching rows, and says so', async ({ app, foreign }) => {
  // `job_name` and `reference` mean nothing to this API, which ignores them, as many do.
  await useProfile(foreign, {
    ...PROFILE,
    query: { ...PROFILE.query, params: { ...PROFILE.query.params, instance: 'job_name', source_id: 'reference' } },
  });
  const { items: all } = await foreign.api<{ items: Item[] }>(`/sync-logs?limit=3000&from=${FROM}`);
  const instance = all[0].instance;
  const needle = all[0].source_id.slice(0, -1).toLowerCase();
  const expected = all.filter((i) => i.instance === instance && i.source_id.toLowerCase().includes(needle));
  expect(expected.length).toBeLessThan(all.length);
  await app.open(`/sync-logs?limit=3000&from=${FROM}&instance=${encodeURIComponent(instance)}&source_id=${encodeURIComponent(needle)}`);
  // Three pages of json-server filtered by the app alone: on a busy machine it took
  // 2.2-3.5 s a page, so the load gets more than the default 10 s.
  await app.waitForLoaded(expected.length, 30_000);
  await expectRows(app, expected.map((i) => i.id));
  await expect(app.page.locator('.notice-warning')).toContainText(
    `The backend did not apply \`job_name\` (instance) and \`reference\` (Source ID): ${(all.length - expected.length).toLocaleString('en-US')} records it sent did not match and are not shown.`,
  );
});
