// Live refresh against the reference server: new records (POST /__generate) show up as
// "N new records" without moving anything; Show adds them and keeps the selection and the
// place in the table. Hidden tabs pause it; failures back off.
import { test, expect } from './fixtures/test';
import { ReferenceServer } from './fixtures/server';

async function generate(server: ReferenceServer, count: number) {
  const response = await fetch(`${server.url}/__generate`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count }),
  });
  expect(response.status).toBe(204);
}

test.beforeEach(async ({ server }) => {
  await server.setFaults([{ path: '/config.json', status: 200, body: JSON.stringify({ refresh_seconds: 1, default_limit: 200 }) }]);
});

test('new records wait behind "N new records"; Show adds them, keeping selection and place', async ({ syncLogs, server, page }) => {
  await syncLogs.open();
  await syncLogs.waitForLoaded(200);
  await expect(page.getByRole('combobox', { name: 'Auto-refresh' })).toHaveValue('1');
  // Tick two rows, then scroll down a little.
  const ticked = (await syncLogs.rowIds()).slice(0, 2);
  for (const id of ticked) await page.getByLabel(`Select record ${id}`).check();
  const wrap = page.locator('.table-wrap');
  await wrap.evaluate((el) => { el.scrollTop = 37 * 20; });
  await page.waitForTimeout(200);
  const topBefore = (await syncLogs.rowIds())[0];
  const scrollBefore = await wrap.evaluate((el) => el.scrollTop);

  await generate(server, 3);
  const bar = page.getByRole('status').filter({ hasText: '3 new records' });
  await expect(bar).toBeVisible({ timeout: 10_000 });
  // Nothing moved while waiting.
  await expect(page.locator('.row-count')).toHaveText('200 records loaded');
  expect(await wrap.evaluate((el) => el.scrollTop)).toBe(scrollBefore);

  await bar.getByRole('button', { name: 'Show' }).click();
  await expect(page.locator('.row-count')).toHaveText('203 records loaded');
  await expect(bar).toBeHidden();
  // The same record is at the top of the view, and the selection is intact.
  await expect.poll(async () => (await syncLogs.rowIds())[0]).toBe(topBefore);
  await expect(page.locator('.selection-bar')).toContainText('2 of 203 selected');
  await wrap.evaluate((el) => { el.scrollTop = 0; });
  const newest = await server.api<{ items: { id: string }[] }>('/sync-logs?limit=3');
  await expect.poll(async () => (await syncLogs.rowIds()).slice(0, 3)).toEqual(newest.items.map((i) => i.id));
  for (const id of ticked) await expect(page.getByLabel(`Select record ${id}`)).toBeChecked();
});

/** Makes the page look hidden (or visible again) the way a browser does when its tab is
 * switched: both properties, then the event. */
async function setHidden(page: import('@playwright/test').Page, hidden: boolean) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('a hidden tab pauses refreshing with no timer running; failures back off', async ({ syncLogs, server, page }) => {
  // Every timer the page starts, counted from here on.
  await page.addInitScript(() => {
    const w = window as any;
    w.__timers = 0;
    const setTimeout = window.setTimeout.bind(window);
    const setInterval = window.setInterval.bind(window);
    (window as any).setTimeout = (...args: any[]) => { w.__timers += 1; return (setTimeout as any)(...args); };
    (window as any).setInterval = (...args: any[]) => { w.__timers += 1; return (setInterval as any)(...args); };
  });
  await syncLogs.open();
  await syncLogs.waitForLoaded(200);
  const refreshes: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/sync-logs?')) refreshes.push(r.url()); });
  await setHidden(page, true);
  await expect(page.getByRole('status').filter({ hasText: 'Paused while the tab is hidden' })).toBeVisible({ timeout: 5_000 });
  const whileHidden = refreshes.length;
  const timersBefore = await page.evaluate(() => (window as any).__timers);
  await page.waitForTimeout(2_500);
  expect(refreshes.length).toBe(whileHidden);
  // Paused means idle: nothing polls the visibility meanwhile.
  expect(await page.evaluate(() => (window as any).__timers)).toBe(timersBefore);

  await server.setFaults([
    { path: '/config.json', status: 200, body: JSON.stringify({ refresh_seconds: 1, default_limit: 200 }) },
    { path: '/api/v1/sync-logs', status: 400 },
  ]);
  await setHidden(page, false);
  await expect(page.getByRole('status').filter({ hasText: /Refresh failed 1 time \(HTTP 400\); next try in 2 s/ })).toBeVisible({ timeout: 5_000 });
  await expect(page.getByRole('status').filter({ hasText: /Refresh failed 2 times \(HTTP 400\); next try in 4 s/ })).toBeVisible({ timeout: 5_000 });
  // The rows stay.
  await expect(page.locator('.row-count')).toHaveText('200 records loaded');
});
