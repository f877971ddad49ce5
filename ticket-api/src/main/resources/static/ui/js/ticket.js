import { getBlob, getJson, saveFile } from './api.js';
import { announce, errorBox, fmt, h, kindLabel } from './dom.js';

const FILES = [
  ['mask', 'Mask', 'U8, 1 = kept'],
  ['rewind', 'Rewind weights', 'F32, the rewind point'],
  ['weights', 'Trained weights', 'F32, after training'],
];

/**
 * The panel of one ticket: its counts, metrics, per-layer densities, reliability diagram and
 * downloads. {@code context.describeTicket(id)} names a ticket of this experiment or a source in
 * another one ({label, href}), for the parent link.
 */
export function ticketPanel(context) {
  const element = h('aside', { class: 'card ticket-panel', id: 'ticket-panel', 'aria-labelledby': 'ticket-title' },
    h('h2', { id: 'ticket-title' }, 'Ticket'),
    h('p', { class: 'muted' }, 'Select a ticket in the graph or the table.'));
  let imageUrl = null;
  let shown = null;
  let generation = 0;

  function releaseImage() {
    if (imageUrl) {
      URL.revokeObjectURL(imageUrl);
      imageUrl = null;
    }
  }

  async function show(ticketId) {
    if (!ticketId || ticketId === shown) {
      return;
    }
    shown = ticketId;
    const mine = ++generation;
    element.setAttribute('aria-busy', 'true');
    try {
      const ticket = await getJson(`tickets/${ticketId}`);
      if (mine !== generation) {
        return;
      }
      releaseImage();
      element.replaceChildren(...render(ticket));
      element.dataset.ticketId = ticket.id;
      announce(`${kindLabel(ticket.kind)} ticket, level ${ticket.level}, seed ${ticket.seed} shown`);
      loadReliability(ticket, mine);
    } catch (error) {
      if (mine === generation) {
        shown = null;
        element.replaceChildren(h('h2', { id: 'ticket-title' }, 'Ticket'), errorBox(error));
      }
    } finally {
      if (mine === generation) {
        element.removeAttribute('aria-busy');
      }
    }
  }

  function render(ticket) {
    const parent = ticket.parentTicketId ? context.describeTicket(ticket.parentTicketId) : null;
    const facts = [
      ['Kind', kindLabel(ticket.kind)],
      ['Seed · level', `${ticket.seed} · ${ticket.level}${ticket.step != null ? ` (step ${ticket.step})` : ''}`],
      ['Remaining (prunable)', `${fmt.count(ticket.prunable.remaining)} of ${fmt.count(ticket.prunable.total)} `
        + `(${fmt.percent(ticket.prunable.density, 2)})`],
      ['Remaining (all parameters)', `${fmt.count(ticket.allParameters.remaining)} of `
        + `${fmt.count(ticket.allParameters.total)} (${fmt.percent(ticket.allParameters.density, 2)})`],
      ['Parent', parent ? h('a', { href: parent.href, class: parent.external ? 'source-link' : null }, parent.label)
        : ticket.sourceMaskId ? `uploaded mask ${fmt.shortId(ticket.sourceMaskId)}` : 'none'],
      ['Created', fmt.date(ticket.createdAt)],
      ['Id', h('code', {}, ticket.id)],
    ];
    if (ticket.calibration) {
      const c = ticket.calibration;
      facts.splice(4, 0, ['Calibration', `${c.method ?? 'temperature'}${c.temperature !== undefined
        ? `, T = ${fmt.number(c.temperature)}` : ''}`]);
    }
    return [
      h('h2', { id: 'ticket-title' }, `${kindLabel(ticket.kind)} ticket · L${ticket.level} · seed ${ticket.seed}`),
      h('dl', { class: 'facts' }, facts.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
      metricsSection(ticket),
      densitySection(ticket),
      h('section', { 'aria-labelledby': 'reliability-title' },
        h('h3', { id: 'reliability-title' }, 'Reliability diagram'),
        h('figure', { class: 'reliability', id: 'reliability' },
          h('p', { class: 'muted small' }, 'Loading…'))),
      downloadSection(ticket),
      provenanceSection(ticket),
    ];
  }

  function metricsSection(ticket) {
    const own = (metric) => (metric.jobId === ticket.jobId ? 0 : 1);
    const metrics = [...ticket.metrics].sort((a, b) => own(a) - own(b) || a.dataset.localeCompare(b.dataset)
      || a.split.localeCompare(b.split) || a.name.localeCompare(b.name));
    return h('section', { 'aria-labelledby': 'metrics-title' },
      h('h3', { id: 'metrics-title' }, 'Metrics'),
      metrics.length === 0 ? h('p', { class: 'muted' }, 'No metrics recorded.')
        : h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', id: 'ticket-metrics' },
          h('thead', {}, h('tr', {}, ['Metric', 'Value', 'Measured on']
            .map((label) => h('th', { scope: 'col' }, label)))),
          h('tbody', {}, metrics.map((metric) => h('tr', { dataset: { metric: metric.name } },
            h('th', { scope: 'row', title: conventions(metric) }, metric.name),
            h('td', { class: 'num value' }, fmt.number(metric.value)),
            h('td', { class: 'small' }, `${metric.dataset} · ${metric.split}`,
              metric.jobId === ticket.jobId ? null
                : h('span', { class: 'muted' }, ` (job ${fmt.shortId(metric.jobId)})`))))))));
  }

  function conventions(metric) {
    const entries = Object.entries(metric.conventions ?? {});
    return entries.length ? entries.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join('\n') : null;
  }

  function densitySection(ticket) {
    const layers = Object.entries(ticket.layers ?? {});
    return h('section', { 'aria-labelledby': 'density-title' },
      h('h3', { id: 'density-title' }, 'Density per layer'),
      layers.length === 0 ? h('p', { class: 'muted' }, 'No layers recorded.')
        : h('table', { class: 'data compact densities', id: 'layer-densities' },
          h('thead', {}, h('tr', {}, ['Layer', 'Kept', 'Density', ''].map((label, i) => h('th', {
            scope: 'col', class: i === 3 ? 'bar-col' : null,
          }, label)))),
          h('tbody', {}, layers.map(([name, layer]) => {
            const fill = h('span', { class: 'bar-fill' });
            fill.style.width = `${(layer.density * 100).toFixed(2)}%`;
            return h('tr', { dataset: { layer: name } },
              h('th', { scope: 'row' }, h('code', {}, name)),
              h('td', { class: 'num kept' }, `${fmt.count(layer.remaining)} / ${fmt.count(layer.total)}`),
              h('td', { class: 'num density' }, fmt.percent(layer.density, 2)),
              h('td', { class: 'bar-col' }, h('span', { class: 'bar', 'aria-hidden': 'true' }, fill)));
          }))));
  }

  async function loadReliability(ticket, mine) {
    try {
      const { blob } = await getBlob(`tickets/${ticket.id}/plots/reliability.png`);
      if (mine !== generation) {
        return;
      }
      imageUrl = URL.createObjectURL(blob);
      const image = h('img', {
        src: imageUrl, width: 800, height: 760, id: 'reliability-image',
        alt: `Reliability diagram of this ticket's ECE on the experiment's test split: accuracy per confidence bin `
          + 'against the diagonal of perfect calibration, with the samples per bin below.',
      });
      document.getElementById('reliability')?.replaceChildren(image,
        h('figcaption', { class: 'muted small' }, 'Test split of the experiment\'s dataset; bins as recorded with the ECE.'));
    } catch (error) {
      if (mine === generation) {
        document.getElementById('reliability')?.replaceChildren(h('p', { class: 'muted' },
          error.status === 404 ? 'No ECE recorded on the test split, so no diagram.' : error.message));
      }
    }
  }

  function downloadSection(ticket) {
    const status = h('p', { class: 'small', role: 'status', id: 'download-status' });
    return h('section', { 'aria-labelledby': 'downloads-title' },
      h('h3', { id: 'downloads-title' }, 'Files'),
      h('ul', { class: 'downloads' }, FILES.map(([file, label, what]) => {
        const link = ticket.artifacts?.[file];
        const button = h('button', {
          type: 'button', class: 'download', dataset: { file },
          onclick: async () => {
            button.disabled = true;
            status.textContent = `Downloading ${label.toLowerCase()}…`;
            try {
              const saved = await saveFile(`tickets/${ticket.id}/${file}`, `${ticket.id}-${file}.safetensors`);
              status.textContent = `Saved ${saved.name} (${fmt.bytes(saved.size)}).`;
            } catch (error) {
              status.textContent = `Download failed: ${error.message}`;
            } finally {
              button.disabled = false;
            }
          },
        }, `Download ${label.toLowerCase()}`);
        return h('li', {}, button, ' ', h('span', { class: 'muted small' },
          `${what}${link?.size ? `, ${fmt.bytes(link.size)}` : ''}`),
        link?.sha256 ? h('div', { class: 'sha small' }, 'SHA-256 ', h('code', {}, link.sha256)) : null);
      })),
      status);
  }

  function provenanceSection(ticket) {
    const entries = Object.entries(ticket.provenance ?? {});
    return entries.length === 0 ? null : h('details', { class: 'provenance' },
      h('summary', {}, 'Provenance'),
      h('dl', { class: 'facts small' }, entries.map(([key, value]) => [h('dt', {}, key), h('dd', {}, value)])));
  }

  return {
    element,
    show,
    /** Shows {@code ticketId} again even if it is the one on screen (new metrics). */
    refresh() {
      const id = shown;
      shown = null;
      return show(id);
    },
    dispose() {
      generation += 1;
      releaseImage();
    },
  };
}
