// The filter bar and the URL: every filter lives in the address, links reopen views,
// back/forward walk filter changes, and the stat cards follow the rows.
import { test, expect } from './fixtures/test';
import { TAXONOMY } from './fixtures/taxonomy';

type Item = { id: string; status: string; instance: string; entity_type: string; correlation_id: string | null };
type Page = { items: Item[] };
type Instances = { instances: { name: string; entity_types: string[] }[] };


test('the stat cards match the loaded rows, and a card narrows the table to its tone', async ({ syncLogs, server, page }) => {
  await syncLogs.open('/sync-logs?limit=1000');
  await syncLogs.waitForLoaded(1000);
  const { items } = await server.api<Page>('/sync-logs?limit=1000');
  const count = (card: string) => items.filter((i) => TAXONOMY[i.status].card === card).length;
  expect(await syncLogs.cardValue('Total Operations')).toBe('1000');
  for (const card of ['Success', 'Partial Success', 'Failed', 'In flight']) {
    expect(await syncLogs.cardValue(card), card).toBe(String(count(card)));
  }
  const rate = ((count('Success') / 1000) * 100).toFixed(1);
  expect(await syncLogs.cardValue('Success Rate')).toBe(`${rate}%`);

  await syncLogs.cardButton('Failed').click();
  await expect(page).toHaveURL(/tone=failed/);
  await expect(page.locator('.row-count')).toContainText(`${count('Failed')} of 1,000`);
  const tones = await syncLogs.rows.locator('.badge').evaluateAll((b) => b.map((e) => e.className));
  expect(tones.length).toBeGreaterThan(0);
  for (const tone of tones) expect(tone).toContain('tone-failed');
  // The other cards keep their counts so they stay clickable.
  expect(await syncLogs.cardValue('Success')).toBe(String(count('Success')));

  await syncLogs.cardButton('Failed').click();
  await expect(page).not.toHaveURL(/tone=/);
  await syncLogs.waitForLoaded(1000);
});

test('choosing an instance narrows the entity types and clears one that no longer applies', async ({ syncLogs, server, page }) => {
  const { instances } = await server.api<Instances>('/instances');
  const sap = instances.find((i) => i.name === 'SAP B1 → Shopify')!;
  const sftp = instances.find((i) => i.name === 'Shopify → 3PL (SFTP)')!;
  await syncLogs.open();
  await syncLogs.instance.selectOption(sap.name);
  await expect(page).toHaveURL(/instance=SAP/);
  const options = async () => (await syncLogs.entityType.locator('option').allInnerTexts()).slice(1);
  await expect.poll(options).toEqual([...sap.entity_types].sort());

  await syncLogs.entityType.selectOption('item');
  await expect(page).toHaveURL(/entity_type=item/);
  await expect.poll(async () => new Set(await syncLogs.column(2))).toEqual(new Set(['item']));

  // The SFTP job moves no items: its list has no "item" and the choice is cleared.
  await syncLogs.instance.selectOption(sftp.name);
  await expect.poll(options).toEqual([...sftp.entity_types].sort());
  await expect(syncLogs.entityType).toHaveValue('');
  await expect(page).not.toHaveURL(/entity_type=/);
});

test('a URL with filters opens the filtered view', async ({ syncLogs, server }) => {
  const instance = 'Shopify → Brightpearl';
  const path = `/sync-logs?instance=${encodeURIComponent(instance)}&entity_type=order&limit=500&source_id=%231`;
  await syncLogs.open(path);
  await expect(syncLogs.instance).toHaveValue(instance);
  await expect(syncLogs.entityType).toHaveValue('order');
  await expect(syncLogs.limit).toHaveValue('500');
  await expect(syncLogs.sourceId).toHaveValue('#1');
  // The app adds the default range (the last 5 days) when the URL names none.
  const from = new Date(Date.now() - 5 * 86_400_000).toISOString();
  const expected = await server.api<Page>(
    `/sync-logs?instance=${encodeURIComponent(instance)}&entity_type=order&limit=500&source_id=%231&from=${from}`,
  );
  await syncLogs.waitForLoaded(expected.items.length);
  expect(await syncLogs.rowIds()).toEqual(expected.items.slice(0, (await syncLogs.rowIds()).length).map((i) => i.id));
  for (const text of await syncLogs.column(3)) expect(text.toLowerCase()).toContain('#1');
});

test('back and forward restore the previous filters; typing adds one history entry', async ({ syncLogs, page }) => {
  await syncLogs.open();
  await syncLogs.waitForLoaded(100);
  await syncLogs.instance.selectOption('Shopify → Brightpearl');
  await expect(page).toHaveURL(/instance=/);
  await syncLogs.limit.selectOption('500');
  await expect(page).toHaveURL(/limit=500/);
  await syncLogs.sourceId.pressSequentially('cust_4', { delay: 40 });
  await expect(page).toHaveURL(/source_id=cust_4/);
  await expect.poll(async () => new Set((await syncLogs.column(3)).map((s) => s.startsWith('cust_4')))).toEqual(new Set([true]));

  await page.goBack();
  await expect(page).not.toHaveURL(/source_id=/);
  await expect(syncLogs.sourceId).toHaveValue('');
  await expect(syncLogs.limit).toHaveValue('500');
  await page.goBack();
  await expect(page).not.toHaveURL(/limit=/);
  await expect(syncLogs.limit).toHaveValue('100');
  await expect(syncLogs.instance).toHaveValue('Shopify → Brightpearl');
  await expect.poll(async () => new Set(await syncLogs.column(1))).toEqual(new Set(['Shopify → Brightpearl']));
  await page.goBack();
  await expect(syncLogs.instance).toHaveValue('');
  await page.goForward();
  await expect(syncLogs.instance).toHaveValue('Shopify → Brightpearl');
});

test('Clear resets every filter to the defaults', async ({ syncLogs, page }) => {
  await syncLogs.open('/sync-logs?instance=Shopify%20%E2%86%92%20Brightpearl&limit=500&tone=failed&source_id=x');
  await syncLogs.clear.click();
  await expect(page).toHaveURL(/\/sync-logs$/);
  await expect(syncLogs.instance).toHaveValue('');
  await expect(syncLogs.sourceId).toHaveValue('');
  await expect(syncLogs.limit).toHaveValue('100');
  await syncLogs.waitForLoaded(100);
});

test('"Run" on a row shows exactly that run', async ({ syncLogs, server, page }) => {
  await syncLogs.open();
  await syncLogs.waitForLoaded(100);
  const first = (await server.api<Page>('/sync-logs?limit=1')).items[0];
  await syncLogs.rows.first().getByRole('button', { name: /Show run/ }).click();
  await expect(page).toHaveURL(new RegExp(`correlation_id=${first.correlation_id}`));
  const run = await server.api<Page>(`/sync-logs?correlation_id=${first.correlation_id}&limit=10000`);
  await syncLogs.waitForLoaded(run.items.length);
  expect((await syncLogs.rowIds()).sort()).toEqual(run.items.map((i) => i.id).slice(0, (await syncLogs.rowIds()).length).sort());
  expect(await syncLogs.cardValue('Total Operations')).toBe(String(run.items.length));
  await expect(page.locator('.chip')).toContainText(first.correlation_id!);
});

test('a large limit loads page by page with progress and can be cancelled', async ({ syncLogs, server, page }) => {
  await syncLogs.open();
  await syncLogs.waitForLoaded(100);
  const before = await syncLogs.rowIds();
  // Each request asks for at most page_size (10,000) rows: slow that first page down.
  await server.setFaults([{ path: '/api/v1/sync-logs', query_contains: 'limit=10000', delay_ms: 10000, times: 1 }]);
  await syncLogs.limit.selectOption('50000');
  await expect(syncLogs.loading).toBeVisible();
  await syncLogs.loading.getByRole('button', { name: 'Cancel' }).click();
  await expect(syncLogs.loading).toBeHidden();
  await expect(syncLogs.notice).toContainText('Loading stopped');
  expect(await syncLogs.rowIds()).toEqual(before);
});

test('a load of several pages shows its progress and ends with every row once', async ({ syncLogs, server, page }) => {
  // About 90 scroll positions are read after a delayed load: more than the default 30 s
  // on a busy machine.
  test.setTimeout(90_000);
  await server.setFaults([
    { path: '/config.json', status: 200, body: JSON.stringify({ page_size: 200 }) },
    { path: '/api/v1/sync-logs', query_contains: 'cursor=', delay_ms: 400 },
  ]);
  const pages: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/sync-logs?')) pages.push(r.url()); });
  await syncLogs.open('/sync-logs?limit=1000');
  await expect(syncLogs.loading).toContainText(/Loading sync records… (200|400|600|800) of up to 1,000/);
  await syncLogs.waitForLoaded(1000);
  // 1,000 rows at 200 a request: five requests one after another; in two parts at once
  // (split-load.spec.ts) the newer part's page that crosses the cut, the one it may have
  // asked for ahead meanwhile (then aborted) and the older part's last short page add up
  // to three more.
  expect(pages.length).toBeGreaterThanOrEqual(5);
  expect(pages.length).toBeLessThanOrEqual(8);
  for (const url of pages) expect(url).toContain('limit=');
  // Scrolled through to the end, every id appears once.
  const ids = new Set<string>();
  const wrap = page.locator('.table-wrap');
  for (let top = 0; top <= 1000 * 37; top += 400) {
    const reached = await wrap.evaluate((el, t) => { el.scrollTop = t; return el.scrollTop; }, top);
    // Read once the rows at that place are rendered (the window follows the scroll
    // event, a frame later), not after a fixed pause.
    const at = Math.min(999, Math.floor(reached / 37));
    await expect(page.locator(`tbody tr[aria-rowindex="${at + 2}"]`)).toBeAttached();
    for (const id of await syncLogs.rowIds()) ids.add(id);
  }
  expect(ids.size).toBe(1000);
});
