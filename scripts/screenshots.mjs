// Regenerates the README's pictures from the demo: the reference server with fresh demo
// data, the built app, headless Chromium. Run through `bash scripts/screenshots.sh`, which
// builds both first; writes docs/images/*.png.
//
// Each picture is a view a user opens by its address, so they stay true to the app as it
// is; nothing on the page is staged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startReferenceServer } from '../bench/lib/servers.mjs';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'docs/images');
const dir = mkdtempSync(join(tmpdir(), 'sync-logs-shots-'));
const { child: server, url: base } = await startReferenceServer(root, dir, 20_000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

async function shot(name, path, { dark = false, prepare } = {}) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, colorScheme: dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  await page.goto(`${base}${path}`);
  await page.locator('.row-count, .runs-table, .state-empty').first().waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('.state-loading'), null, { timeout: 30_000 });
  if (prepare) await prepare(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, `${name}.png`) });
  console.log(`docs/images/${name}.png`);
  await context.close();
}

const selectAndOpenResync = async (page) => {
  const boxes = page.locator('tbody tr[data-id] input[type=checkbox]:not([disabled])');
  for (let i = 0; i < 4; i++) await boxes.nth(i).check();
  await page.getByRole('button', { name: 'Resync…' }).click();
  await page.getByRole('dialog').waitFor();
};

try {
  await shot('sync-logs', '/sync-logs?limit=1000');
  await shot('runs', '/runs?limit=1000');
  await shot('resync-dialog', '/sync-logs?tone=failed&limit=1000', { prepare: selectAndOpenResync });
  await shot('sync-logs-dark', '/sync-logs?limit=1000', { dark: true });
} finally {
  await browser.close();
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
