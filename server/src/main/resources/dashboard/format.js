// How times read on the page.

export function age(timestamp, now) {
  if (!timestamp) {
    return '—';
  }
  const seconds = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (seconds < 60) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes}m ${seconds % 60}s`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return `${hours}h ${minutes % 60}m`;
  }
  return `${Math.floor(hours / 24)}d`;
}

// The end of an id: job ids begin with their submit time (UUIDv7), so the jobs of one minute share their first characters.
export function shortId(id) {
  return id && id.length > 12 ? `…${id.slice(-8)}` : id;
}
