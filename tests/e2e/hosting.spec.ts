// Static hosting under a sub-path: the app built with `--public-url /console/` (dist-sub/,
// made by scripts/test.sh) and served under /console loads, follows its own links, deep
// links and reloads, and finds its config.json beside its index.html.
import { join } from 'node:path';
import { test, expect } from './fixtures/test';
import { ReferenceServer, root } from './fixtures/server';

test.describe('under a sub-path', () => {
  let sub: ReferenceServer;
  test.beforeAll(async () => {
    sub = await ReferenceServer.start({ dist: join(root, 'dist-sub'), args: ['--base-path', '/console'], seedCount: 2000 });
  });
  test.afterAll(async () => { await sub.stop(); });

  test('loads, navigates, deep-links and reloads', async ({ page }) => {
    const configs: string[] = [];
    page.on('request', (r) => { if (r.url().endsWith('config.json')) configs.push(new URL(r.url()).pathname); });
    await page.goto(`${sub.url}/console/`);
    // The root redirects to the log, under the base.
    await expect(page).toHaveURL(`${sub.url}/console/sync-logs`);
    await expect(page.locator('.row-count')).toHaveText('100 records loaded');
    expect(configs).toEqual(['/console/config.json']);

    // A filter change stays under the base.
    await page.locator('.card-failed .stat-main').click();
    await expect(page).toHaveURL(/\/console\/sync-logs\?tone=failed$/);

    // The tabs link under the base.
    await page.getByRole('link', { name: 'Runs' }).click();
    await expect(page).toHaveURL(/\/console\/runs/);
    await expect(page.locator('.outcome-bar').first()).toBeVisible();
    await page.reload();
    await expect(page.locator('.outcome-bar').first()).toBeVisible();

    // A deep link with filters opens that view, and survives a reload.
    const deep = `${sub.url}/console/sync-logs?instance=${encodeURIComponent('SAP B1 → Shopify')}&tone=failed`;
    await page.goto(deep);
    await expect(page.getByRole('combobox', { name: 'Instance' })).toHaveValue('SAP B1 → Shopify');
    await page.reload();
    await expect(page.getByRole('combobox', { name: 'Instance' })).toHaveValue('SAP B1 → Shopify');
    await expect(page.locator('tbody tr[data-id]').first()).toBeVisible();
    expect(page.url()).toBe(deep.replace(/ /g, '%20'));

    // An unknown path under the base is the app's not-found page, whose link stays under it.
    await page.goto(`${sub.url}/console/nowhere`);
    await page.getByRole('link', { name: 'Go to Sync Logs' }).click();
    await expect(page).toHaveURL(`${sub.url}/console/sync-logs`);
  });
});

// The build uses WebAssembly SIMD. A browser without it (one older than Safari 16.4, say)
// cannot be had here, so the test takes the answer away from the one check the loader
// makes: the page says why nothing starts, and the app is never started.
test('a browser without WebAssembly SIMD is told which browsers run the app', async ({ page, server }) => {
  await page.addInitScript(() => {
    WebAssembly.validate = () => false;
  });
  await page.goto(`${server.url}/sync-logs`);
  await expect(page.getByRole('alert')).toHaveText(/cannot run Sync Logs: it needs WebAssembly with SIMD \(Chrome or Edge 91, Firefox 89, Safari 16\.4, or later\)/);
  await expect(page.locator('tbody tr')).toHaveCount(0);
  expect(await page.evaluate(() => 'wasmBindings' in window)).toBe(false);

  // The same page in a browser with it starts the app.
  const other = await page.context().newPage();
  await other.goto(`${server.url}/sync-logs`);
  await expect(other.locator('tbody tr[data-id]').first()).toBeVisible();
  await expect(other.locator('.unsupported-browser')).toHaveCount(0);
});
