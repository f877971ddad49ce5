import { getJson } from './api.js';
import { clear, errorBox, fmt, h, statusBadge } from './dom.js';

const PAGE_SIZE = 200;

/** The experiments the token may read: a filterable table; checked rows go to the comparison. */
export function experimentsView(root) {
  let items = [];
  let total = 0;
  let page = 0;
  const selected = new Set();
  let disposed = false;

  const filter = h('input', {
    id: 'experiment-filter', type: 'search', placeholder: 'name, model, dataset, status…', autocomplete: 'off',
    oninput: () => renderRows(),
  });
  const compareButton = h('button', { type: 'button', class: 'primary', disabled: true, onclick: compareSelected },
    'Compare selected');
  const count = h('p', { class: 'muted small', id: 'experiment-count', role: 'status' });
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true, onclick: () => load(page + 1) }, 'Load more');
  const status = h('div');

  root.append(h('section', { class: 'card', 'aria-labelledby': 'experiments-title' },
    h('div', { class: 'section-head' },
      h('h1', { id: 'experiments-title' }, 'Experiments'),
      h('div', { class: 'toolbar' },
        h('label', { for: 'experiment-filter', class: 'visually-hidden' }, 'Filter experiments'),
        filter,
        h('button', { type: 'button', onclick: () => reload() }, 'Refresh'),
        compareButton)),
    count,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data', id: 'experiments' },
        h('caption', { class: 'visually-hidden' }, 'Experiments, newest first'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Select for comparison')),
          h('th', { scope: 'col' }, 'Name'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'Model'),
          h('th', { scope: 'col' }, 'Dataset'),
          h('th', { scope: 'col' }, 'Seeds'),
          h('th', { scope: 'col' }, 'Jobs done'),
          h('th', { scope: 'col' }, 'Created'))),
        body)),
    more,
    status));

  function matches(experiment, words) {
    const spec = experiment.resolvedSpec ?? {};
    const text = [experiment.name, experiment.status, spec.model, spec.dataset, experiment.id, experiment.specHash]
      .join(' ').toLowerCase();
    return words.every((word) => text.includes(word));
  }

  function renderRows() {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = items.filter((experiment) => matches(experiment, words));
    body.replaceChildren(...shown.map(row));
    if (shown.length === 0) {
      body.append(h('tr', {}, h('td', { colspan: 8, class: 'muted' },
        items.length === 0 ? 'No experiments yet.' : 'No experiment matches the filter.')));
    }
    count.textContent = `${shown.length} shown of ${total} experiment${total === 1 ? '' : 's'}`
      + (items.length < total ? ` (${items.length} loaded)` : '');
    more.hidden = items.length >= total;
  }

  function row(experiment) {
    const spec = experiment.resolvedSpec ?? {};
    const jobs = experiment.jobs ?? {};
    const all = Object.values(jobs).reduce((a, b) => a + b, 0);
    const checkbox = h('input', {
      type: 'checkbox', checked: selected.has(experiment.id), 'aria-label': `Select ${experiment.name} for comparison`,
      onchange: (event) => {
        if (event.target.checked) {
          selected.add(experiment.id);
        } else {
          selected.delete(experiment.id);
        }
        updateCompare();
      },
    });
    return h('tr', { dataset: { experimentId: experiment.id } },
      h('td', {}, checkbox),
      h('td', {}, h('a', { href: `#/experiments/${experiment.id}` }, experiment.name || fmt.shortId(experiment.id)),
        spec.transfer?.sourceTickets?.length || spec.transfer?.sourceMask
          ? h('span', { class: 'tag' }, 'transfer') : null),
      h('td', {}, statusBadge(experiment.status)),
      h('td', {}, spec.model ?? '–'),
      h('td', {}, h('span', { class: 'dataset' }, spec.dataset ?? '–')),
      h('td', {}, (experiment.seeds ?? []).join(', ')),
      h('td', { class: 'num' }, `${jobs.succeeded ?? 0} / ${all}`),
      h('td', {}, h('time', { datetime: experiment.createdAt }, fmt.date(experiment.createdAt))));
  }

  function updateCompare() {
    compareButton.disabled = selected.size === 0 || selected.size > 12;
    compareButton.textContent = selected.size ? `Compare selected (${selected.size})` : 'Compare selected';
  }

  function compareSelected() {
    location.hash = `#/compare?experiments=${[...selected].join(',')}`;
  }

  async function load(pageNumber) {
    try {
      const result = await getJson(`experiments?page=${pageNumber}&size=${PAGE_SIZE}`);
      if (disposed) {
        return;
      }
      page = pageNumber;
      total = result.total;
      items = pageNumber === 0 ? result.items : items.concat(result.items);
      status.replaceChildren();
      renderRows();
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  function reload() {
    return load(0);
  }

  reload();
  return {
    dispose() {
      disposed = true;
      clear(root);
    },
  };
}
