// The timeline: hover reads out a bucket, dragging across it narrows the range in the URL.
import { test, expect } from './fixtures/test';

test('dragging across the timeline narrows the range in the URL and reloads it', async ({ syncLogs, page }) => {
  const to = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const from = new Date(to.getTime() - 15 * 86_400_000);
  await syncLogs.open(`/sync-logs?limit=4000&from=${from.toISOString()}&to=${to.toISOString()}`);
  await syncLogs.waitForLoaded(4000);
  const chart = page.locator('.timeline-chart');
  await expect(chart).toHaveAttribute('role', 'img');
  await expect(page.locator('.timeline-readout')).toContainText('Outcomes per 6 hour(s)');

  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
  await expect(page.locator('.timeline-readout')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:00:00 – \d{4}-\d\d-\d\d \d\d:00:00: [\d,]+ records/);

  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).not.toBe(from.toISOString().replace('.000Z', 'Z'));
  const params = new URL(page.url()).searchParams;
  const narrowedFrom = new Date(params.get('from')!);
  const narrowedTo = new Date(params.get('to')!);
  // About 30 % to 60 % of 15 days, on whole 6-hour buckets.
  const days = (d: Date) => (d.getTime() - from.getTime()) / 86_400_000;
  expect(days(narrowedFrom)).toBeGreaterThan(4);
  expect(days(narrowedFrom)).toBeLessThan(5);
  expect(days(narrowedTo)).toBeGreaterThan(9);
  expect(days(narrowedTo)).toBeLessThan(9.5);
  expect(narrowedFrom.getUTCHours() % 6).toBe(0);

  // The log now holds only that range, and back returns to the whole one.
  await expect(page.locator('.row-count')).not.toHaveText("4,000 records loaded");
  const started = await syncLogs.column(6);
  for (const text of started.slice(0, 20)) {
    const at = new Date(text.replace(' ', 'T') + 'Z');
    expect(at.getTime()).toBeGreaterThanOrEqual(narrowedFrom.getTime());
    expect(at.getTime()).toBeLessThan(narrowedTo.getTime());
  }
  await page.goBack();
  await syncLogs.waitForLoaded(4000);
});
