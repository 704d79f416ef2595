// Page object of the Sync Logs screen: how a user finds things on it.
import { Locator, Page } from '@playwright/test';

export class SyncLogsPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly errorState: Locator;
  readonly emptyState: Locator;
  readonly retry: Locator;
  readonly notice: Locator;

  constructor(readonly page: Page, private readonly base: string) {
    this.table = page.locator('table.log-table');
    this.rows = this.table.locator('tbody tr');
    this.errorState = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
    this.emptyState = page.locator('.state-empty');
    this.retry = page.getByRole('button', { name: 'Retry' });
    this.notice = page.locator('.notice');
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

  /** The text of one column for every shown row. */
  async column(index: number): Promise<string[]> {
    return this.rows.evaluateAll(
      (rows, i) => rows.map((r) => (r.children[i] as HTMLElement).innerText.trim()),
      index,
    );
  }
}
