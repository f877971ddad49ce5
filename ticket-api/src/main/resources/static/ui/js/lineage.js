import { fmt, h, kindLabel, kindRank, s } from './dom.js';

// Tickets in rows by level and in columns by seed; within a (seed, level) cell a source from another
// experiment comes first, then the kinds in KINDS order (snapshots by step).
const NODE_W = 176;
const NODE_H = 62;
const GAP_X = 26;
const GAP_Y = 60;
const SEED_GAP = 44;
const LEFT = 64;
const TOP = 60;
const PAD = 20;

export const EDGE_KINDS = [
  ['prune', 'prune: level L to L+1'],
  ['control', 'control of an IMP ticket'],
  ['transfer', 'transfer from a source ticket'],
  ['calibrate', 'calibrated version'],
  ['evolve', 'sparse-training snapshot to a later mask'],
];

/**
 * Places the lineage's nodes, and a node for every edge source that lives in another experiment
 * ({@code externals}: ticket id to what is known of it, {ticket, experiment} or {error}).
 */
export function layoutLineage(lineage, externals = new Map()) {
  const byId = new Map(lineage.nodes.map((node) => [node.id, { ...node, external: false }]));
  for (const edge of lineage.edges) {
    if (!byId.has(edge.from)) {
      const child = byId.get(edge.to);
      const known = externals.get(edge.from);
      byId.set(edge.from, {
        id: edge.from,
        external: true,
        kind: 'external',
        seed: child?.seed ?? 0,
        level: known?.ticket?.level ?? child?.level ?? 0,
        info: known,
      });
    }
  }
  const nodes = [...byId.values()];
  const seeds = [...new Set(nodes.map((node) => node.seed))].sort((a, b) => a - b);
  const levels = [...new Set(nodes.map((node) => node.level))].sort((a, b) => a - b);
  const cells = new Map();
  nodes.forEach((node, index) => {
    const key = `${node.seed}|${node.level}`;
    if (!cells.has(key)) {
      cells.set(key, []);
    }
    cells.get(key).push({ node, index });
  });
  const rank = (node) => (node.external ? -1 : kindRank(node.kind));
  for (const cell of cells.values()) {
    cell.sort((a, b) => rank(a.node) - rank(b.node) || (a.node.step ?? 0) - (b.node.step ?? 0) || a.index - b.index);
  }
  const columns = new Map(seeds.map((seed) => [seed,
    Math.max(1, ...levels.map((level) => cells.get(`${seed}|${level}`)?.length ?? 0))]));
  let x = LEFT;
  const seedX = new Map();
  for (const seed of seeds) {
    seedX.set(seed, x);
    x += columns.get(seed) * (NODE_W + GAP_X) - GAP_X + SEED_GAP;
  }
  const width = Math.max(x - SEED_GAP + PAD, 360);
  for (const [key, cell] of cells) {
    const [seed, level] = key.split('|').map(Number);
    cell.forEach(({ node }, column) => {
      node.column = column;
      node.row = levels.indexOf(level);
      node.x = seedX.get(seed) + column * (NODE_W + GAP_X);
      node.y = TOP + node.row * (NODE_H + GAP_Y);
    });
  }
  const height = TOP + levels.length * (NODE_H + GAP_Y) - GAP_Y + PAD;
  const edges = lineage.edges.map((edge) => ({ ...edge, path: edgePath(byId.get(edge.from), byId.get(edge.to)) }));
  return { nodes, edges, seeds, levels, seedX, columns, width, height };
}

function edgePath(from, to) {
  if (from.row !== to.row) {
    const x1 = from.x + NODE_W / 2;
    const y1 = from.y + (to.row > from.row ? NODE_H : 0);
    const x2 = to.x + NODE_W / 2;
    const y2 = to.y + (to.row > from.row ? 0 : NODE_H);
    const bend = (y2 - y1) / 2;
    return `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
  }
  if (from.seed === to.seed && Math.abs(to.column - from.column) === 1) {
    const rightward = to.column > from.column;
    const x1 = rightward ? from.x + NODE_W : from.x;
    const x2 = rightward ? to.x : to.x + NODE_W;
    const y = from.y + NODE_H / 2;
    return `M${x1},${y} L${x2},${y}`;
  }
  // same row, not neighbours: an arc over the cells between them
  const x1 = from.x + NODE_W / 2;
  const x2 = to.x + NODE_W / 2;
  const y = from.y;
  const lift = Math.min(GAP_Y - 8, 22 + 6 * Math.abs(to.column - from.column));
  return `M${x1},${y} C${x1},${y - lift} ${x2},${y - lift} ${x2},${y}`;
}

function describe(node) {
  if (node.external) {
    const info = node.info;
    if (info?.ticket) {
      return `Source ticket in experiment ${info.experiment?.name ?? info.ticket.experimentId}, seed ${info.ticket.seed}, `
        + `level ${info.ticket.level}; opens that experiment`;
    }
    return 'Source ticket in another experiment (not readable with this token)';
  }
  const parts = [`${kindLabel(node.kind)} ticket`, `seed ${node.seed}`, `level ${node.level}`];
  if (node.step !== null && node.step !== undefined) {
    parts.push(`step ${node.step}`);
  }
  parts.push(`${fmt.percent(1 - node.sparsity)} of prunable weights remaining`);
  if (node.accuracy !== null && node.accuracy !== undefined) {
    parts.push(`accuracy ${fmt.number(node.accuracy)}`);
  }
  if (node.ece !== null && node.ece !== undefined) {
    parts.push(`ECE ${fmt.number(node.ece)}`);
  }
  return parts.join(', ');
}

function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function nodeTexts(node) {
  if (node.external) {
    const ticket = node.info?.ticket;
    const name = node.info?.experiment?.name ?? (ticket ? fmt.shortId(ticket.experimentId) : 'another experiment');
    return [
      ticket ? `source · ${kindLabel(ticket.kind)} L${ticket.level}` : 'source ticket',
      truncate(name, 26),
      ticket ? `${fmt.percent(1 - ticket.sparsity)} left` : fmt.shortId(node.id),
    ];
  }
  const title = node.kind === 'snapshot' ? `snapshot · step ${node.step}` : `${kindLabel(node.kind)} · L${node.level}`;
  const metrics = node.accuracy !== null && node.accuracy !== undefined
    ? `acc ${fmt.number(node.accuracy, 3)} · ECE ${fmt.number(node.ece, 3)}` : 'no metrics yet';
  return [truncate(title, 26), `${fmt.percent(1 - node.sparsity)} left`, metrics];
}

/**
 * The graph as SVG. {@code onSelect(ticketId)} is called when a ticket is clicked or activated with
 * the keyboard; a source in another experiment is a link to it.
 */
export function renderLineage(layout, { onSelect, externalHref }) {
  const defs = s('defs', {}, EDGE_KINDS.map(([kind]) => s('marker', {
    id: `arrow-${kind}`, class: `arrow edge-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse',
  }, s('path', { d: 'M0,0 L10,5 L0,10 z' }))));
  const svg = s('svg', {
    class: 'lineage', width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'group', 'aria-label': `Lineage graph: ${layout.nodes.length} tickets in ${layout.levels.length} levels`,
  }, defs);

  layout.levels.forEach((level, row) => {
    svg.append(s('text', { class: 'axis-label', x: 8, y: TOP + row * (NODE_H + GAP_Y) + NODE_H / 2 + 4 }, `L${level}`));
  });
  for (const seed of layout.seeds) {
    svg.append(s('text', { class: 'axis-label', x: layout.seedX.get(seed), y: 18 }, `seed ${seed}`));
  }
  const edges = s('g', { class: 'edges', 'aria-hidden': 'true' });
  for (const edge of layout.edges) {
    edges.append(s('path', {
      class: `edge edge-${edge.kind}`, d: edge.path, 'marker-end': `url(#arrow-${edge.kind})`,
      dataset: { from: edge.from, to: edge.to, kind: edge.kind },
    }));
  }
  svg.append(edges);

  const nodes = s('g', { class: 'nodes' });
  for (const node of layout.nodes) {
    const [title, second, third] = nodeTexts(node);
    const content = [
      s('title', {}, describe(node)),
      s('rect', { class: 'node-box', width: NODE_W, height: NODE_H, rx: 7 }),
      s('rect', { class: 'node-band', width: 7, height: NODE_H, rx: 3 }),
      s('text', { class: 'node-title', x: 16, y: 20 }, title),
      s('text', { class: 'node-line', x: 16, y: 38 }, second),
      s('text', { class: 'node-line', x: 16, y: 54 }, third),
    ];
    const dataset = { ticketId: node.id, kind: node.kind, level: node.level, seed: node.seed };
    const transform = `translate(${node.x},${node.y})`;
    if (node.external) {
      const href = externalHref(node);
      nodes.append(href
        ? s('a', { class: 'node external', href, transform, dataset, 'aria-label': describe(node) }, content)
        : s('g', { class: 'node external unreadable', transform, dataset, role: 'img', 'aria-label': describe(node) },
          content));
      continue;
    }
    const select = () => onSelect(node.id);
    nodes.append(s('g', {
      class: `node kind-${node.kind}`, transform, dataset, tabindex: 0, role: 'button', 'aria-label': describe(node),
      onclick: select,
      onkeydown: (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select();
        }
      },
    }, content));
  }
  svg.append(nodes);
  return svg;
}

/** Marks the selected ticket's node. */
export function markSelected(svg, ticketId) {
  svg.querySelectorAll('.node').forEach((node) => {
    const selected = node.dataset.ticketId === ticketId && !node.classList.contains('external');
    node.classList.toggle('selected', selected);
    if (node.getAttribute('role') === 'button') {
      node.setAttribute('aria-pressed', String(selected));
    }
  });
}

/** The colour key of node kinds and edge kinds that occur in the layout. */
export function legend(layout) {
  const kinds = [...new Set(layout.nodes.map((node) => node.kind))]
    .sort((a, b) => (a === 'external' ? -1 : kindRank(a)) - (b === 'external' ? -1 : kindRank(b)));
  const edgeKinds = EDGE_KINDS.filter(([kind]) => layout.edges.some((edge) => edge.kind === kind));
  return h('div', { class: 'legend', 'aria-label': 'Legend' },
    h('ul', { class: 'legend-list' }, kinds.map((kind) => h('li', {},
      h('span', { class: `swatch kind-${kind}`, 'aria-hidden': 'true' }),
      kind === 'external' ? 'source in another experiment' : kindLabel(kind)))),
    h('ul', { class: 'legend-list' }, edgeKinds.map(([kind, label]) => h('li', {},
      s('svg', { width: 30, height: 10, 'aria-hidden': 'true' },
        s('line', { class: `edge edge-${kind}`, x1: 1, y1: 5, x2: 29, y2: 5 })),
      label))));
}
