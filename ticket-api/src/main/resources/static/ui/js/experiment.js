import { getJson, saveFile } from './api.js';
import { clear, errorBox, fmt, h, kindLabel, kindRank, statusBadge } from './dom.js';
import { layoutLineage, legend, markSelected, renderLineage } from './lineage.js';
import { jobProgress } from './progress.js';
import { ticketPanel } from './ticket.js';

// as in app.css: below this width the ticket panel sits under the graph
const SINGLE_COLUMN = window.matchMedia('(max-width: 1100px)');

/**
 * One experiment: its facts, live job progress, the lineage graph with a table of its tickets, and
 * the panel of the selected ticket. Tickets whose parent lives in another experiment (transfers)
 * show that source and link to it.
 */
export function experimentView(root, experimentId, initialTicketId) {
  let experiment = null;
  let lineage = null;
  let svg = null;
  let selected = initialTicketId ?? null;
  let disposed = false;
  const externals = new Map(); // ticket id -> {ticket, experiment} | {error}
  const experimentNames = new Map();

  const header = h('section', { class: 'card experiment-head', 'aria-labelledby': 'experiment-title' },
    h('h1', { id: 'experiment-title' }, 'Experiment'), h('p', { class: 'muted' }, 'Loading…'));
  const graphBox = h('div', { class: 'graph-scroll', id: 'lineage' });
  const legendBox = h('div');
  const ticketsBox = h('div');
  const panel = ticketPanel({ describeTicket });
  const progress = jobProgress(experimentId, { onChange: () => refresh() });
  const graphCard = h('section', { class: 'card', 'aria-labelledby': 'lineage-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'lineage-title' }, 'Lineage'),
      h('span', { class: 'muted small' }, 'rows: levels · columns: seeds · select a ticket for its details')),
    h('figure', { class: 'graph' }, graphBox, h('figcaption', {}, legendBox)),
    h('details', { class: 'ticket-table', open: true },
      h('summary', {}, 'Tickets as a table'),
      ticketsBox));

  root.append(header, progress.element,
    h('div', { class: 'experiment-grid' }, graphCard, panel.element));

  function describeTicket(id) {
    const node = lineage?.nodes.find((n) => n.id === id);
    if (node) {
      return { label: `${kindLabel(node.kind)} · L${node.level} · seed ${node.seed}`,
        href: `#/experiments/${experimentId}/tickets/${id}`, external: false };
    }
    const known = externals.get(id);
    if (known?.ticket) {
      return { label: `${kindLabel(known.ticket.kind)} · L${known.ticket.level} of ${known.experiment?.name
        ?? fmt.shortId(known.ticket.experimentId)}`,
        href: `#/experiments/${known.ticket.experimentId}/tickets/${id}`, external: true };
    }
    return { label: `ticket ${fmt.shortId(id)} (not readable)`, href: `#/tickets/${id}`, external: true };
  }

  async function experimentName(id) {
    if (!experimentNames.has(id)) {
      experimentNames.set(id, getJson(`experiments/${id}`).catch(() => null));
    }
    return experimentNames.get(id);
  }

  async function resolveExternals() {
    const ids = new Set(lineage.nodes.map((node) => node.id));
    const missing = [...new Set(lineage.edges.map((edge) => edge.from))]
      .filter((id) => !ids.has(id) && !externals.has(id));
    await Promise.all(missing.map(async (id) => {
      try {
        const ticket = await getJson(`tickets/${id}`);
        externals.set(id, { ticket, experiment: await experimentName(ticket.experimentId) });
      } catch (error) {
        externals.set(id, { error });
      }
    }));
  }

  function renderHeader() {
    const spec = experiment.resolvedSpec ?? {};
    const jobs = experiment.jobs ?? {};
    const sources = [...externals.values()].filter((known) => known.ticket);
    const sourceExperiments = [...new Map(sources.map((known) => [known.ticket.experimentId, known])).values()];
    const facts = [
      ['Model', spec.model],
      ['Dataset', spec.dataset],
      ['Seeds', (experiment.seeds ?? []).join(', ')],
      ['Jobs', Object.entries(jobs).filter(([, n]) => n > 0)
        .map(([status, n]) => `${n} ${status === 'leased' ? 'running' : status}`).join(' · ') || 'none'],
      ['Spec hash', h('code', { title: experiment.specHash }, experiment.specHash?.slice(0, 16))],
      ['Created', fmt.date(experiment.createdAt)],
    ];
    if (sourceExperiments.length) {
      facts.push(['Transferred from', sourceExperiments.map((known, i) => [i ? ', ' : '',
        h('a', { href: `#/experiments/${known.ticket.experimentId}` },
          known.experiment?.name ?? fmt.shortId(known.ticket.experimentId))])]);
    }
    const figureButton = h('button', {
      type: 'button',
      onclick: async () => {
        figureButton.disabled = true;
        try {
          await saveFile(`experiments/${experimentId}/plots/metrics.png`, `${experimentId}-metrics.png`);
        } catch (error) {
          header.append(errorBox(error));
        } finally {
          figureButton.disabled = false;
        }
      },
    }, 'Metrics figure (PNG)');
    header.replaceChildren(
      h('div', { class: 'section-head' },
        h('h1', { id: 'experiment-title' }, experiment.name, ' ', statusBadge(experiment.status)),
        h('div', { class: 'toolbar' },
          h('a', { class: 'button', href: `#/compare?experiments=${experimentId}` }, 'Compare…'),
          figureButton)),
      h('dl', { class: 'facts inline' }, facts.map(([term, value]) => h('div', {},
        h('dt', {}, term), h('dd', {}, value ?? '–')))));
  }

  function renderGraph() {
    if (lineage.nodes.length === 0) {
      graphBox.replaceChildren(h('p', { class: 'muted' }, 'No tickets yet: they appear here as their jobs finish.'));
      legendBox.replaceChildren();
      ticketsBox.replaceChildren();
      svg = null;
      return;
    }
    const layout = layoutLineage(lineage, externals);
    svg = renderLineage(layout, {
      onSelect: (id) => {
        location.hash = `#/experiments/${experimentId}/tickets/${id}`;
      },
      externalHref: (node) => (node.info?.ticket
        ? `#/experiments/${node.info.ticket.experimentId}/tickets/${node.id}` : null),
    });
    graphBox.replaceChildren(svg);
    legendBox.replaceChildren(legend(layout));
    ticketsBox.replaceChildren(ticketTable());
    markSelected(svg, selected);
  }

  function ticketTable() {
    const nodes = [...lineage.nodes].sort((a, b) => a.seed - b.seed || a.level - b.level
      || kindRank(a.kind) - kindRank(b.kind) || (a.step ?? 0) - (b.step ?? 0));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', id: 'tickets' },
      h('thead', {}, h('tr', {}, ['Ticket', 'Seed', 'Level', 'Remaining', 'Accuracy', 'ECE', 'Parent']
        .map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, nodes.map((node) => {
        const parent = node.parentTicketId ? describeTicket(node.parentTicketId) : null;
        return h('tr', { dataset: { ticketId: node.id } },
          h('th', { scope: 'row' }, h('a', { href: `#/experiments/${experimentId}/tickets/${node.id}` },
            node.kind === 'snapshot' ? `snapshot @${node.step}` : kindLabel(node.kind))),
          h('td', { class: 'num' }, node.seed),
          h('td', { class: 'num' }, node.level),
          h('td', { class: 'num' }, fmt.percent(1 - node.sparsity, 2)),
          h('td', { class: 'num' }, fmt.number(node.accuracy)),
          h('td', { class: 'num' }, fmt.number(node.ece)),
          h('td', {}, parent ? h('a', { href: parent.href }, parent.label) : '–'));
      }))));
  }

  async function load() {
    try {
      [experiment, lineage] = await Promise.all([
        getJson(`experiments/${experimentId}`),
        getJson(`experiments/${experimentId}/lineage`),
      ]);
      experimentNames.set(experimentId, Promise.resolve(experiment));
      await resolveExternals();
      if (disposed) {
        return;
      }
      document.title = `${experiment.name} · Ticket Foundry`;
      renderHeader();
      renderGraph();
      if (selected) {
        panel.show(selected);
      }
    } catch (error) {
      if (!disposed) {
        header.replaceChildren(h('h1', { id: 'experiment-title' }, 'Experiment'), errorBox(error));
      }
    }
  }

  /** A job started or ended: the experiment's status and lineage again. */
  async function refresh() {
    try {
      const [fresh, freshLineage] = await Promise.all([
        getJson(`experiments/${experimentId}`),
        getJson(`experiments/${experimentId}/lineage`),
      ]);
      if (disposed) {
        return;
      }
      const changed = JSON.stringify(freshLineage) !== JSON.stringify(lineage);
      experiment = fresh;
      lineage = freshLineage;
      await resolveExternals();
      renderHeader();
      if (changed) {
        renderGraph();
      }
      if (selected) {
        // an evaluate or calibrate job may have added metrics to it
        panel.refresh();
      }
    } catch (error) {
      // the next status change tries again; the poller shows connection problems
    }
  }

  load();
  return {
    showTicket(ticketId) {
      selected = ticketId;
      if (svg) {
        markSelected(svg, ticketId);
      }
      if (ticketId) {
        panel.show(ticketId);
        if (SINGLE_COLUMN.matches) {
          // the panel is below the graph: bring it into view
          document.getElementById('ticket-panel')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
        }
      }
    },
    dispose() {
      disposed = true;
      progress.stop();
      panel.dispose();
      document.title = 'Ticket Foundry · lineage browser';
      clear(root);
    },
  };
}
