// The dashboard against a server with ADMIN_AUTH=required, in Debian's headless Chromium:
//
//   node dashboard-auth.test.mjs http://127.0.0.1:PORT/ <operator token>
//
// Run by DashboardBrowserTest, which owns the server and an agent named auth-agent. The page must
// ask for a token, refuse a wrong one, then work with the right one (stream and actions), and keep
// it across a reload of the tab. Prints "STEP <name>" per check, then PASS; "FAIL <reason>" otherwise.

import { expectText, runInChromium, step, WAIT_MS } from './browser-support.mjs';

const [url, token] = process.argv.slice(2);
if (!url || !token) {
  console.log('FAIL usage: node dashboard-auth.test.mjs <dashboard url> <token>');
  process.exit(2);
}

await runInChromium({ width: 1280, height: 800 }, async (page) => {
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
});
