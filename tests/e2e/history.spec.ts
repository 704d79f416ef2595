// A record's history: every attempt of the same source record, oldest first, with what
// they say about resending it.
import { test, expect } from './fixtures/test';

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
