import { getJson, session } from './api.js';
import { announce, clear, errorBox, h } from './dom.js';
import { experimentsView } from './experiments.js';
import { experimentView } from './experiment.js';
import { compareView } from './compare.js';

const main = document.getElementById('main');
let current = null; // {key, view}: the view on screen and what it shows

/** The route of the location's hash: '#/experiments/{id}[/tickets/{ticket}]', '#/compare?…', '#/tickets/{id}' or the list. */
function route() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  const [path, search] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(search ?? '');
  if (parts[0] === 'experiments' && parts[1]) {
    return { name: 'experiment', experimentId: parts[1], ticketId: parts[2] === 'tickets' ? parts[3] : null };
  }
  if (parts[0] === 'tickets' && parts[1]) {
    return { name: 'ticket', ticketId: parts[1] };
  }
  if (parts[0] === 'compare') {
    return { name: 'compare', params };
  }
  return { name: 'experiments', params };
}

function dispose() {
  current?.view?.dispose?.();
  current = null;
}

async function render() {
  renderSession();
  if (!session.token()) {
    dispose();
    showTokenForm();
    return;
  }
  const target = route();
  document.querySelectorAll('[data-nav]').forEach((link) => {
    const active = link.dataset.nav === (target.name === 'compare' ? 'compare' : 'experiments');
    if (active) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  });
  if (target.name === 'ticket') {
    // a bare ticket link opens the ticket inside its experiment
    try {
      const ticket = await getJson(`tickets/${encodeURIComponent(target.ticketId)}`);
      location.replace(`#/experiments/${ticket.experimentId}/tickets/${ticket.id}`);
    } catch (error) {
      dispose();
      clear(main).append(errorBox(error));
    }
    return;
  }
  if (target.name === 'experiment' && current?.key === `experiment:${target.experimentId}`) {
    current.view.showTicket(target.ticketId);
    return;
  }
  dispose();
  clear(main);
  let view;
  if (target.name === 'experiment') {
    view = experimentView(main, target.experimentId, target.ticketId);
    current = { key: `experiment:${target.experimentId}`, view };
  } else if (target.name === 'compare') {
    view = compareView(main, target.params);
    current = { key: 'compare', view };
  } else {
    view = experimentsView(main, target.params);
    current = { key: 'experiments', view };
  }
  main.focus({ preventScroll: true });
}

function renderSession() {
  const box = clear(document.getElementById('session'));
  if (session.token()) {
    box.append(h('span', { class: 'muted' }, 'Token set for this tab'), ' ',
      h('button', {
        type: 'button',
        class: 'link-button',
        onclick: () => {
          session.forget();
          announce('Token forgotten');
          render();
        },
      }, 'Forget token'));
  }
}

function showTokenForm(message) {
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    placeholder: 'tf_…', 'aria-describedby': 'token-help',
  });
  const status = h('div', { class: 'form-status' });
  const form = h('form', {
    class: 'card token-form',
    onsubmit: async (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (!value) {
        return;
      }
      session.save(value);
      status.replaceChildren(h('p', { class: 'muted' }, 'Checking the token…'));
      try {
        await getJson('experiments?size=1');
        announce('Token accepted');
        render();
      } catch (error) {
        session.forget();
        status.replaceChildren(errorBox(error.status === 401 ? new Error('This token was not accepted.') : error));
        input.focus();
      }
    },
  },
  h('h1', {}, 'Lineage browser'),
  h('p', {}, 'Browse your team\'s experiments, their ticket lineage, metrics and files.'),
  h('label', { for: 'token' }, 'API token'),
  input,
  h('p', { id: 'token-help', class: 'muted small' },
    'A team token (viewer, member or admin). It is kept in this tab\'s session storage only and sent in the '
    + 'Authorization header of each request.'),
  h('button', { type: 'submit', class: 'primary' }, 'Open'),
  status);
  clear(main).append(form);
  if (message) {
    status.append(errorBox(new Error(message)));
  }
  input.focus();
}

window.addEventListener('hashchange', render);
window.addEventListener('tf:unauthorized', () => {
  session.forget();
  dispose();
  renderSession();
  showTokenForm('The token was refused (revoked or expired). Paste a valid one.');
});
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
render();
