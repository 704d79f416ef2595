// Preferences kept in local storage under a versioned key (columns, time zone, density,
// refresh period), and "Reset view" back to the defaults.
import { test, expect } from './fixtures/test';

test('preferences survive a reload; Reset view restores the defaults', async ({ syncLogs, page }) => {
  await syncLogs.open('/sync-logs?tone=failed');
  await syncLogs.waitForLoaded(100);
  const refresh = page.getByRole('combobox', { name: 'Auto-refresh' });
  await refresh.selectOption('60');
  await page.getByLabel('Compact rows').check();
  await syncLogs.zone('Local').click();
  await expect.poll(async () => (await syncLogs.rows.first().boundingBox())!.height).toBe(29);

  await page.reload();
  await syncLogs.waitForLoaded(100);
  await expect(refresh).toHaveValue('60');
  await expect(page.getByLabel('Compact rows')).toBeChecked();
  await expect(syncLogs.zone('Local')).toHaveAttribute('aria-checked', 'true');
  expect((await syncLogs.rows.first().boundingBox())!.height).toBe(29);
  // Compact rows still window correctly: the last row is reachable.
  await page.locator('.table-wrap').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect.poll(async () => Number(await syncLogs.rows.last().getAttribute('aria-rowindex'))).toBe(await syncLogs.rowCount() + 1);
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('sync-logs.prefs.v1') ?? '{}'));
  expect(stored).toMatchObject({ refresh_seconds: 60, density: 'compact', time_zone: 'local' });

  await page.getByRole('button', { name: 'Reset view' }).click();
  await expect(page).toHaveURL(/\/sync-logs$/);
  await expect(refresh).toHaveValue('0');
  await expect(page.getByLabel('Compact rows')).not.toBeChecked();
  await expect(syncLogs.zone('UTC')).toHaveAttribute('aria-checked', 'true');
  await expect.poll(async () => (await syncLogs.rows.first().boundingBox())!.height).toBe(37);
});
