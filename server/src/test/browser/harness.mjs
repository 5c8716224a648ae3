// What the browser tests share: Chromium's flags on these machines, the request/reply conversation
// with the JUnit side (a request line on stdout, "DONE <request>" on stdin) and waiting for text.

import { createInterface } from 'node:readline';

export const CHROMIUM = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
// The flags this machine needs: no sandbox as root, and no background traffic to hosts that a
// closed network refuses.
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const WAIT_MS = 20_000;

const stdin = createInterface({ input: process.stdin });
const replies = [];
const waiters = [];
stdin.on('line', (line) => (waiters.length ? waiters.shift()(line) : replies.push(line)));

/** Asks the JUnit side to do something on the server and waits until it says it is done. */
export async function ask(request) {
  console.log(request);
  const line = replies.length ? replies.shift() : await new Promise((resolve) => waiters.push(resolve));
  if (line !== `DONE ${request}`) {
    throw new Error(`asked ${request}, got "${line}"`);
  }
}

/** Waits until the locator's text matches; fails naming what was expected and what was there. */
export async function expectText(locator, expected, what) {
  const deadline = Date.now() + WAIT_MS;
  let last = null;
  while (Date.now() < deadline) {
    last = (await locator.count()) > 0 ? (await locator.first().textContent()).trim() : null;
    if (last !== null && (expected instanceof RegExp ? expected.test(last) : last.includes(expected))) {
      return;
    }
    await locator.page().waitForTimeout(100);
  }
  throw new Error(`${what}: expected "${expected}", last seen ${last === null ? 'nothing' : `"${last}"`}`);
}

export async function expectGone(locator, what) {
  await locator.first().waitFor({ state: 'detached', timeout: WAIT_MS }).catch(() => {
    throw new Error(`${what}: still on the page after ${WAIT_MS} ms`);
  });
}

/** Stops reading stdin, so node can exit. */
export function closeStdin() {
  stdin.close();
}
