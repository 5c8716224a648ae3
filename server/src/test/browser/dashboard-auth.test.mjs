// The dashboard against a server with ADMIN_AUTH=required, in Debian's headless Chromium:
//
//   node dashboard-auth.test.mjs http://127.0.0.1:PORT/ <operator token>
//
// Run by DashboardBrowserTest, which owns the server and an agent named auth-agent. The page must
// ask for a token, refuse a wrong one, then work with the right one (stream and actions), and keep
// it across a reload of the tab. Prints "STEP <name>" per check, then PASS; "FAIL <reason>" otherwise.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const WAIT_MS = 20_000;

const [url, token] = process.argv.slice(2);
if (!url || !token) {
  console.log('FAIL usage: node dashboard-auth.test.mjs <dashboard url> <token>');
  process.exit(2);
}

async function expectText(locator, expected, what) {
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

const step = (name) => console.log(`STEP ${name}`);

const userDataDir = mkdtempSync(join(tmpdir(), 'baton-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const dialog = page.locator('#token-dialog');

  await page.goto(url);
  await dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
  await expectText(dialog.locator('[data-reason]'), 'needs an admin token', 'reason shown in the token dialog');
  step('asked-for-token');

  await dialog.getByLabel('Admin token').fill('not-the-right-token-000');
  await dialog.getByRole('button', { name: 'Use token' }).click();
  await expectText(dialog.locator('[data-reason]'), 'not a known admin token', 'reason after a wrong token');
  await dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
  step('wrong-token-refused');

  await dialog.getByLabel('Admin token').fill(token);
  await dialog.getByRole('button', { name: 'Use token' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: WAIT_MS });
  await expectText(page.locator('#connection'), 'live', 'connection pill with the token');
  await expectText(page.locator('#agents tr[data-id="auth-agent"] [data-field=state]'), 'IDLE', 'agent from the stream');
  step('live-with-token');

  const form = page.locator('#submit-job');
  await form.locator('textarea[name=inlineConfig]').fill('{"command": ["sleep", "600"]}');
  await form.locator('input[name=title]').fill('submitted with a token');
  await form.getByRole('button', { name: 'Submit job' }).click();
  const jobRow = page.locator('#jobs tbody tr', { hasText: 'submitted with a token' });
  await expectText(jobRow.locator('[data-field=status]'), 'RUNNING', 'status of the job submitted with a token');
  step('acted-with-token');

  await page.reload();
  await expectText(page.locator('#connection'), 'live', 'connection pill after a reload');
  if (await dialog.isVisible()) {
    throw new Error('the token dialog came back after a reload: the token was not kept for the tab');
  }
  step('token-kept-for-the-tab');

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
}
