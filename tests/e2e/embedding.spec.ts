// Embedded in a portal on another 127.0.0.1 port: the portal sets the view by
// postMessage and hears the selection; a message from an unlisted origin, or a malformed
// one, changes nothing; a 401 asks the portal for a token, and the token is used.
import { Frame, Page } from '@playwright/test';
import { test, expect } from './fixtures/test';
import { HostPortal } from './fixtures/host';
import { ReferenceServer } from './fixtures/server';

const INSTANCE = 'SAP B1 → Shopify';

async function portalWith(server: ReferenceServer, allowed: string[], page: Page, portal: HostPortal) {
  await server.setFaults([{
    path: '/config.json', status: 200,
    body: JSON.stringify({ api_base_url: '/api/v1', allowed_parent_origins: allowed }),
  }]);
  await page.goto(portal.origin);
}

function appFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().includes('/sync-logs'));
  if (!frame) throw new Error('no app frame');
  return frame;
}

const received = (page: Page) => page.evaluate(() => (window as any).received as any[]);

test.describe('embedded in a portal', () => {
  let listed: HostPortal;
  let unlisted: HostPortal;

  test.beforeEach(async ({ server }) => {
    listed = await HostPortal.start(`${server.url}/sync-logs?embed=1`);
    unlisted = await HostPortal.start(`${server.url}/sync-logs?embed=1`);
  });
  test.afterEach(async () => {
    await listed.stop();
    await unlisted.stop();
  });

  test('the portal sets filters by message and hears selection changes and the height', async ({ server, page }) => {
    await portalWith(server, [listed.origin], page, listed);
    await expect.poll(() => page.frames().length).toBe(2);
    const app = page.frameLocator('#app');
    await expect(app.locator('tbody tr[data-id]').first()).toBeVisible();
    // No app chrome inside the portal.
    await expect(app.locator('.app-header')).toHaveCount(0);
    await expect.poll(async () => (await received(page)).some((m) => m.type === 'sync-logs:height' && m.height > 100)).toBe(true);

    await page.evaluate((q) => (window as any).send({ type: 'sync-logs:set-view', query: q }),
      `instance=${encodeURIComponent(INSTANCE)}&tone=failed`);
    await expect.poll(() => appFrame(page).url()).toContain('tone=failed');
    expect(appFrame(page).url()).toContain('embed=1');
    await expect.poll(async () => {
      const instances = await app.locator('tbody tr[data-id] td:nth-child(3)').allInnerTexts();
      return instances.length > 0 && instances.every((t) => t === INSTANCE);
    }).toBe(true);
    await expect.poll(async () => (await received(page)).some((m) => m.type === 'sync-logs:view' && m.query.includes('tone=failed'))).toBe(true);

    // Theming through the documented custom properties.
    await page.evaluate(() => (window as any).send({ type: 'sync-logs:theme', vars: { '--sl-accent': '#7b2cbf' } }));
    await expect.poll(() => appFrame(page).evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--sl-accent').trim())).toBe('#7b2cbf');

    const first = app.locator('tbody tr[data-id]').first();
    const id = await first.getAttribute('data-id');
    await first.getByRole('checkbox').check();
    await expect.poll(async () => (await received(page)).filter((m) => m.type === 'sync-logs:selection').at(-1))
      .toEqual({ type: 'sync-logs:selection', count: 1, ids: [id], all_matching: false });
  });

  test('a malformed message and an unknown type change nothing', async ({ server, page }) => {
    await portalWith(server, [listed.origin], page, listed);
    const app = page.frameLocator('#app');
    await expect(app.locator('tbody tr[data-id]').first()).toBeVisible();
    const before = appFrame(page).url();
    for (const data of [
      'sync-logs:set-view',
      { type: 'sync-logs:set-view', query: 42 },
      { type: 'sync-logs:set-view' },
      { type: 'sync-logs:drop-tables' },
      { type: 'sync-logs:theme', vars: { '--sl-bg': 'url(https://x.invalid/a.png)' } },
      null,
    ]) {
      await page.evaluate((d) => (window as any).send(d), data as any);
    }
    await page.waitForTimeout(500);
    expect(appFrame(page).url()).toBe(before);
    expect(await appFrame(page).evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--sl-bg'))).not.toContain('url(');
  });

  test('a portal whose origin is not listed is ignored, and hears nothing', async ({ server, page }) => {
    await portalWith(server, [listed.origin], page, unlisted);
    const app = page.frameLocator('#app');
    await expect(app.locator('tbody tr[data-id]').first()).toBeVisible();
    const before = appFrame(page).url();
    await page.evaluate(() => (window as any).send({ type: 'sync-logs:set-view', query: 'tone=failed' }));
    await app.locator('tbody tr[data-id]').first().getByRole('checkbox').check();
    await page.waitForTimeout(500);
    expect(appFrame(page).url()).toBe(before);
    expect(await received(page)).toEqual([]);
  });

  test('a 401 asks the portal for a token; the token is sent and the load retried', async ({ server, page }) => {
    await portalWith(server, [listed.origin], page, listed);
    const app = page.frameLocator('#app');
    await expect(app.locator('tbody tr[data-id]').first()).toBeVisible();
    const auth: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/sync-logs')) auth.push(r.headers()['authorization'] ?? '');
    });
    await server.setFaults([
      { path: '/config.json', status: 200, body: JSON.stringify({ api_base_url: '/api/v1', allowed_parent_origins: [listed.origin] }) },
      { path: '/api/v1/sync-logs', status: 401, times: 1 },
    ]);
    await page.evaluate(() => (window as any).send({ type: 'sync-logs:set-view', query: 'tone=failed&source_id=SO' }));
    await expect.poll(async () => (await received(page)).some((m) => m.type === 'sync-logs:token-request')).toBe(true);
    await page.evaluate(() => (window as any).send({ type: 'sync-logs:token', token: 'portal-token-123' }));
    await expect.poll(() => auth.at(-1)).toBe('Bearer portal-token-123');
    await expect(app.getByRole('alert').filter({ hasText: 'session has expired' })).toBeHidden();
    // Kept in memory only.
    expect(await appFrame(page).evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain('portal-token-123');
  });
});

test.describe('the embed flag of the address', () => {
  const embedParams = (url: string) => new URL(url).searchParams.getAll('embed');

  test('is kept exactly as given while the view changes', async ({ syncLogs, page }) => {
    for (const flag of ['0', '1']) {
      await syncLogs.open(`/sync-logs?embed=${flag}`);
      await syncLogs.waitForLoaded(100);
      await syncLogs.cardButton('Failed').click();
      await expect(page).toHaveURL(/tone=failed/);
      await syncLogs.sourceId.fill('SKU');
      await expect(page).toHaveURL(/source_id=SKU/);
      expect(embedParams(page.url())).toEqual([flag]);
      await expect(page.locator('.app')).toHaveClass(flag === '1' ? /\bembedded\b/ : /^app$/);
      await expect(page.locator('.app-header')).toHaveCount(flag === '1' ? 0 : 1);
    }
  });

  test('embed=0 opens a deployment configured as embedded on its own', async ({ syncLogs, server, page }) => {
    await server.setFaults([{
      path: '/config.json', status: 200, body: JSON.stringify({ api_base_url: '/api/v1', embedded: true }),
    }]);
    await syncLogs.open('/sync-logs');
    await expect(page.locator('.app')).toHaveClass(/\bembedded\b/);
    await syncLogs.open('/sync-logs?embed=0');
    await syncLogs.waitForLoaded(100);
    await expect(page.locator('.app-header')).toBeVisible();
    await syncLogs.cardButton('Failed').click();
    await expect(page).toHaveURL(/tone=failed/);
    expect(embedParams(page.url())).toEqual(['0']);
  });
});
