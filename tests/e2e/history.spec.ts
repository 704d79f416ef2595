// A record's history: every attempt of the same source record, oldest first, with what
// they say about resending it.
import { test, expect } from './fixtures/test';
import { ReferenceServer } from './fixtures/server';
import { SyncLogsPage } from './pages/sync-logs-page';

test('the history panel lists a record\'s attempts in order, and closes with Escape', async ({ syncLogs, page, server }) => {
  const from = new Date(Date.now() - 15 * 86_400_000).toISOString();
  await syncLogs.open(`/sync-logs?limit=2000&from=${encodeURIComponent(from)}&tone=failed`);
  await syncLogs.waitForLoaded(2000);
  // A failed record tried more than once.
  const ids = await syncLogs.rowIds();
  let chosen = '';
  let expected: { id: string; started_at: string; status: string }[] = [];
  for (const id of ids) {
    const answer = await (await fetch(`${server.url}/api/v1/sync-logs/${encodeURIComponent(id)}/attempts`)).json();
    if (answer.items.length >= 2) {
      chosen = id;
      expected = answer.items;
      break;
    }
  }
  expect(chosen, 'some failed record has been tried before').not.toBe('');
  const row = page.locator(`tbody tr[data-id="${chosen}"]`);
  await row.getByRole('button', { name: /^History of record/ }).click();

  const panel = page.getByRole('dialog', { name: /^History of / });
  await expect(panel).toBeVisible();
  await expect(panel.locator('.history-item')).toHaveCount(expected.length);
  expect(await panel.locator('.history-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-id'))))
    .toEqual(expected.map((a) => String(a.id)));
  const times = expected.map((a) => Date.parse(a.started_at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  await expect(panel.locator('.history-verdict')).toHaveText(/Failed|failed|went through/);
  await expect(panel).toContainText(`${expected.length} attempt(s), oldest first`);

  await panel.getByRole('button', { name: 'Close' }).focus();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
});

test('the history panel shows the audit trail: dead-lettered, then discarded with its reason and who asked', async ({ page }) => {
  // A server of its own: the discard changes data other tests read.
  const server = await ReferenceServer.start();
  try {
    const syncLogs = new SyncLogsPage(page, server.url);
    const queue = await server.api('/dead-letter?limit=1');
    expect(queue.items.length, 'the demo data dead-letters records').toBe(1);
    const record = queue.items[0];
    const reason = 'Duplicate of <b>#1001</b>, fixed by hand in the ERP';
    const discarded = await fetch(`${server.url}/api/v1/dead-letter/discard`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `audit-${record.id}`, 'x-sync-logs-user': 'jane@example.com' },
      body: JSON.stringify({ ids: [record.id], reason }),
    });
    expect(discarded.status).toBe(202);

    const from = new Date(Date.parse(record.started_at) - 60_000).toISOString();
    await syncLogs.open(`/sync-logs?id=${encodeURIComponent(record.id)}&from=${encodeURIComponent(from)}`);
    const row = page.locator(`tbody tr[data-id="${record.id}"]`);
    // Discarded: a neutral badge of its own, not an unknown status.
    await expect(row.locator('.badge')).toHaveClass(/tone-neutral/);
    await expect(row.locator('.badge')).toHaveText(/Discarded/);
    await expect(row.locator('.badge')).not.toContainText('unknown');
    await row.getByRole('button', { name: /^History of record/ }).click();
    const trail = page.getByRole('region', { name: 'Audit trail' });
    await expect(trail.locator('.audit-item')).toHaveCount(2);
    await expect(trail.locator('.audit-item').nth(0)).toContainText('Dead-lettered');
    await expect(trail.locator('.audit-item').nth(0)).toContainText('by pipeline');
    await expect(trail.locator('.audit-item').nth(0)).toContainText(record.dead_letter_reason);
    await expect(trail.locator('.audit-item').nth(1)).toContainText('Discarded');
    await expect(trail.locator('.audit-item').nth(1)).toContainText('by jane@example.com');
    // The reason is text, never markup.
    await expect(trail.locator('.audit-item').nth(1).locator('.history-details')).toHaveText(reason);
    await expect(trail.locator('b')).toHaveCount(0);
  } finally {
    await server.stop();
  }
});
