// The four tables: what each column shows and which actions each row offers.

import { api } from './api.js';
import { age, shortId } from './format.js';
import { attempt, notify } from './notices.js';
import { openLogs } from './log-view.js';
import { actions, badge, button, renderTable, text } from './table.js';

const MAX_JOB_ROWS = 500;
const TERMINAL = new Set(['STOPPED', 'FAILED', 'CANCELED']);

const AGENT_TONE = {
  IDLE: 'ok', RUNNING: 'ok', RESERVED: 'info', STARTING: 'info', STOPPING: 'warn', DRAINING: 'warn',
  OFFLINE: 'bad', ERROR: 'bad',
};
const JOB_TONE = {
  RUNNING: 'ok', CREATED: 'info', PENDING: 'info', ASSIGNED: 'info', ACCEPTED: 'info', STARTING: 'info',
  STOPPING: 'warn', UNKNOWN: 'warn', FAILED: 'bad', STOPPED: '', CANCELED: '',
};
const ENGINE_TONE = {
  FREE: 'ok', USED: 'ok', STARTING: 'info', DRAINING: 'warn', STOPPING: 'warn', FAILED: 'bad', UNHEALTHY: 'bad',
};
const HEALTH_TONE = { HEALTHY: 'ok', DEGRADED: 'warn', CIRCUIT_OPEN: 'bad', IMAGE_ERROR: 'bad', PORTS_EXHAUSTED: 'bad' };

export function renderAll(store) {
  const now = store.serverNow();
  renderAgents(store, now);
  renderJobs(store, now);
  renderPools(store);
  renderEngines(store, now);
  document.getElementById('revision').textContent = store.revision === null ? '' : `revision ${store.revision}`;
}

function renderAgents(store, now) {
  const agents = store.all('agent').sort((a, b) => a.id.localeCompare(b.id));
  const online = agents.filter((a) => a.state !== 'OFFLINE').length;
  setCount('agents-count', `${online} online / ${agents.length}`);
  renderTable(document.getElementById('agents'), agents, (a) => a.id, [
    text('agent', (a) => a.id, 'id', (a) => [a.name, a.version].filter(Boolean).join(' · ')),
    badge('state', (a) => [a.state ?? 'STATE_UNSPECIFIED', AGENT_TONE[a.state] ?? '']),
    text('slots', (a) => `${a.freeSlots ?? 0} / ${a.slots ?? 0}`),
    text('heartbeat', (a) => (a.state === 'OFFLINE'
      ? `offline for ${age(a.disconnectedAt, now)}`
      : age(a.lastSeenAt, now))),
    text('drain', (a) => (a.drain ? 'draining' : '—'), '', (a) => (a.drainDeadline ? `until ${a.drainDeadline}` : null)),
    text('jobs', (a) => (a.jobIds ?? []).length),
    actions('actions', () => [
      button((a) => (a.drain ? 'Undrain' : 'Drain'), (a) => attempt(`${a.drain ? 'Undrain' : 'Drain'} agent ${a.id}`,
        () => api.drainAgent(a.id, !a.drain))),
    ]),
  ]);
}

function renderJobs(store, now) {
  const jobs = store.all('job').sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  const running = jobs.filter((j) => j.status === 'RUNNING').length;
  setCount('jobs-count', `${running} running / ${jobs.length}`
           + (jobs.length > MAX_JOB_ROWS ? ` (newest ${MAX_JOB_ROWS} shown)` : ''));
  renderTable(document.getElementById('jobs'), jobs.slice(0, MAX_JOB_ROWS), (j) => j.id, [
    text('job', (j) => j.metadata?.title || shortId(j.id), '', (j) => (j.metadata?.title ? j.id : j.templateId)),
    badge('status', (j) => [j.status ?? 'STATUS_UNSPECIFIED', JOB_TONE[j.status] ?? '']),
    text('agent', (j) => j.agentId || '—', 'id'),
    text('attempt', (j) => `${j.attempt ?? 0} / ${j.maxAttempts ?? 0}`),
    text('viewers', (j) => j.metadata?.viewers ?? '—'),
    text('muted', (j) => (j.metadata?.isMuted ? 'muted' : '—')),
    text('age', (j) => age(j.createdAt, now)),
    text('reason', (j) => j.failureReason || j.statusReason || '', 'reason'),
    actions('actions', () => [
      button('Logs', (j) => openLogs(j.id)),
      button((j) => (j.metadata?.isMuted ? 'Unmute' : 'Mute'), async (j) => {
        const mute = !j.metadata?.isMuted;
        await attempt(`${mute ? 'Mute' : 'Unmute'} job ${shortId(j.id)}`, () => api.muteJob(j.id, mute));
      }, { enabled: (j) => j.status === 'RUNNING' }),
      button('Stop', (j) => attempt(`Stop job ${shortId(j.id)}`, () => api.stopJob(j.id)),
             { enabled: (j) => !TERMINAL.has(j.status) && j.status !== 'STOPPING', danger: true }),
    ]),
  ]);
}

function renderPools(store) {
  const pools = store.all('pool').sort((a, b) => a.name.localeCompare(b.name));
  setCount('pools-count', `${pools.length}`);
  renderTable(document.getElementById('pools'), pools, (p) => p.name, [
    text('pool', (p) => p.name, 'id', (p) => p.spec?.image),
    text('free', (p) => p.status?.free ?? 0),
    text('used', (p) => p.status?.used ?? 0),
    text('starting', (p) => p.status?.starting ?? 0),
    text('total', (p) => `${p.status?.total ?? 0} / ${p.status?.desired ?? 0}`),
    text('minFree', (p) => p.spec?.minFree ?? 0),
    text('maxEngines', (p) => p.spec?.maxEngines ?? 0),
    badge('health', (p) => [p.status?.health ?? '—', HEALTH_TONE[p.status?.health] ?? ''],
          (p) => p.status?.message),
    scaleCell(),
  ]);
}

function scaleCell() {
  return {
    field: 'scale',
    className: 'scale',
    init(td, currentPool) {
      const minFree = numberInput('min free');
      const maxEngines = numberInput('max');
      const scale = button('Scale', async (pool) => {
        const request = {};
        if (minFree.value !== '') request.minFree = Number(minFree.value);
        if (maxEngines.value !== '') request.maxEngines = Number(maxEngines.value);
        const scaled = await attempt(`Scale pool ${pool.name}`, () => api.scalePool(pool.name, request));
        if (scaled) {
          minFree.value = '';
          maxEngines.value = '';
          notify('info', `Pool ${pool.name}: min free ${scaled.spec?.minFree ?? 0}, max ${scaled.spec?.maxEngines ?? 0}`);
        }
      });
      scale.bind(currentPool);
      td.append(minFree, maxEngines, scale);
    },
    update(td, pool) {
      const [minFree, maxEngines] = td.querySelectorAll('input');
      minFree.placeholder = pool.spec?.minFree ?? 0;
      maxEngines.placeholder = pool.spec?.maxEngines ?? 0;
      td.querySelector('button').update(pool);
    },
  };
}

function renderEngines(store, now) {
  const engines = store.all('engine')
                       .sort((a, b) => (a.pool ?? '').localeCompare(b.pool ?? '') || a.id.localeCompare(b.id));
  setCount('engines-count', `${engines.length}`);
  renderTable(document.getElementById('engines'), engines, (e) => e.id, [
    text('engine', (e) => e.id, 'id', (e) => e.containerName),
    text('pool', (e) => e.pool),
    badge('state', (e) => [e.state ?? 'STATE_UNSPECIFIED', ENGINE_TONE[e.state] ?? '']),
    text('agent', (e) => e.agentId || '—', 'id'),
    text('jobs', (e) => (e.jobIds ?? []).length),
    text('endpoints', (e) => (e.endpoints ?? [])
      .map((p) => (p.health === 'UNHEALTHY' ? `${p.url} (unhealthy)` : p.url)).join(' ') || '—', 'id'),
    text('image', (e) => e.image, 'id'),
    text('age', (e) => age(e.createdAt, now)),
    text('reason', (e) => e.reason || e.dockerStatus || '', 'reason'),
  ]);
}

function numberInput(label) {
  const input = document.createElement('input');
  input.type = 'number';
  input.min = '0';
  input.setAttribute('aria-label', label);
  input.title = label;
  return input;
}

function setCount(id, value) {
  document.getElementById(id).textContent = value;
}
