// What the dashboard knows: every entity by kind and id, as the watch stream last described it.

export const KINDS = ['agent', 'job', 'engine', 'pool'];

const KIND_OF = {
  ENTITY_KIND_AGENT: 'agent',
  ENTITY_KIND_JOB: 'job',
  ENTITY_KIND_ENGINE: 'engine',
  ENTITY_KIND_POOL: 'pool',
};

export function emptyEntities() {
  return Object.fromEntries(KINDS.map((kind) => [kind, new Map()]));
}

/** The kind, id and entity of a WatchEvent in protobuf JSON; null for markers. */
export function entityOf(event) {
  const kind = KIND_OF[event.kind];
  const entity = kind && event[kind];
  if (!entity) {
    return null;
  }
  return { kind, id: kind === 'pool' ? entity.name : entity.id, entity };
}

export class Store {
  constructor() {
    this.entities = emptyEntities();
    this.revision = null;
    // Server time minus browser time, so ages are right even when the two clocks disagree.
    this.serverOffsetMs = 0;
    this.listeners = [];
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  changed() {
    this.listeners.forEach((listener) => listener());
  }

  all(kind) {
    return [...this.entities[kind].values()];
  }

  get(kind, id) {
    return this.entities[kind].get(id);
  }

  put(kind, id, entity) {
    this.entities[kind].set(id, entity);
    this.changed();
  }

  remove(kind, id) {
    this.entities[kind].delete(id);
    this.changed();
  }

  replaceAll(entities) {
    this.entities = entities;
    this.changed();
  }

  setRevision(revision) {
    this.revision = revision;
  }

  observeServerTime(serverMillis) {
    this.serverOffsetMs = serverMillis - Date.now();
  }

  serverNow() {
    return Date.now() + this.serverOffsetMs;
  }
}
