// The Details popover (hover and keyboard focus, Escape, copy, hostile text) and the
// Started column's time zones.
import { test, expect } from './fixtures/test';

const LONG = `HTTP 422 Unprocessable Entity: ${'payload line\n'.repeat(20_000)}END-OF-MESSAGE`;
const XSS = '<img src=x onerror=alert(1)>';

function item(id: string, status: string, details: string | null) {
  return {
    id, status, instance: 'SAP B1 → Shopify', entity_type: 'item', source_id: `SKU-${id}`,
    started_at: '2026-11-20T10:00:05Z', details, correlation_id: 'run_x',
  };
}

test.beforeEach(async ({ server }) => {
  const body = JSON.stringify({
    items: [item('1', 'failed', LONG), item('2', 'failed', XSS), item('3', 'ok', null)],
    next_cursor: null,
  });
  await server.setFaults([{ path: '/api/v1/sync-logs', status: 200, body }]);
});

test('hovering a long message shows all of it, and leaving closes it', async ({ syncLogs }) => {
  await syncLogs.open();
  await expect(syncLogs.rows).toHaveCount(3);
  const cell = syncLogs.rows.first().locator('.details-trigger');
  expect((await cell.innerText()).length).toBeLessThan(300);
  await cell.hover();
  await expect(syncLogs.popover).toBeVisible();
  await expect(syncLogs.popover).toContainText('END-OF-MESSAGE');
  await expect(syncLogs.popover.locator('pre')).toHaveText(LONG, { useInnerText: false });
  await syncLogs.page.mouse.move(5, 5);
  await expect(syncLogs.popover).toBeHidden();
});

test('keyboard focus shows the message and Escape closes it', async ({ syncLogs, page }) => {
  await syncLogs.open();
  await expect(syncLogs.rows).toHaveCount(3);
  await syncLogs.sourceId.focus();
  // Tab from the filter bar until the first Details button has focus.
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.classList.contains('details-trigger'))) break;
  }
  await expect(syncLogs.rows.first().locator('.details-trigger')).toBeFocused();
  await expect(syncLogs.popover).toBeVisible();
  await expect(syncLogs.popover).toContainText('END-OF-MESSAGE');
  await page.keyboard.press('Escape');
  await expect(syncLogs.popover).toBeHidden();
  await expect(syncLogs.rows.first().locator('.details-trigger')).toBeFocused();
});

test('the copy button puts the whole message on the clipboard', async ({ syncLogs, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await syncLogs.open();
  await syncLogs.rows.first().locator('.details-trigger').hover();
  await syncLogs.popover.getByRole('button', { name: 'Copy' }).click();
  await expect(syncLogs.popover.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(LONG);
});

test('markup in a message renders as text, in the cell and in the popover', async ({ syncLogs, page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  await syncLogs.open();
  const row = syncLogs.rows.nth(1);
  await expect(row.locator('.details-trigger')).toHaveText(XSS);
  await row.locator('.details-trigger').hover();
  await expect(syncLogs.popover.locator('pre')).toHaveText(XSS);
  expect(await page.locator('.log-table img, .details-popover img').count()).toBe(0);
  expect(dialogs).toBe(0);
});

test.describe('in a browser five and a half hours ahead of UTC', () => {
  test.use({ timezoneId: 'Asia/Kolkata' });

  test('the UTC/local switch changes the shown time and persists across reload', async ({ syncLogs, page }) => {
    await syncLogs.open();
    const started = syncLogs.rows.first().locator('time');
    await expect(started).toHaveText('2026-11-20 10:00:05');
    await expect(page.locator('thead')).toContainText('Started (UTC)');
    await expect(started).toHaveAttribute('title', /2026-11-20 15:30:05 local, UTC\+05:30 · \d+ days ago/);

    await syncLogs.zone('Local').click();
    await expect(started).toHaveText('2026-11-20 15:30:05');
    await expect(page.locator('thead')).toContainText('Started (local, UTC+05:30)');
    await expect(started).toHaveAttribute('title', /2026-11-20 10:00:05 UTC/);

    await page.reload();
    await expect(syncLogs.rows.first().locator('time')).toHaveText('2026-11-20 15:30:05');
    await expect(syncLogs.zone('Local')).toHaveAttribute('aria-checked', 'true');
    await syncLogs.zone('UTC').click();
    await expect(syncLogs.rows.first().locator('time')).toHaveText('2026-11-20 10:00:05');
  });
});
