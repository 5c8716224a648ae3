// Baton's dashboard: live tables from the watch stream (SSE), actions through the REST API.

import { api } from './api.js';
import { closeLogs } from './log-view.js';
import { attempt, notify } from './notices.js';
import { Store } from './store.js';
import { renderAll } from './views.js';
import { WatchStream } from './watch-stream.js';

// Heartbeats are not watch events (they would flood every watcher), so the heartbeat age column
// refreshes last-seen times from the REST API at this pace.
const LIVENESS_REFRESH_MS = 5000;

const store = new Store();
let renderScheduled = false;

function scheduleRender() {
  if (!renderScheduled) {
    renderScheduled = true;
    requestAnimationFrame(() => {
      renderScheduled = false;
      renderAll(store);
    });
  }
}

function showConnection(state) {
  const pill = document.getElementById('connection');
  pill.dataset.state = state;
  pill.className = `pill pill-${state}`;
  pill.textContent = { live: 'live', connecting: 'reconnecting…', offline: 'offline — retrying' }[state];
}

async function refreshLiveness() {
  try {
    const { agents = [] } = await api.listAgents();
    let changed = false;
    for (const fresh of agents) {
      const known = store.get('agent', fresh.id);
      if (known && known.lastSeenAt !== fresh.lastSeenAt) {
        store.entities.agent.set(fresh.id, { ...known, lastSeenAt: fresh.lastSeenAt, metrics: fresh.metrics });
        changed = true;
      }
    }
    if (changed) {
      scheduleRender();
    }
  } catch {
    // The connection pill already says the server is away; the stream reconnects by itself.
  }
}

function wireSubmitForm() {
  const form = document.getElementById('submit-job');
  const inline = form.elements.inlineConfig;
  const template = form.elements.templateId;
  form.addEventListener('change', () => {
    const useTemplate = form.elements.source.value === 'template';
    inline.hidden = useTemplate;
    template.hidden = !useTemplate;
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const request = {};
    if (form.elements.source.value === 'template') {
      request.templateId = template.value.trim();
    } else {
      try {
        request.inlineConfig = JSON.parse(inline.value);
      } catch (e) {
        notify('error', `Submit job failed: the inline config is not valid JSON (${e.message})`);
        return;
      }
    }
    const title = form.elements.title.value.trim();
    if (title) {
      request.metadata = { title };
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    const job = await attempt('Submit job', () => api.submitJob(request));
    button.disabled = false;
    if (job) {
      notify('info', `Submitted job ${job.id} (${job.status})`);
      form.elements.title.value = '';
    }
  });
}

document.getElementById('logs-close').addEventListener('click', closeLogs);
store.onChange(scheduleRender);
wireSubmitForm();
new WatchStream(store, { onStatus: showConnection, onNotice: notify }).start();
setInterval(scheduleRender, 1000);
setInterval(refreshLiveness, LIVENESS_REFRESH_MS);
