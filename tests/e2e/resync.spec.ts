// Multi-select and mass resync against the reference server: rows turn Pending then
// final, batches of 5,000 with one request each, double clicks, a dropped answer retried
// with the same key (applied once), and retrying only the failed ones.
import { Page, Request } from '@playwright/test';
import { test, expect } from './fixtures/test';
import { ReferenceServer } from './fixtures/server';

type Item = { id: string; status: string; operation: string | null; target_id: string | null; attempts: number | null };

/** Failed updates with attempts left: safe to resync and not left out as risky. */
async function resyncable(server: ReferenceServer, n: number): Promise<Item[]> {
  const { items } = await server.api<{ items: Item[] }>('/sync-logs?status=failed&limit=2000');
  return items.filter((i) => i.operation === 'update' && i.target_id && (i.attempts ?? 1) < 4).slice(0, n);
}

function resyncPosts(page: Page): Request[] {
  const posts: Request[] = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/sync-logs/resync')) posts.push(r); });
  return posts;
}

const idsQuery = (items: Item[]) => items.map((i) => `id=${i.id}`).join('&');

test('three failed rows resync: they show Pending, then a final status, and the cards follow', async ({ syncLogs, server, page }) => {
  const chosen = await resyncable(server, 3);
  expect(chosen).toHaveLength(3);
  await syncLogs.open(`/sync-logs?${idsQuery(chosen)}`);
  await syncLogs.waitForLoaded(3);
  expect(await syncLogs.cardValue('Failed')).toBe('3');
  for (const item of chosen) await page.getByLabel(`Select record ${item.id}`).check();
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText('3 of 3 selected');
  await page.getByRole('button', { name: 'Resync…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Resync 3 records?');
  await expect(dialog).toContainText('Failed: 3');
  await dialog.getByRole('button', { name: 'Resync 3 records' }).click();

  await expect(page.locator('.resync-summary')).toContainText('3 queued');
  await expect.poll(() => syncLogs.cardValue('In flight')).toBe('3');
  expect(await syncLogs.cardValue('Failed')).toBe('0');
  // The worker settles them within a few seconds; the page follows without a reload.
  await expect.poll(() => syncLogs.cardValue('In flight'), { timeout: 15_000 }).toBe('0');
  const finals = await syncLogs.rows.locator('.badge').evaluateAll((b) => b.map((e) => e.getAttribute('data-status')));
  for (const status of finals) expect(['ok', 'success', 'failed']).toContain(status);
  for (const item of chosen) {
    const stored = await server.api<Item>(`/sync-logs/${item.id}`);
    expect(stored.attempts).toBe((item.attempts ?? 1) + 1);
  }
});

test('a double click on Resync sends one request per batch', async ({ syncLogs, server, page }) => {
  const chosen = await resyncable(server, 2);
  const posts = resyncPosts(page);
  await syncLogs.open(`/sync-logs?${idsQuery(chosen)}`);
  await syncLogs.waitForLoaded(2);
  await page.getByLabel('Select all matching records').check();
  await page.getByRole('button', { name: 'Resync…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Resync 2 records' }).dblclick();
  await expect(page.locator('.resync-summary')).toContainText('2 queued');
  await page.waitForTimeout(500);
  expect(posts).toHaveLength(1);
});

test('closing the confirmation gives the focus back to Resync…', async ({ syncLogs, server, page }) => {
  const chosen = await resyncable(server, 2);
  await syncLogs.open(`/sync-logs?${idsQuery(chosen)}`);
  await syncLogs.waitForLoaded(2);
  await page.getByLabel('Select all matching records').check();
  const opener = page.getByRole('button', { name: 'Resync…' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: /Resync 2 records/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Resync 2 records' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  // From the keyboard again, and out through Cancel.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  // Sent: the selection (and its bar) is cleared, and the focus goes to the outcome.
  await page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'Resync 2 records' }).click();
  await expect(page.locator('.resync-summary')).toContainText('2 queued');
  await expect(page.getByRole('status', { name: 'Resync outcome' })).toBeFocused();
});

test('a dropped answer is retried with the same key and the record is resynced exactly once', async ({ syncLogs, server, page }) => {
  const [item] = await resyncable(server, 1);
  await server.setFaults([{ path: '/api/v1/sync-logs/resync', drop_after: true, times: 1 }]);
  const posts = resyncPosts(page);
  await syncLogs.open(`/sync-logs?id=${item.id}`);
  await syncLogs.waitForLoaded(1);
  await page.getByLabel(`Select record ${item.id}`).check();
  await page.getByRole('button', { name: 'Resync…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Resync 1 record' }).click();
  await expect(page.locator('.resync-summary')).toContainText('1 queued', { timeout: 15_000 });
  expect(posts.length).toBe(2);
  expect(posts[1].headers()['idempotency-key']).toBe(posts[0].headers()['idempotency-key']);
  const stored = await server.api<Item>(`/sync-logs/${item.id}`);
  expect(stored.attempts).toBe((item.attempts ?? 1) + 1);
});

test('a partial failure shows each reason and "Retry the failed ones" resends only those', async ({ syncLogs, server, page }) => {
  const candidates = await resyncable(server, 50);
  // On its third attempt: once the setup below resyncs it, it is rejected whether that
  // resync is still in flight or has already finished (no attempts left).
  const busy = candidates.find((c) => c.attempts === 3)!;
  const good = candidates.find((c) => c !== busy)!;
  expect(busy).toBeDefined();
  // Put one record in flight first, so the resync rejects it.
  await fetch(`${server.url}/api/v1/sync-logs/resync`, {
    method: 'POST', headers: { 'Idempotency-Key': `setup-${busy.id}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ids: [busy.id] }),
  });
  const posts = resyncPosts(page);
  await syncLogs.open(`/sync-logs?id=${good.id}&id=${busy.id}`);
  await syncLogs.waitForLoaded(2);
  await page.getByLabel('Select all matching records').check();
  await page.getByRole('button', { name: 'Resync…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: /^Resync \d+ record/ }).click();
  const report = page.getByRole('status', { name: 'Resync outcome' });
  await expect(report).toContainText('1 queued, 1 rejected');
  // The reason is the server's: "already being synced" while the setup's resync is in
  // flight, or, on a slow machine where it has finished by now, that its attempts are
  // used up. Either way the report shows exactly what the server said.
  const answer = await (await posts[0].response())!.json();
  const rejected = answer.results.filter((r: { outcome: string }) => r.outcome !== 'queued');
  expect(rejected.map((r: { id: string }) => r.id)).toEqual([busy.id]);
  await expect(report).toContainText(`${busy.id}: ${rejected[0].message}`);
  await report.getByRole('button', { name: 'Retry the failed ones' }).click();
  await expect.poll(() => posts.length).toBe(2);
  expect(JSON.parse(posts[1].postData()!)).toEqual({ ids: [busy.id] });
  expect(posts[1].headers()['idempotency-key']).not.toBe(posts[0].headers()['idempotency-key']);
});

test.describe('with 20,000 records loaded', () => {
  test.setTimeout(120_000);
  let big: ReferenceServer;
  test.beforeAll(async () => { big = await ReferenceServer.start({ seedCount: 60_000 }); });
  test.afterAll(async () => { await big.stop(); });

  test('select all resyncs every record in batches of 5,000, one request per batch', async ({ page }) => {
    const posts = resyncPosts(page);
    // 60,000 records over 15 days: the newest 20,000 of that range.
    const from = new Date(Date.now() - 15 * 86_400_000).toISOString();
    await page.goto(`${big.url}/sync-logs?limit=20000&from=${encodeURIComponent(from)}`);
    await expect(page.locator('.row-count')).toHaveText('20,000 records loaded', { timeout: 60_000 });
    await page.getByLabel('Select all matching records').check();
    await expect(page.getByRole('region', { name: 'Selection' })).toContainText('20,000 of 20,000 selected');
    await page.getByRole('button', { name: 'Resync…' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('Resync 20,000 records?');
    const leaveOut = dialog.getByLabel(/Leave out these/);
    if (await leaveOut.count()) await leaveOut.uncheck();
    const started = Date.now();
    await dialog.getByRole('button', { name: 'Resync 20,000 records' }).dblclick();
    const report = page.getByRole('status', { name: 'Resync outcome' });
    await expect(report).toContainText('Resync sent:', { timeout: 60_000 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`20,000-record resync: confirm → last batch accepted in ${seconds.toFixed(2)} s (${await report.locator('.resync-summary').innerText()})`);
    expect(posts).toHaveLength(4);
    const keys = new Set(posts.map((p) => p.headers()['idempotency-key']));
    expect(keys.size).toBe(4);
    const sent = posts.flatMap((p) => JSON.parse(p.postData()!).ids as string[]);
    expect(sent).toHaveLength(20_000);
    expect(new Set(sent).size).toBe(20_000);
    for (const p of posts) expect(JSON.parse(p.postData()!).ids.length).toBeLessThanOrEqual(5_000);
  });
});

test('changing filters keeps only the selected rows still in view, and says so', async ({ syncLogs, page }) => {
  await syncLogs.open('/sync-logs?limit=200');
  await syncLogs.waitForLoaded(200);
  const shown = await syncLogs.rows.evaluateAll((r) => r.map((e) => ({
    id: e.getAttribute('data-id')!, instance: (e.querySelectorAll('td:not(.col-select)')[1] as HTMLElement).innerText.trim(),
  })));
  // Two rows of one instance and one of another.
  const keep = shown[0].instance;
  const kept = shown.filter((r) => r.instance === keep).slice(0, 2);
  const other = shown.find((r) => r.instance !== keep)!;
  expect(other, 'rows of two instances on screen').toBeTruthy();
  for (const row of [...kept, other]) await page.getByLabel(`Select record ${row.id}`).check();
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText(`${kept.length + 1} of 200 selected`);

  await page.getByRole('button', { name: /^Filter Instance/ }).click();
  await page.getByRole('region', { name: 'Filter Instance' }).getByText(keep, { exact: true }).click();
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText(`${kept.length} of`);
  await expect(syncLogs.notice).toContainText('1 selected record(s) are no longer in view and were unselected');
  for (const row of kept) await expect(page.getByLabel(`Select record ${row.id}`)).toBeChecked();
});
