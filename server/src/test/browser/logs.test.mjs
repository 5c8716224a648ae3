// Drives the dashboard's log view in Debian's headless Chromium through playwright-core.
//
//   node logs.test.mjs http://127.0.0.1:PORT/
//
// Run by JobLogsBrowserTest, which owns the server and an agent already running a job titled
// "log demo" that printed two lines. Requests on stdout (SEND_LIVE_LINE, END_JOB) are answered with
// "DONE <request>" on stdin. Prints "STEP <name>" per check, then PASS; on a failure "FAIL <reason>".

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, ask, closeStdin, expectText } from './harness.mjs';

const url = process.argv[2];

const userDataDir = mkdtempSync(join(tmpdir(), 'baton-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);

  const jobRow = page.locator('#jobs tbody tr', { hasText: 'log demo' });
  await expectText(jobRow.locator('[data-field=status]'), 'RUNNING', 'status of the job');
  await jobRow.getByRole('button', { name: 'Logs' }).click();
  const lines = page.locator('#log-lines');
  await expectText(lines, 'hello from stdout', 'retained stdout line');
  await expectText(lines, 'oops on stderr', 'retained stderr line');
  await expectText(lines.locator('.log-line.stderr'), 'oops on stderr', 'stderr line styled as stderr');
  console.log('STEP log-view-shows-tail');

  await ask('SEND_LIVE_LINE');
  await expectText(lines, 'a live line', 'line printed while the view was open');
  console.log('STEP log-view-follows-live');

  await ask('END_JOB');
  await expectText(page.locator('#logs-state'), 'attempt 1 ended', 'state after the attempt ended');
  console.log('STEP log-view-shows-end');

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
  closeStdin();
}
