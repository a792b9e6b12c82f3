extension DashboardScript {
    /// `Logbook.runsTable`: progressive enhancement of the server-rendered runs page.
    static let runsTable = #"""
const HIDDEN_COLUMNS_KEY = 'logbook.runs.hiddenColumns';
const SELECTED_RUNS_KEY = 'logbook.runs.selected';

function readStored(storage, key) {
  try { const value = JSON.parse(storage.getItem(key) || '[]'); return Array.isArray(value) ? value.map(String) : []; }
  catch (error) { return []; }
}
function writeStored(storage, key, values) {
  try { storage.setItem(key, JSON.stringify(values)); } catch (error) { /* storage off: the page still works */ }
}

/** Logbook.runsTable(form) enhances the runs page, which works without it. It expects inside `form` (or the page):
 *    <table> whose header cells are <th data-column="NAME">, rows <tr data-id="RUN"> with
 *    <input type="checkbox" class="select" data-id="RUN">, and optionally <a class="compare">.
 *  It adds
 *    - sort links on headers that have none: ?sort=NAME, or ?sort=-NAME when the page is sorted by NAME already
 *      (the other query parameters kept, offset reset);
 *    - a column chooser (<details class="column-chooser">, one checkbox per column); hidden columns persist in
 *      localStorage under "logbook.runs.hiddenColumns";
 *    - the selection: checked runs (kept across pages in sessionStorage) make the Compare link
 *      /compare?runs=1,2,3; with none it is marked aria-disabled.
 *  Returns {selectedIds(), hiddenColumns(), setColumnHidden(name, hidden)}. */
function runsTable(form) {
  const root = form || document;
  const table = root.querySelector('table') || document.querySelector('table');
  if (!table) return null;
  const headers = [...table.querySelectorAll('th[data-column]')];
  const params = new URLSearchParams(location.search);

  for (const header of headers) {
    if (header.querySelector('a')) continue;
    const column = header.getAttribute('data-column');
    const next = new URLSearchParams(params);
    next.set('sort', params.get('sort') === column ? `-${column}` : column);
    next.delete('offset');
    const link = htmlElement('a', { href: `?${next.toString()}`, class: 'sort' });
    while (header.firstChild) link.appendChild(header.firstChild);
    header.appendChild(link);
    if (params.get('sort') === column) header.setAttribute('aria-sort', 'ascending');
    if (params.get('sort') === `-${column}`) header.setAttribute('aria-sort', 'descending');
  }

  const hidden = new Set(readStored(localStorage, HIDDEN_COLUMNS_KEY));
  function applyColumns() {
    for (const header of headers) {
      const isHidden = hidden.has(header.getAttribute('data-column'));
      const index = header.cellIndex;
      for (const row of table.rows) {
        if (row.cells[index]) row.cells[index].hidden = isHidden;
      }
    }
  }
  function setColumnHidden(name, isHidden) {
    if (isHidden) hidden.add(String(name)); else hidden.delete(String(name));
    writeStored(localStorage, HIDDEN_COLUMNS_KEY, [...hidden]);
    const box = chooser.querySelector(`input[data-column="${CSS.escape(String(name))}"]`);
    if (box) box.checked = !isHidden;
    applyColumns();
  }
  const chooser = htmlElement('details', { class: 'column-chooser' });
  htmlElement('summary', {}, chooser, 'Columns');
  for (const header of headers) {
    const column = header.getAttribute('data-column');
    const label = htmlElement('label', {}, chooser);
    const box = htmlElement('input', { type: 'checkbox', 'data-column': column }, label);
    box.checked = !hidden.has(column);
    box.addEventListener('change', () => setColumnHidden(column, !box.checked));
    label.appendChild(document.createTextNode(` ${header.textContent.trim()}`));
  }
  table.parentNode.insertBefore(chooser, table);
  applyColumns();

  const selected = new Set(readStored(sessionStorage, SELECTED_RUNS_KEY));
  let compare = root.querySelector('a.compare') || document.querySelector('a.compare');
  if (!compare) {
    compare = htmlElement('a', { class: 'compare' }, null, 'Compare');
    table.parentNode.insertBefore(compare, table);
  }
  function updateCompare() {
    const ids = [...selected].sort((a, b) => Number(a) - Number(b));
    writeStored(sessionStorage, SELECTED_RUNS_KEY, ids);
    compare.setAttribute('href', ids.length ? `/compare?runs=${ids.map(encodeURIComponent).join(',')}` : '/compare');
    compare.setAttribute('aria-disabled', ids.length ? 'false' : 'true');
    compare.textContent = ids.length ? `Compare (${ids.length})` : 'Compare';
  }
  for (const box of table.querySelectorAll('input.select[data-id]')) {
    const id = box.getAttribute('data-id');
    if (selected.has(id)) box.checked = true;
    if (box.checked) selected.add(id);
    box.addEventListener('change', () => {
      if (box.checked) selected.add(id); else selected.delete(id);
      updateCompare();
    });
  }
  updateCompare();
  return {
    selectedIds: () => [...selected].sort((a, b) => Number(a) - Number(b)),
    hiddenColumns: () => [...hidden],
    setColumnHidden,
  };
}
Logbook.runsTable = runsTable;
"""#
}
