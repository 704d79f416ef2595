// The built app under the strict Content Security Policy the reference server sends (no
// 'unsafe-inline', no 'unsafe-eval'): it loads and works with zero violations, and the
// policy is really in force. Plus the other headers of docs/deployment.md.
import { test, expect } from './fixtures/test';

test('the server sends the documented security and caching headers', async ({ server }) => {
  const index = await fetch(`${server.url}/sync-logs?instance=x`);
  const csp = index.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("frame-ancestors 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain("'unsafe-eval'");
  expect(index.headers.get('x-content-type-options')).toBe('nosniff');
  expect(index.headers.get('cache-control')).toBe('no-cache');
  const html = await index.text();
  // No inline script left: the loader is a file of its own, with an integrity hash.
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  const loader = html.match(/<script type="module" src="([^"]+)" integrity="sha384-[^"]+"/);
  expect(loader).not.toBeNull();

  const asset = await fetch(`${server.url}${loader![1]}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  const config = await fetch(`${server.url}/config.json`);
  expect(config.headers.get('cache-control')).toBe('no-cache');
  const api = await fetch(`${server.url}/api/v1/instances`);
  expect(api.headers.get('x-content-type-options')).toBe('nosniff');
});

test('the app runs under the policy with zero violations, and the policy is enforced', async ({ syncLogs, page }) => {
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as any).__violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`);
    });
  });
  const consoleViolations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) consoleViolations.push(m.text()); });

  await syncLogs.open();
  await syncLogs.waitForLoaded(100);
  // Exercise every place that sets styles at run time: the popover's position, the
  // table's spacers while scrolling, the timeline, the runs page's outcome bars.
  // (Not every record has a message; other tests on this server add new ones.)
  await syncLogs.table.locator('td.details button').first().focus();
  await expect(syncLogs.popover).toBeVisible();
  await syncLogs.limit.selectOption('1000');
  await syncLogs.waitForLoaded(1000);
  await page.locator('.table-wrap').evaluate((el) => { el.scrollTop = 5000; });
  await expect.poll(async () => Number(await page.locator('tr.spacer').first().evaluate((el) => parseFloat(getComputedStyle(el).height)))).toBeGreaterThan(1000);
  await page.getByRole('link', { name: 'Runs' }).click();
  const bar = page.locator('.outcome-bar').first();
  await expect(bar).toBeVisible();
  expect(await bar.evaluate((el) => getComputedStyle(el).getPropertyValue('--s'))).toMatch(/%$/);

  expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
  expect(consoleViolations).toEqual([]);

  // In force: an injected inline script and an inline style attribute are refused.
  const inline = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.appendChild(s);
    return (window as any).__inlineRan === true;
  });
  expect(inline).toBe(false);
  const styled = await page.evaluate(() => {
    const p = document.createElement('p');
    p.setAttribute('style', 'color: rgb(255, 0, 0)');
    document.body.appendChild(p);
    return getComputedStyle(p).color;
  });
  expect(styled).not.toBe('rgb(255, 0, 0)');
  await expect.poll(() => page.evaluate(() => (window as any).__violations.length)).toBe(2);
});

test('values that look like links never become links', async ({ syncLogs, server, page }) => {
  const item = {
    id: 'js1', status: 'failed', instance: 'javascript:alert(1)', entity_type: 'item', source_id: 'javascript:alert(2)',
    started_at: '2026-11-20T10:00:05Z', details: 'see https://example.invalid/x', correlation_id: 'javascript:alert(3)',
  };
  await server.setFaults([{ path: '/api/v1/sync-logs', status: 200, body: JSON.stringify({ items: [item] }) }]);
  await syncLogs.open();
  await expect(syncLogs.rows).toHaveCount(1);
  const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  for (const href of hrefs) expect(href).not.toMatch(/^\s*javascript:/i);
  expect(await page.locator('a[href*="example.invalid"]').count()).toBe(0);
});

test('a record id of . or .. never becomes part of a request path', async ({ syncLogs, server, page }) => {
  const base = { status: 'failed', instance: 'erp', entity_type: 'item', started_at: '2026-11-20T10:00:05Z', details: 'E1' };
  const items = [
    { ...base, id: '..', source_id: 'dots' },
    { ...base, id: '.', source_id: 'dot', started_at: '2026-11-20T10:00:04Z' },
    { ...base, id: 'fine', source_id: 'fine', started_at: '2026-11-20T10:00:03Z' },
  ];
  await server.setFaults([{ path: '/api/v1/sync-logs', status: 200, body: JSON.stringify({ items }) }]);
  const asked: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/')) asked.push(new URL(r.url()).pathname); });
  await syncLogs.open();
  await expect(syncLogs.rows).toHaveCount(3);
  for (const id of ['..', '.']) {
    const row = page.locator(`tbody tr[data-id="${id}"]`);
    // Shown and flagged, not dropped.
    await expect(row.locator('.row-flag')).toHaveAttribute('aria-label', /id/);
    await row.getByRole('button', { name: /^History of record/ }).click();
    const panel = page.getByRole('dialog', { name: /^History of / });
    await expect(panel).toContainText('cannot be sent in a request path');
    await expect(panel.locator('.history-item')).toHaveCount(1);
    await panel.getByRole('button', { name: 'Close' }).click();
  }
  // The row with an ordinary id still asks the server.
  await page.locator('tbody tr[data-id="fine"]').getByRole('button', { name: /^History of record/ }).click();
  await expect.poll(() => asked.some((p) => p.endsWith('/sync-logs/fine/attempts'))).toBe(true);
  // Nothing was sent to a path a dot segment would have resolved to.
  expect(asked.filter((p) => /\/api\/v1\/(attempts|events)$|\/sync-logs\/\.\.?\//.test(p))).toEqual([]);
  expect(asked.filter((p) => p.endsWith('/attempts') || p.endsWith('/events')).every((p) => p.includes('/fine/'))).toBe(true);
});
