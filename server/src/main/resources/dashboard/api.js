// The REST API the dashboard acts through. A failed call throws ApiError with the server's own
// {"code","message","status"} so the page can show the user exactly what went wrong.

import { askForToken, withAuthorization } from './auth.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  toString() {
    return this.status ? `${this.status} ${this.code}: ${this.message}` : `${this.code}: ${this.message}`;
  }
}

// A 401 (no token, or one the server does not know) asks the user for a token and tries again.
async function call(method, path, body) {
  for (;;) {
    const { response, text, json } = await send(method, path, body);
    if (response.status === 401) {
      await askForToken(json?.message ?? 'This server needs an admin token.');
      continue;
    }
    return result(response, text, json);
  }
}

async function send(method, path, body) {
  const init = { method, headers: withAuthorization({ accept: 'application/json' }) };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'UNAVAILABLE', `the server could not be reached (${e.message})`);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the text itself is the best message there is
  }
  return { response, text, json };
}

function result(response, text, json) {
  if (!response.ok) {
    throw new ApiError(response.status, json?.code ?? `HTTP ${response.status}`,
                       json?.message ?? (text || response.statusText));
  }
  return json;
}

const id = (value) => encodeURIComponent(value);

export const api = {
  submitJob: (request) => call('POST', '/v1/jobs', request),
  stopJob: (jobId) => call('POST', `/v1/jobs/${id(jobId)}/stop`, {}),
  muteJob: (jobId, mute) => call('POST', `/v1/jobs/${id(jobId)}/${mute ? 'mute' : 'unmute'}`, {}),
  drainAgent: (agentId, drain) => call('POST', `/v1/agents/${id(agentId)}/drain`, { drain }),
  scalePool: (name, scale) => call('POST', `/v1/pools/${id(name)}/scale`, scale),
  listAgents: () => call('GET', '/v1/agents?pageSize=1000'),
  status: () => call('GET', '/v1/status'),
};
