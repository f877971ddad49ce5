import { getJson, query, saveFile } from './api.js';
import { clear, errorBox, fmt, h } from './dom.js';

// version-agnostic webjar path (resolved by webjars-locator-lite); loaded on first use only
const CHART_JS = '/webjars/chart.js/dist/chart.umd.js';
const METRICS = [['accuracy', 'Accuracy'], ['ece', 'ECE']];
const KINDS = ['imp', 'control-reinit', 'control-layer-permuted', 'control-global-permuted', 'calibrated'];
// Okabe–Ito: distinguishable with the common colour-vision deficiencies
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const MAX_EXPERIMENTS = 12;

let chartLibrary = null;

/** 1, 2 or 5 times a power of ten: the ticks worth a label on a log axis. */
function roundTick(value) {
  const digit = value / 10 ** Math.floor(Math.log10(value));
  return Math.abs(digit - Math.round(digit)) < 1e-9 && [1, 2, 5].includes(Math.round(digit));
}

function loadChartJs() {
  if (window.Chart) {
    return Promise.resolve(window.Chart);
  }
  chartLibrary ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = CHART_JS;
    script.onload = () => resolve(window.Chart);
    script.onerror = () => {
      chartLibrary = null;
      reject(new Error('Chart.js could not be loaded'));
    };
    document.head.append(script);
  });
  return chartLibrary;
}

/**
 * Accuracy and ECE against remaining weights for the chosen experiments, from GET /comparisons:
 * mean per level with a ±1 std band, and the same numbers as a table.
 */
export function compareView(root, params) {
  const chosen = new Set((params.get('experiments') ?? '').split(',').filter(Boolean));
  const kind = KINDS.includes(params.get('kind')) ? params.get('kind') : 'imp';
  const split = params.get('split') || 'test';
  const charts = [];
  let disposed = false;

  const picker = h('ul', { class: 'picker', id: 'compare-picker' });
  const filter = h('input', {
    id: 'compare-filter', type: 'search', placeholder: 'filter', autocomplete: 'off', oninput: () => renderPicker(),
  });
  const kindSelect = h('select', { id: 'compare-kind' },
    KINDS.map((k) => h('option', { value: k, selected: k === kind }, k)));
  const splitInput = h('input', { id: 'compare-split', value: split, size: 12, autocomplete: 'off' });
  const formStatus = h('p', { class: 'muted small', role: 'status' });
  const results = h('div', { id: 'comparison' });
  let experiments = [];

  const form = h('form', {
    class: 'card', 'aria-labelledby': 'compare-title',
    onsubmit: (event) => {
      event.preventDefault();
      if (chosen.size === 0 || chosen.size > MAX_EXPERIMENTS) {
        formStatus.textContent = `Choose 1 to ${MAX_EXPERIMENTS} experiments.`;
        return;
      }
      location.hash = `#/compare${query({ experiments: [...chosen].join(','), kind: kindSelect.value,
        split: splitInput.value.trim() })}`;
    },
  },
  h('div', { class: 'section-head' }, h('h1', { id: 'compare-title' }, 'Compare experiments')),
  h('p', { class: 'muted small' }, 'Accuracy and ECE per IMP level against the remaining weights: mean over seeds, '
    + 'band of ±1 sample standard deviation.'),
  h('fieldset', { class: 'picker-box' },
    h('legend', {}, 'Experiments'),
    h('label', { for: 'compare-filter', class: 'visually-hidden' }, 'Filter the experiments'),
    filter,
    picker),
  h('div', { class: 'toolbar' },
    h('label', { for: 'compare-kind' }, 'Ticket kind'), kindSelect,
    h('label', { for: 'compare-split' }, 'Split'), splitInput,
    h('button', { type: 'submit', class: 'primary' }, 'Compare')),
  formStatus);
  root.append(form, results);

  function renderPicker() {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = experiments.filter((e) => words.every((w) => `${e.name} ${e.resolvedSpec?.model} `
      .concat(e.resolvedSpec?.dataset ?? '').toLowerCase().includes(w)) || chosen.has(e.id));
    picker.replaceChildren(...shown.map((e) => {
      const id = `pick-${e.id}`;
      return h('li', {},
        h('input', {
          type: 'checkbox', id, value: e.id, checked: chosen.has(e.id),
          onchange: (event) => {
            if (event.target.checked) {
              chosen.add(e.id);
            } else {
              chosen.delete(e.id);
            }
            formStatus.textContent = `${chosen.size} chosen`;
          },
        }),
        h('label', { for: id }, e.name, h('span', { class: 'muted small' },
          ` ${e.resolvedSpec?.model ?? ''} · ${e.resolvedSpec?.dataset ?? ''} · ${e.status}`)));
    }));
    if (shown.length === 0) {
      picker.append(h('li', { class: 'muted' }, experiments.length ? 'No experiment matches.' : 'No experiments yet.'));
    }
  }

  async function loadPicker() {
    try {
      const page = await getJson('experiments?size=200');
      if (!disposed) {
        experiments = page.items;
        renderPicker();
      }
    } catch (error) {
      picker.replaceChildren(h('li', {}, errorBox(error)));
    }
  }

  async function loadComparison() {
    if (chosen.size === 0) {
      results.replaceChildren(h('p', { class: 'card muted' }, 'Choose experiments above, or tick them in the list.'));
      return;
    }
    results.replaceChildren(h('p', { class: 'card muted' }, 'Loading…'));
    const parameters = { experiments: [...chosen].join(','), metrics: 'accuracy,ece', ticketKind: kind, split };
    try {
      const [comparison, Chart] = await Promise.all([getJson(`comparisons${query(parameters)}`), loadChartJs()]);
      if (!disposed) {
        renderComparison(comparison, Chart, parameters);
      }
    } catch (error) {
      if (!disposed) {
        results.replaceChildren(h('div', { class: 'card' }, errorBox(error)));
      }
    }
  }

  function series(comparison, metric) {
    return comparison.experiments.map((experiment, index) => {
      const points = [];
      for (const level of comparison.levels) {
        const cell = level.experiments[index];
        const value = cell?.metrics?.[metric];
        if (cell?.remainingFraction !== null && cell?.remainingFraction !== undefined && value?.mean !== null
          && value?.mean !== undefined) {
          points.push({ x: cell.remainingFraction * 100, y: value.mean, std: value.std, n: value.n, level: level.level });
        }
      }
      return { experiment, points, colour: COLOURS[index % COLOURS.length] };
    });
  }

  function chartFor(Chart, canvas, comparison, metric, label) {
    const datasets = [];
    const bands = new Set();
    for (const { experiment, points, colour } of series(comparison, metric)) {
      datasets.push({
        label: `${experiment.label} (${experiment.seeds.length} seed${experiment.seeds.length === 1 ? '' : 's'})`,
        data: points, borderColor: colour, backgroundColor: colour, pointRadius: 3, tension: 0, fill: false,
      });
      const spread = points.filter((p) => p.std !== null && p.std !== undefined);
      if (spread.length) {
        bands.add(datasets.length).add(datasets.length + 1);
        datasets.push({ label: 'band', data: spread.map((p) => ({ x: p.x, y: p.y + p.std })), borderWidth: 0,
          pointRadius: 0, fill: false });
        datasets.push({ label: 'band', data: spread.map((p) => ({ x: p.x, y: p.y - p.std })), borderWidth: 0,
          pointRadius: 0, fill: '-1', backgroundColor: `${colour}33` });
      }
    }
    return new Chart(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: { xAxisKey: 'x', yAxisKey: 'y' },
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: {
            type: 'logarithmic', reverse: true,
            title: { display: true, text: 'remaining weights (%, log scale)' },
            ticks: {
              callback: (value) => (roundTick(value) ? `${value}%` : ''),
            },
          },
          y: { title: { display: true, text: label } },
        },
        plugins: {
          legend: { labels: { filter: (item) => !bands.has(item.datasetIndex) } },
          tooltip: {
            filter: (item) => !bands.has(item.datasetIndex),
            callbacks: {
              label: (item) => {
                const p = item.raw;
                return `${item.dataset.label}: ${fmt.number(p.y)}${p.std !== null && p.std !== undefined
                  ? ` ± ${fmt.number(p.std)}` : ''} (n ${p.n}, level ${p.level}, ${p.x.toFixed(1)}%)`;
              },
            },
          },
        },
      },
    });
  }

  function renderComparison(comparison, Chart, parameters) {
    destroyCharts();
    const panels = METRICS.map(([metric, label]) => {
      const canvas = h('canvas', {
        id: `chart-${metric}`, role: 'img',
        'aria-label': `${label} against remaining weights for ${comparison.experiments.map((e) => e.label).join(', ')}; `
          + 'the numbers are in the table below.',
      });
      return { metric, label, canvas };
    });
    const figureButtons = ['png', 'svg'].map((format) => h('button', {
      type: 'button',
      onclick: () => saveFile(`comparisons/plot.${format}${query(parameters)}`, `comparison.${format}`)
        .catch((error) => results.append(errorBox(error))),
    }, `Figure (${format.toUpperCase()})`));
    results.replaceChildren(
      h('section', { class: 'card', 'aria-labelledby': 'comparison-title' },
        h('div', { class: 'section-head' },
          h('h2', { id: 'comparison-title' }, `${comparison.experiments.length} experiment`
            + `${comparison.experiments.length === 1 ? '' : 's'} · ${comparison.ticketKind} tickets · ${comparison.split}`),
          h('div', { class: 'toolbar' }, figureButtons)),
        h('ul', { class: 'inline-list' }, comparison.experiments.map((e) => h('li', {},
          h('a', { href: `#/experiments/${e.id}` }, e.label), h('span', { class: 'muted small' },
            ` ${e.dataset} · seeds ${e.seeds.join(', ') || 'none'}`)))),
        h('div', { class: 'charts' }, panels.map((panel) => h('figure', { class: 'chart' },
          h('div', { class: 'chart-box' }, panel.canvas),
          h('figcaption', {}, `${panel.label} against remaining weights`)))),
        comparisonTable(comparison)));
    for (const panel of panels) {
      charts.push(chartFor(Chart, panel.canvas, comparison, panel.metric, panel.label));
    }
  }

  function comparisonTable(comparison) {
    const cell = (value) => (value && value.n > 0
      ? `${fmt.number(value.mean)}${value.std !== null ? ` ± ${fmt.number(value.std)}` : ''} (n ${value.n})` : '–');
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', id: 'comparison-table' },
      h('caption', {}, 'Mean ± sample std over seeds per level (n = seeds with a value)'),
      h('thead', {},
        h('tr', {}, h('th', { scope: 'col', rowspan: 2 }, 'Level'), comparison.experiments.map((e) => h('th', {
          scope: 'colgroup', colspan: 3,
        }, e.label))),
        h('tr', {}, comparison.experiments.map(() => ['Remaining', 'Accuracy', 'ECE']
          .map((label) => h('th', { scope: 'col' }, label))))),
      h('tbody', {}, comparison.levels.map((level) => h('tr', { dataset: { level: level.level } },
        h('th', { scope: 'row' }, level.level),
        level.experiments.map((c) => [
          h('td', { class: 'num' }, fmt.percent(c.remainingFraction, 2)),
          h('td', { class: 'num', dataset: { metric: 'accuracy' } }, cell(c.metrics.accuracy)),
          h('td', { class: 'num', dataset: { metric: 'ece' } }, cell(c.metrics.ece)),
        ]))))));
  }

  function destroyCharts() {
    while (charts.length) {
      charts.pop().destroy();
    }
  }

  loadPicker();
  loadComparison();
  return {
    dispose() {
      disposed = true;
      destroyCharts();
      clear(root);
    },
  };
}
