import { getJson } from './api.js';
import { errorBox, fmt, h, statusBadge } from './dom.js';

const INTERVAL_MS = 2000;
const ACTIVE = new Set(['queued', 'leased']);

/**
 * Live progress of an experiment's jobs: polls GET /jobs?experimentId= every 2 s while the view is
 * open (skipping ticks while the tab is hidden) and shows every queued or running job with its
 * heartbeat's level, epoch and step. {@code onChange} is called when the jobs' statuses changed
 * since the previous poll (a job started, ended or was added), so the caller can reload the
 * experiment and its lineage.
 */
export function jobProgress(experimentId, { onChange }) {
  const summary = h('span', { class: 'muted', id: 'job-summary', role: 'status' });
  const body = h('tbody');
  const table = h('table', { class: 'data compact', id: 'jobs-active' },
    h('caption', { class: 'visually-hidden' }, 'Queued and running jobs'),
    h('thead', {}, h('tr', {},
      ['Job', 'Seed', 'Level', 'Status', 'Phase', 'Progress', 'Step', 'Loss', 'Attempt', 'Updated']
        .map((label) => h('th', { scope: 'col' }, label)))),
    body);
  const failures = h('div');
  const errors = h('div');
  const element = h('section', { class: 'card', id: 'progress', 'aria-labelledby': 'progress-title' },
    h('div', { class: 'section-head' },
      h('div', { class: 'head-line' }, h('h2', { id: 'progress-title' }, 'Jobs'), summary),
      h('span', { class: 'muted small' }, 'updated every 2 s')),
    h('div', { class: 'table-wrap', hidden: true }, table),
    failures,
    errors);

  let timer = null;
  let stopped = false;
  let statuses = null;

  function row(job) {
    const progress = job.progress ?? {};
    const epochs = progress.epochs ?? null;
    const epoch = progress.epoch ?? null;
    const bar = epochs && epoch !== null
      ? [h('progress', { max: epochs, value: epoch, 'aria-label': `epoch ${epoch} of ${epochs}` }),
        h('span', { class: 'progress-text' }, ` epoch ${epoch}/${epochs}`)]
      : h('span', { class: 'muted' }, job.status === 'queued' ? 'waiting for a worker' : '–');
    const kind = job.kind === 'control' && job.control ? `control: ${job.control}` : job.kind;
    return h('tr', { dataset: { jobId: job.id, status: job.status } },
      h('td', {}, kind, h('span', { class: 'muted small' }, ` ${fmt.shortId(job.id)}`)),
      h('td', { class: 'num' }, job.seed),
      h('td', { class: 'num' }, progress.level ?? job.level),
      h('td', {}, statusBadge(job.status), job.cancelRequested ? h('span', { class: 'muted small' }, ' cancelling') : null),
      h('td', { class: 'phase' }, progress.phase ?? '–'),
      h('td', { class: 'progress-cell' }, bar),
      h('td', { class: 'num step' }, progress.step ?? '–'),
      h('td', { class: 'num' }, progress.loss === null || progress.loss === undefined ? '–' : fmt.number(progress.loss)),
      h('td', { class: 'num' }, `${job.attempts}/${job.maxAttempts}`),
      h('td', {}, h('time', { datetime: job.updatedAt }, fmt.date(job.updatedAt))));
  }

  function render(page) {
    const jobs = page.items;
    const counts = {};
    for (const job of jobs) {
      counts[job.status] = (counts[job.status] ?? 0) + 1;
    }
    const order = ['leased', 'queued', 'succeeded', 'failed', 'cancelled'];
    const text = jobs.length === 0 ? 'No jobs.'
      : order.filter((status) => counts[status])
        .map((status) => `${counts[status]} ${status === 'leased' ? 'running' : status}`).join(' · ')
        + (page.total > jobs.length ? ` (latest ${jobs.length} of ${page.total})` : '');
    if (summary.textContent !== text) {
      // a live region: written only when it changes, so screen readers hear changes, not every poll
      summary.textContent = text;
    }
    const active = jobs.filter((job) => ACTIVE.has(job.status))
      .sort((a, b) => (a.status === b.status ? 0 : a.status === 'leased' ? -1 : 1) || a.seed - b.seed || a.level - b.level);
    body.replaceChildren(...active.map(row));
    table.parentElement.hidden = active.length === 0;
    const failed = jobs.filter((job) => job.status === 'failed');
    failures.replaceChildren(...(failed.length ? [h('details', {},
      h('summary', {}, `${failed.length} failed job${failed.length === 1 ? '' : 's'}`),
      h('ul', {}, failed.map((job) => h('li', {}, `${job.kind} seed ${job.seed} level ${job.level}: `,
        h('code', {}, job.lastError ?? 'no reason recorded')))))] : []));
    const signature = jobs.map((job) => `${job.id}:${job.status}`).sort().join(',');
    if (statuses !== null && signature !== statuses) {
      onChange?.();
    }
    statuses = signature;
  }

  async function tick() {
    if (stopped) {
      return;
    }
    if (!document.hidden) {
      try {
        render(await getJson(`jobs?experimentId=${experimentId}&size=200`));
        errors.replaceChildren();
      } catch (error) {
        errors.replaceChildren(errorBox(error));
      }
    }
    if (!stopped) {
      timer = setTimeout(tick, INTERVAL_MS);
    }
  }

  tick();
  return {
    element,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
