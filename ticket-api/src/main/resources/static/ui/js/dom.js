// Elements are built with textContent and attributes only (no innerHTML), so names from the API
// can never become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(element, attributes) {
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (key === 'text') {
      element.textContent = value;
    } else if (key === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** An HTML element: {@code h('a', {href: '#/'}, 'text', otherNode)}. */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  apply(element, attributes);
  return append(element, children);
}

/** An SVG element, as {@link h}. */
export function s(tag, attributes, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  apply(element, attributes);
  return append(element, children);
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** Tells screen readers what changed. */
export function announce(text) {
  const announcer = document.getElementById('announcer');
  if (announcer) {
    announcer.textContent = text;
  }
}

export function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, error?.message ?? String(error));
}

export const fmt = {
  number(value, digits = 4) {
    return value === null || value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits);
  },
  percent(fraction, digits = 1) {
    return fraction === null || fraction === undefined ? '–' : `${(fraction * 100).toFixed(digits)}%`;
  },
  count(value) {
    return value === null || value === undefined ? '–' : Number(value).toLocaleString('en-US');
  },
  bytes(size) {
    if (size === null || size === undefined) {
      return '';
    }
    const units = ['B', 'KB', 'MB', 'GB'];
    let value = size;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
  },
  date(iso) {
    if (!iso) {
      return '–';
    }
    const date = new Date(iso);
    return date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  },
  shortId(id) {
    return id ? id.slice(0, 8) : '–';
  },
};

/** Ticket kinds, in the order the graph and tables list them, with their labels. */
export const KINDS = [
  ['snapshot', 'snapshot'],
  ['imp', 'IMP'],
  ['control-reinit', 'control: reinit'],
  ['control-layer-permuted', 'control: layer-permuted'],
  ['control-global-permuted', 'control: global-permuted'],
  ['transfer', 'transfer'],
  ['transfer-random', 'transfer: random'],
  ['calibrated', 'calibrated'],
];

export function kindLabel(kind) {
  return KINDS.find(([k]) => k === kind)?.[1] ?? kind;
}

export function kindRank(kind) {
  const index = KINDS.findIndex(([k]) => k === kind);
  return index < 0 ? KINDS.length : index;
}

/** The experiment's status as a badge; a leased job shows as running. */
export function statusBadge(status) {
  const label = status === 'leased' ? 'running' : status;
  return h('span', { class: `badge status-${label}` }, label);
}
