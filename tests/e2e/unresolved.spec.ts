// Unresolved only: one row per record (instance, entity type, source id), its latest
// attempt, hidden when that succeeded. The reference server applies it (`latest=1`) over
// the whole range, so the cards count it too; the expectations are worked out here from
// every record the API lists.
import { Request } from '@playwright/test';
import { test, expect } from './fixtures/test';
import { ReferenceServer } from './fixtures/server';
import { TAXONOMY } from './fixtures/taxonomy';
import { SyncLogsPage } from './pages/sync-logs-page';

type Row = { id: string; status: string; instance: string; entity_type: string; source_id: string; started_at: string; details: string | null };

const key = (r: Row) => JSON.stringify([r.instance, r.entity_type, r.source_id]);
const newestFirst = (a: Row, b: Row) => (a.started_at === b.started_at ? (a.id < b.id ? 1 : -1) : a.started_at < b.started_at ? 1 : -1);

test.describe('unresolved only, on 20,000 records', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ReferenceServer;
  let records: Map<string, Row[]>;
  // Well inside the default 5-day range, so the app's range holds them.
  const recent = (r: Row) => Date.parse(r.started_at) > Date.now() - 4 * 86_400_000;

  test.beforeAll(async () => {
    server = await ReferenceServer.start({ seedCount: 20_000 });
    records = new Map();
    let cursor = '';
    for (;;) {
      const page = await server.api(`/sync-logs?limit=10000${cursor ? `&cursor=${cursor}` : ''}`);
      for (const r of page.items as Row[]) {
        const rows = records.get(key(r)) ?? [];
        rows.push(r);
        records.set(key(r), rows);
      }
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    for (const rows of records.values()) rows.sort(newestFirst);
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  /** Opens the records of one source record, then turns unresolved only on. */
  async function openRecord(app: SyncLogsPage, r: Row) {
    const params = new URLSearchParams({ instance: r.instance, entity_type: r.entity_type, source_id: r.source_id, limit: '1000' });
    await app.open(`/sync-logs?${params}`);
    await expect(app.table).toBeVisible();
    const toggle = app.page.getByRole('checkbox', { name: 'Unresolved only' });
    await expect(toggle).not.toBeChecked();
    await toggle.check();
    await expect(app.page).toHaveURL(/latest=1/);
  }

  test('a record that failed and then succeeded is gone', async ({ page }) => {
    const rows = [...records.values()].find(
      (rs) => rs.length > 1 && TAXONOMY[rs[0].status].card === 'Success' && rs.slice(1).some((r) => TAXONOMY[r.status].card === 'Failed' && recent(r)),
    );
    expect(rows, 'the demo data has a record that failed, then succeeded').toBeTruthy();
    const app = new SyncLogsPage(page, server.url);
    await openRecord(app, rows![0]);
    await expect(page.locator('.stat-cards')).toHaveAttribute('aria-busy', 'false');
    const shown = await app.rowIds();
    for (const r of rows!) expect(shown, `${r.id} (${r.status})`).not.toContain(r.id);
  });

  test('a record whose latest attempt failed shows once, with its latest error', async ({ page }) => {
    const rows = [...records.values()].find(
      (rs) => rs.length > 1 && TAXONOMY[rs[0].status].card === 'Failed' && recent(rs[1]) && rs[0].details,
    );
    expect(rows, 'the demo data has a record tried more than once whose latest attempt failed').toBeTruthy();
    const latest = rows![0];
    const app = new SyncLogsPage(page, server.url);
    const ids = () => app.rowIds().then((shown) => shown.filter((id) => rows!.some((r) => r.id === id)));
    const params = new URLSearchParams({ instance: latest.instance, entity_type: latest.entity_type, source_id: latest.source_id, limit: '1000' });
    await app.open(`/sync-logs?${params}`);
    await expect.poll(async () => (await ids()).length).toBeGreaterThan(1);
    await page.getByRole('checkbox', { name: 'Unresolved only' }).check();
    await expect.poll(ids).toEqual([latest.id]);
    const row = page.locator(`.log-table tbody tr[data-id="${latest.id}"]`);
    await expect(row).toContainText(latest.details!.slice(0, 30));
  });

  test('the cards count what the server counts, and the list holds one row per record', async ({ page }) => {
    const app = new SyncLogsPage(page, server.url);
    const listed = page.waitForRequest((r: Request) => r.url().includes('/api/v1/sync-logs?') && r.url().includes('latest=1'));
    await app.open('/sync-logs?limit=100000');
    await expect(app.table).toBeVisible();
    await page.getByRole('checkbox', { name: 'Unresolved only' }).check();
    const asked = new URL((await listed).url()).searchParams;
    await expect(page.locator('.stat-cards')).toHaveAttribute('aria-busy', 'false');
    // Worked out from every record: the latest attempt of each, if unresolved and in range.
    const from = Date.parse(asked.get('from')!);
    const expected = [...records.values()]
      .map((rs) => rs[0])
      .filter((r) => !['Success', ''].includes(TAXONOMY[r.status].card) && Date.parse(r.started_at) >= from);
    await app.waitForLoaded(expected.length);
    expect(await app.cardInRange('Total Operations')).toBe(String(expected.length));
    expect(await app.cardInRange('Failed')).toBe(String(expected.filter((r) => TAXONOMY[r.status].card === 'Failed').length));
    expect(await app.cardInRange('Success')).toBe('0');
    // The toggle survives a reload: it is in the URL.
    await page.reload();
    await expect(page.getByRole('checkbox', { name: 'Unresolved only' })).toBeChecked();
    await app.waitForLoaded(expected.length);
  });
});
