// The baseline of the benchmark: the Sync Logs table as a team would build it on AG Grid
// Community. The same query, pages and columns as the app; rows parsed with
// `Response.json()`; search with AG Grid's quick filter; select all with the header
// checkbox; CSV with `getDataAsCsv`. `window.grid` exposes the grid API to the harness.
(async () => {
  const params = new URLSearchParams(location.search);
  const limit = Number(params.get('limit') ?? 100000);
  const from = params.get('from');
  const pageSize = 10000;
  const count = document.getElementById('count');
  const fmt = (n) => n.toLocaleString('en-US');
  const started = (p) => (p.value ? p.value.slice(0, 19).replace('T', ' ') : '');

  agGrid.ModuleRegistry.registerModules([agGrid.AllCommunityModule]);
  const api = agGrid.createGrid(document.getElementById('grid'), {
    columnDefs: [
      { field: 'status', headerName: 'Status', width: 130 },
      { field: 'instance', headerName: 'Instance', width: 190 },
      { field: 'entity_type', headerName: 'Entity Type', width: 130 },
      { field: 'source_id', headerName: 'Source ID', width: 150 },
      { field: 'target_id', headerName: 'Target ID', width: 150 },
      { field: 'operation', headerName: 'Operation', width: 110 },
      { field: 'started_at', headerName: 'Started (UTC)', width: 170, valueFormatter: started },
      { field: 'details', headerName: 'Details', flex: 1, minWidth: 240 },
    ],
    defaultColDef: { sortable: true, filter: true, resizable: true },
    rowHeight: 37,
    animateRows: false,
    rowSelection: { mode: 'multiRow', selectAll: 'filtered' },
    getRowId: (p) => String(p.data.id),
    rowData: [],
    onModelUpdated: () => {
      if (api) count.textContent = `${fmt(api.getDisplayedRowCount())} rows`;
    },
  });
  window.grid = api;
  document.getElementById('search').addEventListener('input', (event) => {
    api.setGridOption('quickFilterText', event.target.value);
  });

  const items = [];
  let cursor = null;
  while (items.length < limit) {
    const q = new URLSearchParams({ limit: String(Math.min(pageSize, limit - items.length)) });
    if (from) q.set('from', from);
    if (cursor) q.set('cursor', cursor);
    const page = await (await fetch(`/api/v1/sync-logs?${q}`)).json();
    for (const item of page.items) items.push(item);
    count.textContent = `Loading… ${fmt(items.length)}`;
    if (!page.next_cursor || page.items.length === 0) break;
    cursor = page.next_cursor;
  }
  api.setGridOption('rowData', items);
  window.gridRows = items;
  count.textContent = `${fmt(api.getDisplayedRowCount())} rows`;
  count.dataset.loaded = String(items.length);
})();
