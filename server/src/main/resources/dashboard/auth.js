// The admin token, for servers that ask for one (ADMIN_AUTH=required, or a page opened from another
// host). Asked for when the server answers 401 and kept in sessionStorage: it lives as long as this
// tab and is never written to disk. EventSource cannot send headers, so the watch stream carries
// the token as ?access_token=, which the server accepts on that one path only.

const KEY = 'baton.adminToken';
let asking = null;

export function currentToken() {
  return sessionStorage.getItem(KEY);
}

/** Adds `authorization: Bearer <token>` to `headers` when there is a token. */
export function withAuthorization(headers) {
  const token = currentToken();
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  return headers;
}

/** A stream URL (watch, log follow) with the token, for EventSource. */
export function withAccessToken(url) {
  const token = currentToken();
  return token ? `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}` : url;
}

/** Shows the token form with the server's reason; resolves once the user has given a token. */
export function askForToken(reason) {
  sessionStorage.removeItem(KEY);
  asking ??= new Promise((resolve) => {
    const dialog = document.getElementById('token-dialog');
    const form = dialog.querySelector('form');
    dialog.querySelector('[data-reason]').textContent = reason;
    dialog.hidden = false;
    form.onsubmit = (event) => {
      event.preventDefault();
      const token = form.elements.token.value.trim();
      if (!token) {
        return;
      }
      sessionStorage.setItem(KEY, token);
      form.reset();
      dialog.hidden = true;
      asking = null;
      resolve();
    };
    form.elements.token.focus();
  });
  return asking;
}
