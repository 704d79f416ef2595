// The Dead letter tab against the reference server: its count is the API's, a replay
// takes records out of the queue and back to Pending in the log, a discard asks for a
// reason and can be undone, and a backend without a queue has no tab.
//
// The server's target is down with a long wait between automatic retries, so a replayed
// record stays pending (waiting for its next try) rather than settling while it is looked
// at.
import { Page, Request } from '@playwright/test';
import { test, expect } from './fixtures/test';
import { ReferenceServer } from './fixtures/server';
import { SyncLogsPage } from './pages/sync-logs-page';

type Item = { id: string; status: string; details: string | null; dead_lettered_at: string | null; operation: string | null; target_id: string | null };
type Summary = { total: number };
type Event = { action: string; reason: string | null; user: string };

const tab = (page: Page) => page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /Dead letter/ });
const count = (n: number) => n.toLocaleString('en-US');

function posts(page: Page, path: string): Request[] {
  const sent: Request[] = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(path)) sent.push(r); });
  return sent;
}

test.describe('the dead-letter queue', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ReferenceServer;

  test.beforeAll(async () => {
    server = await ReferenceServer.start({ args: ['--target-down', '--retry-backoff-ms', '600000'] });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  /** The queue's newest records, as the API lists them. */
  const queue = async (limit = 1000) => (await server.api<{ items: Item[] }>(`/dead-letter?limit=${limit}`)).items;

  /** Rows of the tab safe to resend (updates with a target id), which the confirmation
   * does not offer to leave out. */
  async function safeRows(app: SyncLogsPage, n: number): Promise<string[]> {
    const byId = new Map((await queue()).map((i) => [i.id, i]));
    const safe = (await app.rowIds()).filter((id) => byId.get(id)?.operation === 'update' && byId.get(id)?.target_id);
    expect(safe.length, 'the tab shows updates with a target id').toBeGreaterThanOrEqual(n);
    return safe.slice(0, n);
  }

  /** Opens the tab from Records, as an operator would, and waits for its rows. */
  async function openTab(app: SyncLogsPage) {
    await app.open('/sync-logs');
    await expect(app.table).toBeVisible();
    await tab(app.page).click();
    await expect(app.page).toHaveURL(/\/dead-letter/);
    await expect(app.page.getByRole('heading', { level: 1 })).toHaveText('Dead letter');
    await expect(app.table).toBeVisible();
    await expect(app.page.locator('.stat-cards')).toHaveAttribute('aria-busy', 'false');
  }

  test("the tab's count equals the API's, and the tab lists the queue", async ({ page }) => {
    const { total } = await server.api<Summary>('/dead-letter/summary');
    expect(total, 'the demo data has dead-lettered records').toBeGreaterThan(0);
    const app = new SyncLogsPage(page, server.url);
    await app.open('/sync-logs');
    await expect(tab(page).getByTestId('queue-count')).toHaveText(count(total));
    await openTab(app);
    const listed = new Set((await queue()).map((i) => i.id));
    const shown = await app.rowIds();
    expect(shown.length).toBeGreaterThan(0);
    for (const id of shown) expect(listed, `${id} is in GET /dead-letter`).toContain(id);
    // Every row is a failed record: the queue holds nothing else.
    const statuses = await app.rows.locator('.badge').evaluateAll((b) => b.map((e) => e.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['failed']));
  });

  test('replaying 2 selected records moves them out of the tab and into Pending in Records', async ({ page }) => {
    const before = (await server.api<Summary>('/dead-letter/summary')).total;
    const app = new SyncLogsPage(page, server.url);
    await openTab(app);
    const chosen = await safeRows(app, 2);
    const sent = posts(page, '/dead-letter/replay');
    for (const id of chosen) await page.getByLabel(`Select record ${id}`).check();
    await expect(page.getByRole('region', { name: 'Selection' })).toContainText('2 of');
    await page.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay 2 records?' });
    // Grouped by error cluster: the groups hold the two records between them.
    const groups = dialog.getByRole('region', { name: 'By error' }).locator('.cluster-count');
    const sizes = (await groups.allTextContents()).map(Number);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2);
    await dialog.getByRole('button', { name: 'Replay 2 records' }).dblclick();
    await expect(page.getByRole('status', { name: 'Replay outcome' })).toContainText('2 queued');
    expect(sent, 'a double click sends one request').toHaveLength(1);
    expect(JSON.parse(sent[0].postData()!)).toEqual({ ids: chosen });

    for (const id of chosen) await expect(page.locator(`.log-table tbody tr[data-id="${id}"]`)).toHaveCount(0);
    await expect(tab(page).getByTestId('queue-count')).toHaveText(count(before - 2));
    expect((await server.api<Summary>('/dead-letter/summary')).total).toBe(before - 2);

    // In Records they are pending again, with a fresh attempt budget.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Records' }).click();
    await expect(page).toHaveURL(/\/sync-logs/);
    await expect.poll(async () => {
      await app.open(`/sync-logs?${chosen.map((id) => `id=${id}`).join('&')}`);
      await expect(app.table).toBeVisible();
      return app.rows.locator('.badge').evaluateAll((b) => b.map((e) => e.getAttribute('data-status')));
    }, { timeout: 15_000 }).toEqual(['pending', 'pending']);
    for (const id of chosen) {
      const events = (await server.api<{ items: Event[] }>(`/sync-logs/${id}/events`)).items;
      expect(events.map((e) => e.action)).toEqual(['dead_lettered', 'replayed']);
    }
  });

  test('discard asks for a reason, and Undo puts the records back as they were', async ({ page }) => {
    const before = (await server.api<Summary>('/dead-letter/summary')).total;
    const app = new SyncLogsPage(page, server.url);
    await openTab(app);
    const chosen = (await app.rowIds()).slice(0, 2);
    const was = await Promise.all(chosen.map((id) => server.api<Item>(`/sync-logs/${id}`)));
    const discards = posts(page, '/dead-letter/discard');
    const restores = posts(page, '/dead-letter/restore');
    for (const id of chosen) await page.getByLabel(`Select record ${id}`).check();
    await page.getByRole('button', { name: 'Discard…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard 2 records?' });
    await expect(dialog).toContainText('You can undo for 10 seconds.');
    const reason = dialog.getByRole('textbox', { name: /Reason/ });
    const confirm = dialog.getByRole('button', { name: 'Discard 2 records' });
    // The reason has the focus, not Discard; without one nothing can be sent.
    await expect(reason).toBeFocused();
    await expect(confirm).toBeDisabled();
    await reason.fill('   ');
    await expect(confirm).toBeDisabled();
    await reason.press('Enter');
    expect(discards).toHaveLength(0);
    await expect(reason).toHaveAttribute('maxlength', '500');
    await reason.fill('Duplicate of order #1001 <b>fixed by hand</b>');
    await confirm.dblclick();

    await expect(page.getByRole('status', { name: 'Discard outcome' })).toContainText('2 discarded');
    expect(discards).toHaveLength(1);
    expect(JSON.parse(discards[0].postData()!)).toEqual({ ids: chosen, reason: 'Duplicate of order #1001 <b>fixed by hand</b>' });
    for (const id of chosen) await expect(page.locator(`.log-table tbody tr[data-id="${id}"]`)).toHaveCount(0);
    await expect(tab(page).getByTestId('queue-count')).toHaveText(count(before - 2));
    for (const id of chosen) {
      const stored = await server.api<Item>(`/sync-logs/${id}`);
      expect(stored.status).toBe('discarded');
      const events = (await server.api<{ items: Event[] }>(`/sync-logs/${id}/events`)).items;
      expect(events.at(-1)).toMatchObject({ action: 'discarded', reason: 'Duplicate of order #1001 <b>fixed by hand</b>' });
    }

    const undo = page.getByRole('status', { name: 'Undo discard' });
    await expect(undo).toContainText('Discarded 2 records.');
    await undo.getByRole('button', { name: 'Undo' }).click();
    await expect(page.getByRole('status', { name: 'Restore outcome' })).toContainText('2 restored');
    expect(restores).toHaveLength(1);
    await expect(undo).toHaveCount(0);
    // Back in the tab, in the queue, and as they were before the discard.
    for (const id of chosen) await expect(page.locator(`.log-table tbody tr[data-id="${id}"]`)).toHaveCount(1);
    await expect(tab(page).getByTestId('queue-count')).toHaveText(count(before));
    for (const [i, id] of chosen.entries()) {
      const stored = await server.api<Item>(`/sync-logs/${id}`);
      expect(stored.status).toBe(was[i].status);
      expect(stored.dead_lettered_at).toBe(was[i].dead_lettered_at);
      expect(stored.details).toBe(was[i].details);
      const events = (await server.api<{ items: Event[] }>(`/sync-logs/${id}/events`)).items;
      expect(events.slice(-2).map((e) => e.action)).toEqual(['discarded', 'restored']);
    }
  });

  test('the offer to undo ends after 10 seconds', async ({ page }) => {
    const app = new SyncLogsPage(page, server.url);
    await openTab(app);
    const [id] = await app.rowIds();
    await page.getByLabel(`Select record ${id}`).check();
    await page.getByRole('button', { name: 'Discard…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard 1 record?' });
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('Test record');
    await dialog.getByRole('button', { name: 'Discard 1 record' }).click();
    const undo = page.getByRole('status', { name: 'Undo discard' });
    await expect(undo).toBeVisible();
    const shownAt = Date.now();
    await expect(undo).toHaveCount(0, { timeout: 15_000 });
    expect(Date.now() - shownAt).toBeGreaterThan(8_000);
    expect((await server.api<Item>(`/sync-logs/${id}`)).status).toBe('discarded');
  });
});

test('a backend without a dead-letter queue has no tab', async ({ page }) => {
  const server = await ReferenceServer.start({ seedCount: 500, args: ['--no-dead-letter'] });
  try {
    const app = new SyncLogsPage(page, server.url);
    const asked = page.waitForResponse((r) => r.url().includes('/dead-letter/summary'));
    await app.open('/sync-logs');
    expect((await asked).status()).toBe(404);
    await expect(app.table).toBeVisible();
    const views = page.getByRole('navigation', { name: 'Views' });
    await expect(views.getByRole('link', { name: 'Runs' })).toBeVisible();
    await expect(views.getByRole('link', { name: /Dead letter/ })).toHaveCount(0);
  } finally {
    await server.stop();
  }
});
