// Drives the dashboard's log view in Debian's headless Chromium through playwright-core.
//
//   node logs.test.mjs http://127.0.0.1:PORT/
//
// Run by JobLogsBrowserTest, which owns the server and an agent already running a job titled
// "log demo" that printed two lines. Requests on stdout (SEND_LIVE_LINE, END_JOB) are answered with
// "DONE <request>" on stdin. Prints "STEP <name>" per check, then PASS; on a failure "FAIL <reason>".

import { askServerSide, expectText, runInChromium, step } from './browser-support.mjs';

const url = process.argv[2];
const ask = askServerSide();

await runInChromium({ width: 1440, height: 900 }, async (page) => {
  await page.goto(url);
  const jobRow = page.locator('#jobs tbody tr', { hasText: 'log demo' });
  await expectText(jobRow.locator('[data-field=status]'), 'RUNNING', 'status of the job');
  await jobRow.getByRole('button', { name: 'Logs' }).click();
  const lines = page.locator('#log-lines');
  await expectText(lines, 'hello from stdout', 'retained stdout line');
  await expectText(lines, 'oops on stderr', 'retained stderr line');
  await expectText(lines.locator('.log-line.stderr'), 'oops on stderr', 'stderr line styled as stderr');
  step('log-view-shows-tail');

  await ask('SEND_LIVE_LINE');
  await expectText(lines, 'a live line', 'line printed while the view was open');
  step('log-view-follows-live');

  await ask('END_JOB');
  await expectText(page.locator('#logs-state'), 'attempt 1 ended', 'state after the attempt ended');
  step('log-view-shows-end');
}, ask.close);
