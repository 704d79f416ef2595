// Accessibility: axe-core finds no serious or critical violation in the states that
// matter (with data, with a popover open, with the resync dialog open, in the error
// state); the whole flow works from the keyboard with a visible focus; loads, errors and
// resync outcomes are announced through live regions.
import AxeBuilder from '@axe-core/playwright';
import { Page } from '@playwright/test';
import { test, expect } from './fixtures/test';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test.describe('axe finds no serious or critical violation', () => {
  test('on the page with data', async ({ syncLogs, page }) => {
    await syncLogs.open();
    await syncLogs.waitForLoaded(100);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('with the details popover open', async ({ syncLogs, page }) => {
    await syncLogs.open('/sync-logs?tone=failed');
    await syncLogs.waitForLoaded(100);
    await syncLogs.table.locator('td.details button').first().focus();
    await expect(syncLogs.popover).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('with the resync dialog open', async ({ syncLogs, page }) => {
    await syncLogs.open('/sync-logs?tone=failed');
    await syncLogs.waitForLoaded(100);
    await syncLogs.rows.first().getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Resync…' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('in the error state', async ({ syncLogs, server, page }) => {
    await server.setFaults([{ path: '/api/v1/sync-logs', status: 403, times: 1 }]);
    await syncLogs.open();
    await expect(page.getByRole('alert').filter({ hasText: 'not permitted' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('on the runs page', async ({ page, server }) => {
    // One instance's runs: the same table, outcome bars and filters. All of them (about
    // 1,500 unwindowed rows) take axe 11–16 s alone, and over 30 s beside another worker.
    await page.goto(`${server.url}/runs?instance=${encodeURIComponent('SAP B1 → Shopify')}`);
    await expect(page.locator('.outcome-bar').first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

/** Presses Tab until `target` has the focus (at most `max` times). */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, max = 200): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${target} was never reached with Tab`);
}

/** Whether the focused element shows a focus ring (outline or box shadow). */
async function focusVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return false;
    const style = getComputedStyle(el);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  });
}

test('filter, refine, select and resync with the keyboard alone, the focus always visible', async ({ syncLogs, page }) => {
  await syncLogs.open();
  await syncLogs.waitForLoaded(100);

  // A server filter from the keyboard.
  await tabTo(page, syncLogs.instance);
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press('ArrowDown');
  await expect(page).toHaveURL(/instance=/);
  await syncLogs.waitForLoaded(100);

  // A stat card narrows the rows.
  const failedCard = syncLogs.cardButton('Failed');
  await tabTo(page, failedCard);
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/tone=failed/);

  // Into the table: rows are one tab stop; arrows move, Space ticks.
  const firstRow = syncLogs.rows.first();
  await tabTo(page, firstRow);
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press('Space');
  await expect(firstRow.getByRole('checkbox')).toBeChecked();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await expect(syncLogs.rows.nth(1).getByRole('checkbox')).toBeChecked();

  // The resync dialog opens, holds the focus, and Escape closes it.
  const resync = page.getByRole('button', { name: 'Resync…' });
  await resync.focus();
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('loads, errors and resync outcomes are announced in live regions', async ({ syncLogs, server, page }) => {
  await syncLogs.open('/sync-logs?tone=failed');
  const count = page.locator('[aria-live="polite"]').filter({ hasText: /records loaded|loaded records shown/ });
  await expect(count).toBeVisible();

  await server.setFaults([{ path: '/api/v1/sync-logs', status: 400, times: 1 }]);
  await syncLogs.navigateInApp('/sync-logs?tone=failed&source_id=ZZ');
  await expect(page.getByRole('alert').filter({ hasText: 'could not be loaded' })).toBeVisible();

  // A failed update with attempts left: resynced without being left out as risky.
  const { items } = await server.api<{ items: any[] }>('/sync-logs?status=failed&limit=2000');
  const safe = items.find((i) => i.operation === 'update' && i.target_id && (i.attempts ?? 1) < 4);
  await syncLogs.navigateInApp(`/sync-logs?id=${safe.id}`);
  await syncLogs.rows.first().getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Resync…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: /^Resync \d+ record/ }).click();
  const report = page.getByRole('status', { name: 'Resync outcome' });
  await expect(report).toHaveAttribute('aria-live', 'polite');
  await expect(report).toContainText(/Resync sent/);
});
