// The runs view: runs of the current query with their totals; a run opens the log
// filtered to exactly its records; without a runs endpoint the app groups loaded rows.
import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import type { SyncLogsPage } from './pages/sync-logs-page';

const from = () => new Date(Date.now() - 15 * 86_400_000).toISOString();

/** Opens each kind of run present (one with an id, one grouped by time) and checks the
 *  log's counts against the run's row. */
async function checkRunsAgainstLog(page: Page, syncLogs: SyncLogsPage, url: string) {
  const rows = page.locator('.runs-table tbody tr');
  await expect(rows.first()).toBeVisible();
  const kinds = [rows.filter({ hasNot: page.locator('td', { hasText: /^by time$/ }) }).first(), rows.filter({ has: page.locator('td', { hasText: /^by time$/ }) }).first()];
  let checked = 0;
  for (const row of kinds) {
    if (!(await row.count())) continue;
    const cells = await row.locator('td').allInnerTexts();
    // Run, Instance, Started, Ended, Duration, Records, Success, Partial, In flight, Failed
    const [total, success, partial, inFlight, failed] = cells.slice(5, 10).map((t) => t.replace(/,/g, ''));
    await row.getByRole('link', { name: /^Open the/ }).click();
    await expect(page).toHaveURL(/\/sync-logs\?/);
    await expect(page.locator('.row-count')).toHaveText(new RegExp(`^${Number(total).toLocaleString('en-US')} records? loaded$`));
    expect(await syncLogs.cardValue('Total Operations')).toBe(total);
    expect(await syncLogs.cardValue('Success')).toBe(success);
    expect(await syncLogs.cardValue('Partial Success')).toBe(partial);
    expect(await syncLogs.cardValue('In flight')).toBe(inFlight);
    expect(await syncLogs.cardValue('Failed')).toBe(failed);
    checked += 1;
    await page.goto(url);
  }
  expect(checked).toBeGreaterThan(0);
}

test('each run\'s totals equal the log\'s counts for that run', async ({ page, syncLogs, server }) => {
  const url = `${server.url}/runs?from=${encodeURIComponent(from())}`;
  await page.goto(url);
  await expect(page.locator('.runs-source')).toHaveText(/^[\d,]+ runs$/);
  const starts = await page.locator('.runs-table tbody tr td:nth-child(3)').allInnerTexts();
  expect(starts).toEqual([...starts].sort().reverse());
  await checkRunsAgainstLog(page, syncLogs, url);
});

test('without a runs endpoint the loaded records are grouped in the browser', async ({ page, syncLogs, server }) => {
  await server.setFaults([{ path: '/api/v1/runs', status: 404, body: '{"error":{"code":"not_found","message":"no such resource"}}', content_type: 'application/json' }]);
  const url = `${server.url}/runs?limit=5000&from=${encodeURIComponent(from())}`;
  await page.goto(url);
  await expect(page.locator('.runs-source')).toHaveText(/runs grouped from 5,000 loaded records/);
  await checkRunsAgainstLog(page, syncLogs, url);
});

test('the tabs keep the instance and range between the records and the runs', async ({ page, server }) => {
  await page.goto(`${server.url}/sync-logs?instance=${encodeURIComponent('SAP B1 → Shopify')}&q=abc`);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Runs' }).click();
  await expect(page).toHaveURL(/\/runs\?instance=SAP/);
  expect(new URL(page.url()).searchParams.get('q')).toBeNull();
  await expect(page.getByRole('link', { name: 'Runs' })).toHaveAttribute('aria-current', 'page');
  // Read once the runs are there (read at once, a busy machine found the table empty).
  const cells = page.locator('.runs-table tbody tr td:nth-child(2)');
  await expect(cells.first()).toBeVisible();
  const instances = await cells.allInnerTexts();
  expect(new Set(instances)).toEqual(new Set(['SAP B1 → Shopify']));
});
