// The log view of one job: the retained tail of its latest attempt, then new lines live, from the
// Server-Sent Events route GET /v1/jobs/{id}/logs/follow. The browser's EventSource reconnects by
// itself and resumes after the last line it got (Last-Event-ID is the line's seq); the "end" event
// means the attempt ended, so the view stops following instead of reconnecting.

import { withAccessToken } from './auth.js';
import { shortId } from './format.js';

const TAIL = 500;
const MAX_LINES = 2000;
let source = null;

export function openLogs(jobId) {
  closeLogs();
  const panel = document.getElementById('logs-panel');
  const lines = document.getElementById('log-lines');
  panel.hidden = false;
  panel.dataset.jobId = jobId;
  document.getElementById('logs-title').textContent = `Logs of job ${shortId(jobId)}`;
  document.getElementById('logs-state').textContent = 'following…';
  lines.replaceChildren();
  source = new EventSource(withAccessToken(`/v1/jobs/${encodeURIComponent(jobId)}/logs/follow?tail=${TAIL}`));
  source.onmessage = (event) => append(lines, JSON.parse(event.data));
  source.addEventListener('end', (event) => {
    const { attempt } = JSON.parse(event.data);
    document.getElementById('logs-state').textContent = `attempt ${attempt} ended`;
    closeSource();
  });
  source.onerror = () => {
    if (source && source.readyState === EventSource.CONNECTING) {
      document.getElementById('logs-state').textContent = 'reconnecting…';
    }
  };
  source.onopen = () => {
    document.getElementById('logs-state').textContent = 'following…';
  };
  panel.scrollIntoView({ block: 'nearest' });
}

export function closeLogs() {
  closeSource();
  document.getElementById('logs-panel').hidden = true;
}

function closeSource() {
  if (source) {
    source.close();
    source = null;
  }
}

function append(container, line) {
  const atBottom = container.scrollTop + container.clientHeight >= container.scrollHeight - 4;
  const row = document.createElement('div');
  row.className = `log-line ${(line.stream ?? '').replace('LOG_STREAM_', '').toLowerCase()}`;
  row.textContent = line.text;
  row.title = `#${line.seq} ${line.time ?? ''}`;
  container.append(row);
  while (container.childElementCount > MAX_LINES) {
    container.firstElementChild.remove();
  }
  if (atBottom) {
    container.scrollTop = container.scrollHeight;
  }
}
