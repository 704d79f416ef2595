// Errors in view: error clusters list the failed and partial rows by normalised message;
// a cluster filters the log to exactly its rows and can be selected for resync.
import { test, expect } from './fixtures/test';
import { ReferenceServer } from './fixtures/server';
import { TAXONOMY } from './fixtures/taxonomy';
import { SyncLogsPage } from './pages/sync-logs-page';

// A server of its own: the counts are checked against a second read of the API, which
// must see the same records. On the worker's shared server, records another test just
// resynced are still moving between statuses.
let server: ReferenceServer;
test.beforeAll(async () => { server = await ReferenceServer.start(); });
test.afterAll(async () => { await server?.stop(); });

test('a cluster filters the log to exactly its rows, and selecting it feeds the resync', async ({ page }) => {
  const syncLogs = new SyncLogsPage(page, server.url);
  const from = new Date(Date.now() - 15 * 86_400_000).toISOString();
  await syncLogs.open(`/sync-logs?limit=5000&from=${encodeURIComponent(from)}`);
  await syncLogs.waitForLoaded(5000);
  const panel = page.getByRole('region', { name: /Errors in view/ });
  await expect(panel).toBeVisible();
  // One line until opened.
  const toggle = panel.getByRole('button', { name: /Errors in view/ });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(panel.locator('.cluster')).toHaveCount(0);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const first = panel.locator('.cluster').first();
  const count = Number((await first.locator('.cluster-count').innerText()).replace(/,/g, ''));
  const key = await first.locator('.cluster-key').innerText();
  expect(count).toBeGreaterThan(1);

  // The largest comes first, and together the clusters hold every failed or partial
  // record with a message among those loaded (the same rows, from the API).
  const more = panel.getByRole('button', { name: /Show all .* kinds/ });
  if (await more.count()) await more.click();
  const counts = (await panel.locator('.cluster-count').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
  expect(counts).toEqual([...counts].sort((a, b) => b - a));
  const query = new URLSearchParams({ limit: '5000', from });
  const items: { status: string; details?: string | null }[] = [];
  let cursor = '';
  while (items.length < 5000) {
    if (cursor) query.set('cursor', cursor);
    const answer = await (await fetch(`${server.url}/api/v1/sync-logs?${query}`)).json();
    items.push(...answer.items);
    if (!answer.next_cursor) break;
    cursor = answer.next_cursor;
  }
  const withErrors = items.filter((r) => ['Failed', 'Partial Success'].includes(TAXONOMY[r.status]?.card) && (r.details ?? '').trim() !== '');
  expect(counts.reduce((a, b) => a + b, 0)).toBe(withErrors.length);

  await first.getByRole('button', { name: `Show the ${count.toLocaleString('en-US')} records of this error` }).click();
  await expect(page.locator('.row-count')).toHaveText(`${count.toLocaleString('en-US')} of 5,000 loaded records shown`);
  expect(new URL(page.url()).searchParams.get('f_cluster')).toBe(key);
  await expect(page.locator('.chip-row')).toContainText('Error:');
  expect(await syncLogs.cardValue('Total Operations')).toBe(String(count));

  // Every row shown is a failed or partial one.
  const shown = await syncLogs.rows.evaluateAll((rows) => rows.map((r) => r.querySelector('[data-status]')?.getAttribute('data-status') ?? ''));
  expect(shown.length).toBe(Math.min(count, shown.length));
  expect(shown.length).toBeGreaterThan(0);
  for (const status of shown) {
    expect(['Failed', 'Partial Success']).toContain(TAXONOMY[status]?.card);
  }

  // Select the cluster, then the resync confirmation names exactly those records.
  await page.getByRole('button', { name: `Select these ${count.toLocaleString('en-US')}` }).click();
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText(`${count.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} selected`);
  await page.getByRole('button', { name: 'Resync…' }).click();
  await expect(page.getByRole('dialog')).toContainText(`Resync ${count.toLocaleString('en-US')} record`);
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // "Show all errors" goes back to every row.
  await page.getByRole('button', { name: 'Show all errors' }).click();
  await expect(page.locator('.row-count')).toHaveText('5,000 records loaded');
});
