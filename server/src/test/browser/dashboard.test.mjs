// Drives Baton's dashboard in Debian's headless Chromium through playwright-core.
//
//   node dashboard.test.mjs http://127.0.0.1:PORT/
//
// Run by DashboardBrowserTest, which owns the server and the simulated agents. When the page needs
// something done on the server side it prints a request line (CONNECT_AGENT, CREATE_POOL,
// RESTART_SERVER) and
// waits for "DONE <request>" on stdin. Prints "STEP <name>" per check, then PASS; on a failure
// "FAIL <reason>" and exit code 1. BATON_SCREENSHOT=<file.png> also saves a full-page screenshot.

import { askServerSide, expectGone, expectText, runInChromium, step } from './browser-support.mjs';

const url = process.argv[2];
if (!url) {
  console.log('FAIL usage: node dashboard.test.mjs <dashboard url>');
  process.exit(2);
}

const ask = askServerSide();

await runInChromium({ width: 1440, height: 900 }, async (page) => {
  await page.goto(url);
  await expectText(page.locator('#connection'), 'live', 'connection pill');
  step('page-live');

  await ask('CONNECT_AGENT');
  const agentRow = page.locator('#agents tr[data-id="browser-agent"]');
  await expectText(agentRow.locator('[data-field=state]'), 'IDLE', 'state of the agent that connected');
  await expectText(agentRow.locator('[data-field=slots]'), '2 / 2', 'slots of the agent that connected');
  step('agent-appears');

  const form = page.locator('#submit-job');
  await form.locator('textarea[name=inlineConfig]').fill('{"command": ["sleep", "600"]}');
  await form.locator('input[name=title]').fill('submitted from the browser');
  await form.getByRole('button', { name: 'Submit job' }).click();
  const jobRow = page.locator('#jobs tbody tr', { hasText: 'submitted from the browser' });
  await expectText(jobRow.locator('[data-field=status]'), 'RUNNING', 'status of the submitted job');
  step('submitted-job-running');

  await jobRow.getByRole('button', { name: 'Mute' }).click();
  await expectText(jobRow.locator('[data-field=muted]'), 'muted', 'muted column after Mute');
  await expectText(jobRow.getByRole('button', { name: /mute/i }), 'Unmute', 'mute button after Mute');
  step('job-muted');

  await jobRow.getByRole('button', { name: 'Stop' }).click();
  await expectText(jobRow.locator('[data-field=status]'), 'STOPPED', 'status after Stop');
  step('job-stopped');

  // A job without a title is shown by the end of its id: ids begin with their time, so jobs submitted
  // together share the beginning.
  await form.locator('input[name=title]').fill('');
  await form.getByRole('button', { name: 'Submit job' }).click();
  const untitledRow = page.locator('#jobs tbody tr').filter({ has: page.locator('[data-field=job]', { hasText: /^…/ }) });
  await expectText(untitledRow.locator('[data-field=status]'), 'RUNNING', 'status of the job submitted without a title');
  const untitledId = await untitledRow.getAttribute('data-id');
  // Job ids are UUIDs, so their end is hex digits and safe in a pattern.
  await expectText(untitledRow.locator('[data-field=job]'), new RegExp(`^…${untitledId.slice(-8)}$`),
                   `job cell of the job without a title (id ${untitledId})`);
  await untitledRow.getByRole('button', { name: 'Stop' }).click();
  await expectText(untitledRow.locator('[data-field=status]'), 'STOPPED', 'job without a title after Stop');
  step('untitled-job-shown-by-id-end');

  await agentRow.getByRole('button', { name: 'Drain' }).click();
  await expectText(agentRow.locator('[data-field=drain]'), 'draining', 'drain column after Drain');
  await agentRow.getByRole('button', { name: 'Undrain' }).click();
  await expectText(agentRow.locator('[data-field=drain]'), '—', 'drain column after Undrain');
  step('agent-drained-and-undrained');

  await ask('CREATE_POOL');
  const poolRow = page.locator('#pools tr[data-id="transcoders"]');
  await expectText(poolRow.locator('[data-field=minFree]'), '0', 'min free of the pool that was created');
  await poolRow.getByLabel('min free').fill('1');
  await poolRow.getByLabel('max').fill('4');
  await poolRow.getByRole('button', { name: 'Scale' }).click();
  await expectText(poolRow.locator('[data-field=minFree]'), '1', 'min free after Scale');
  await expectText(poolRow.locator('[data-field=maxEngines]'), '4', 'max engines after Scale');
  step('pool-scaled');

  await form.locator('input[name=source][value=template]').check();
  await form.locator('input[name=templateId]').fill('no-such-template');
  await form.getByRole('button', { name: 'Submit job' }).click();
  await expectText(page.locator('#notices .notice.error'), /Submit job failed: 404 NOT_FOUND: .*no-such-template/,
                   'error shown for an unknown template');
  step('api-error-shown');
  await form.locator('input[name=source][value=inline]').check();

  if (process.env.BATON_SCREENSHOT) {
    await page.locator('#notices').evaluate((notices) => notices.replaceChildren());
    await page.screenshot({ path: process.env.BATON_SCREENSHOT, fullPage: true });
    step('screenshot');
  }

  await ask('RESTART_SERVER');
  await expectText(page.locator('#agents tr[data-id="after-restart"] [data-field=state]'), 'IDLE',
                   'agent that connected after the restart');
  await expectText(jobRow.locator('[data-field=status]'), 'STOPPED', 'stopped job after the restart');
  await expectGone(page.locator('#agents tr[data-id="browser-agent"]'),
                   'agent the restarted server no longer knows (RESET must clear it)');
  await expectText(page.locator('#connection'), 'live', 'connection pill after the restart');
  step('reconnected-after-restart');
}, ask.close);
