// What the dashboard's browser tests share: Debian's Chromium with the flags this machine needs,
// waiting for text on the page, and the STEP / PASS / FAIL protocol DashboardBrowserTest reads.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
// No sandbox as root, and no background traffic to hosts that a closed network refuses.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
/**
 * The request protocol with the JUnit side: ask(request) prints the request line and waits for
 * "DONE <request>" on stdin (the Java test does the server-side work in between); ask.close() ends it.
 */
export function askServerSide() {
  const stdin = createInterface({ input: process.stdin });
  const replies = [];
  const waiters = [];
  stdin.on('line', (line) => (waiters.length ? waiters.shift()(line) : replies.push(line)));
  const ask = async (request) => {
    console.log(request);
    const line = replies.length ? replies.shift() : await new Promise((resolve) => waiters.push(resolve));
    if (line !== `DONE ${request}`) {
      throw new Error(`asked ${request}, got "${line}"`);
    }
  };
  /** Stops reading stdin, so that node can exit. */
  ask.close = () => stdin.close();
  return ask;
}

export const WAIT_MS = 20_000;

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

export function step(name) {
  console.log(`STEP ${name}`);
}

/**
 * Runs `body(page)` in a fresh headless Chromium profile, then prints PASS; on a failure or an
 * uncaught error on the page prints "FAIL <reason>" and sets exit code 1. `finish` runs last.
 */
export async function runInChromium(viewport, body, finish = () => {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'baton-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await body(page);
    if (pageErrors.length) {
      throw new Error(`uncaught errors on the page: ${pageErrors.join('; ')}`);
    }
    console.log('PASS');
  } catch (error) {
    console.log(`FAIL ${error.message}`);
    process.exitCode = 1;
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
    finish();
  }
}
