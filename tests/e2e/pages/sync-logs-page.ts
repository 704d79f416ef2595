// Page object of the Sync Logs screen: how a user finds things on it.
import { expect, Locator, Page } from '@playwright/test';

export class SyncLogsPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly errorState: Locator;
  readonly emptyState: Locator;
  readonly retry: Locator;
  readonly notice: Locator;
  readonly instance: Locator;
  readonly entityType: Locator;
  readonly sourceId: Locator;
  readonly limit: Locator;
  readonly clear: Locator;
  readonly popover: Locator;
  readonly loading: Locator;

  constructor(readonly page: Page, private readonly base: string) {
    this.table = page.locator('table.log-table');
    // Only the rows in view are rendered; spacer rows carry no data-id.
    this.rows = this.table.locator('tbody tr[data-id]');
    this.errorState = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
    this.emptyState = page.locator('.state-empty');
    this.retry = page.getByRole('button', { name: 'Retry', exact: true });
    this.notice = page.locator('.notice');
    const bar = page.getByRole('search', { name: 'Filter sync records' });
    this.instance = bar.getByLabel('Instance');
    this.entityType = bar.getByLabel('Entity Type');
    this.sourceId = bar.getByLabel('Source ID');
    this.limit = bar.getByLabel('Limit');
    this.clear = bar.getByRole('button', { name: 'Clear' });
    this.popover = page.getByRole('dialog', { name: 'Full details' });
    this.loading = page.getByRole('status').filter({ hasText: 'Loading sync records' });
  }

  /** A stat card by its title, e.g. "Failed" or "Total Operations". */
  card(title: string): Locator {
    return this.page.locator('.stat-card').filter({ has: this.page.locator('.stat-label', { hasText: new RegExp(`^\\W*${title}$`) }) });
  }

  /** The button of a stat card that narrows the loaded rows to its tone. */
  cardButton(title: string): Locator {
    return this.card(title).locator('.stat-main');
  }

  /** A card's count of the loaded rows (matching the view), separators removed. */
  async cardValue(title: string): Promise<string> {
    return (await this.card(title).locator('.stat-loaded').innerText()).replace(/,/g, '');
  }

  /** A card's count of the whole range (the backend's summary), separators removed. */
  async cardInRange(title: string): Promise<string> {
    return (await this.card(title).locator('.stat-range').innerText()).replace(/,/g, '');
  }

  /** The time-zone switch button. */
  zone(label: 'UTC' | 'Local'): Locator {
    return this.page.getByRole('radio', { name: label });
  }

  /** The number of rows the table holds (rendered or not), from aria-rowcount. */
  async rowCount(): Promise<number> {
    return Number(await this.table.getAttribute('aria-rowcount')) - 1;
  }

  /** Waits until no load is running and the given number of rows is loaded; large loads
   * pass a longer `timeout` (ms) than the default 10 s. */
  async waitForLoaded(count: number, timeout?: number): Promise<void> {
    const n = count.toLocaleString('en-US');
    await expect(this.page.locator('.row-count')).toHaveText(new RegExp(`^(${n} records loaded|[\\d,]+ of ${n} loaded records shown)$`), { timeout });
  }

  /** Opens a path of the app, e.g. `/` or `/sync-logs?instance=…`. */
  async open(path = '/sync-logs'): Promise<void> {
    await this.page.goto(`${this.base}${path}`);
  }

  /** Changes the address without a reload, as in-app navigation does. */
  async navigateInApp(path: string): Promise<void> {
    await this.page.evaluate((p) => {
      history.pushState(null, '', p);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, path);
  }

  /** The sync ids of the shown rows, top to bottom. */
  async rowIds(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));
  }

  /** The text of one data column (0 = Status) for every shown row; the selection
   *  checkbox cell before the data columns is skipped. */
  async column(index: number): Promise<string[]> {
    return this.rows.evaluateAll(
      (rows, i) => rows.map((r) => (r.querySelectorAll('td:not(.col-select)')[i] as HTMLElement).innerText.trim()),
      index,
    );
  }
}
