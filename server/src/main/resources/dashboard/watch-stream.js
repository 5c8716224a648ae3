// Follows GET /v1/watch with EventSource and keeps the store equal to the server's state.
//
// The browser resumes by itself after a dropped connection (it sends Last-Event-ID; the server sets
// ids only where resuming is safe). When the browser gives up instead (the server answered an error
// while restarting), a new EventSource resumes with ?fromRevision=. A RESET, or a snapshot after a
// reconnect, replaces everything at SNAPSHOT_END, so rows of entities that vanished meanwhile go.

import { api } from './api.js';
import { withAccessToken } from './auth.js';
import { emptyEntities, entityOf } from './store.js';

const MAX_RETRY_MS = 10_000;

export class WatchStream {
  constructor(store, { onStatus, onNotice }) {
    this.store = store;
    this.onStatus = onStatus;
    this.onNotice = onNotice;
    this.lastRevision = null;
    this.staging = null;
    this.retryMs = 1000;
  }

  start() {
    this.connect();
  }

  // EventSource does not tell why it failed, so a plain call goes first: if the server wants a
  // token (401), the API client asks the user for one before the stream opens with it.
  async connect() {
    try {
      await api.status();
    } catch {
      this.retryLater();
      return;
    }
    const url = this.lastRevision === null ? '/v1/watch' : `/v1/watch?fromRevision=${this.lastRevision}`;
    const source = new EventSource(withAccessToken(url));
    source.onopen = () => {
      this.retryMs = 1000;
      this.onStatus('live');
    };
    source.onmessage = (message) => this.apply(JSON.parse(message.data));
    for (const name of ['fell-behind', 'server-stopping']) {
      source.addEventListener(name, (message) => {
        this.onStatus('connecting');
        this.onNotice('info', `${JSON.parse(message.data).message} — reconnecting`);
      });
    }
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) {
        this.onStatus('connecting');
        return;
      }
      this.retryLater();
    };
  }

  retryLater() {
    this.onStatus('offline');
    setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  apply(event) {
    const revision = Number(event.revision ?? 0);
    const item = entityOf(event);
    switch (event.type) {
      case 'RESET':
        this.staging = emptyEntities();
        this.observeTime(event);
        return;
      case 'SNAPSHOT':
        this.staging ??= emptyEntities();
        this.staging[item.kind].set(item.id, item.entity);
        return;
      case 'SNAPSHOT_END':
        this.observeTime(event);
        this.resumeAt(revision);
        this.store.replaceAll(this.staging ?? emptyEntities());
        this.staging = null;
        return;
      case 'BOOKMARK':
        this.observeTime(event);
        this.resumeAt(revision);
        this.store.changed();
        return;
      case 'ADDED':
      case 'UPDATED':
        this.resumeAt(revision);
        this.store.put(item.kind, item.id, item.entity);
        return;
      case 'REMOVED':
        this.resumeAt(revision);
        this.store.remove(item.kind, item.id);
        return;
      default:
        console.warn('unknown watch event', event);
    }
  }

  resumeAt(revision) {
    this.lastRevision = revision;
    this.store.setRevision(revision);
  }

  // Markers are stamped with the server's current time; change events may be replays of the past.
  observeTime(event) {
    if (event.time) {
      this.store.observeServerTime(Date.parse(event.time));
    }
  }
}
