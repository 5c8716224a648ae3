// A keyed table: rows are kept by entity id and updated in place, so a live update never throws
// away a half-typed input or a focused button, and rows keep their identity for tests and users.

/**
 * columns: [{ field, className, init(td, currentItem), update(td, item) }]; `init` runs once per
 * row (for buttons and inputs), `update` on every render.
 */
export function renderTable(table, items, key, columns) {
  const tbody = table.tBodies[0];
  const stale = new Map([...tbody.rows].map((row) => [row.dataset.id, row]));
  let previous = null;
  for (const item of items) {
    const id = key(item);
    let row = stale.get(id);
    if (row) {
      stale.delete(id);
    } else {
      row = createRow(id, columns);
    }
    row.item = item;
    columns.forEach((column, i) => column.update?.(row.cells[i], item));
    const expected = previous ? previous.nextSibling : tbody.firstChild;
    if (row !== expected) {
      tbody.insertBefore(row, expected);
    }
    previous = row;
  }
  stale.forEach((row) => row.remove());
  const empty = table.parentElement.querySelector(`[data-empty-for="${table.id}"]`);
  if (empty) {
    empty.hidden = items.length > 0;
  }
}

function createRow(id, columns) {
  const row = document.createElement('tr');
  row.dataset.id = id;
  for (const column of columns) {
    const td = row.insertCell();
    td.dataset.field = column.field;
    if (column.className) {
      td.className = column.className;
    }
    column.init?.(td, () => row.item);
  }
  return row;
}

/** A plain text cell, with an optional second line in grey. */
export function text(field, value, className, sub) {
  return {
    field,
    className,
    update(td, item) {
      const main = String(value(item) ?? '—');
      const second = sub ? sub(item) : null;
      if (td.dataset.main === main && td.dataset.second === String(second)) {
        return;
      }
      td.dataset.main = main;
      td.dataset.second = String(second);
      td.textContent = main;
      if (second) {
        const span = document.createElement('span');
        span.className = 'sub';
        span.textContent = second;
        td.append(span);
      }
    },
  };
}

/**
 * A coloured badge: value(item) returns [label, tone] with tone ok | info | warn | bad | '';
 * sub(item), if given, is a grey line under it (e.g. what is wrong).
 */
export function badge(field, value, sub) {
  return {
    field,
    init(td) {
      const note = document.createElement('span');
      note.className = 'sub';
      td.append(document.createElement('span'), note);
    },
    update(td, item) {
      const [label, tone] = value(item);
      const [span, note] = td.children;
      span.textContent = label;
      span.className = `badge ${tone}`;
      note.textContent = sub ? (sub(item) ?? '') : '';
    },
  };
}

/** A button whose label and enabled state follow the item; onClick gets the row's current item. */
export function button(label, onClick, { enabled = () => true, danger = false } = {}) {
  const element = document.createElement('button');
  element.type = 'button';
  if (danger) {
    element.classList.add('danger');
  }
  element.update = (item) => {
    element.textContent = typeof label === 'function' ? label(item) : label;
    element.disabled = element.busy || !enabled(item);
  };
  element.bind = (currentItem) => {
    element.addEventListener('click', async () => {
      element.busy = true;
      element.disabled = true;
      try {
        await onClick(currentItem());
      } finally {
        element.busy = false;
        element.update(currentItem());
      }
    });
  };
  return element;
}

/** A cell of buttons made by makeButtons() once per row. */
export function actions(field, makeButtons) {
  return {
    field,
    className: 'actions',
    init(td, currentItem) {
      for (const b of makeButtons()) {
        b.bind(currentItem);
        td.append(b, ' ');
      }
    },
    update(td, item) {
      td.querySelectorAll('button').forEach((b) => b.update(item));
    },
  };
}
