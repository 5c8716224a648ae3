// Messages for the user: API errors stay until dismissed (an error nobody saw is an error
// swallowed); information fades after a while.

const MAX_NOTICES = 5;
const INFO_MS = 8000;

export function notify(tone, message) {
  const list = document.getElementById('notices');
  const notice = document.createElement('div');
  notice.className = `notice ${tone}`;
  notice.setAttribute('role', tone === 'error' ? 'alert' : 'status');
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = message;
  const close = document.createElement('button');
  close.type = 'button';
  close.setAttribute('aria-label', 'dismiss');
  close.textContent = '×';
  close.addEventListener('click', () => notice.remove());
  notice.append(text, close);
  list.prepend(notice);
  while (list.children.length > MAX_NOTICES) {
    list.lastChild.remove();
  }
  if (tone !== 'error') {
    setTimeout(() => notice.remove(), INFO_MS);
  }
}

/** Runs an API action; a failure is shown with what was being done and the server's message. */
export async function attempt(what, action) {
  try {
    return await action();
  } catch (error) {
    notify('error', `${what} failed: ${error}`);
    return undefined;
  }
}
