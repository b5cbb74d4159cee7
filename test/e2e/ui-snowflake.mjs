// UI phase, Snowflake part: drives the real workbench against the fake Snowflake endpoint
// (snowflake-fake.mjs). Test Connection and Submit from the command palette with the quick
// inputs answered by typing, the cancellable progress notification (the fake holds the
// statement until it has been seen), the result notification, a failing submit whose error
// keeps Snowflake's code, Set Policies cancelled at its modal question (nothing is set), and a
// connection whose password is asked for (status bar -> pick connection -> password input). Every wait is on a DOM state; no sleeps.
import fs from 'node:fs';
import path from 'node:path';
import { ACCOUNT, NOT_INSTALLED_ROOM, PROMPTED_PASSWORD, ROLE, SUBMIT_RESULT } from './snowflake-fake.mjs';

const CREATE_TEMPLATE_REQUEST = 'CALL SAMOOHA_BY_SNOWFLAKE_LOCAL_DB.CONSUMER.CREATE_TEMPLATE_REQUEST(?, ?, ?)';
const TEMPLATE = 'submit_quoting.jinjasql';
const T = 15000;

export async function snowflakeUiSteps({ page, step, shot, sf, folder }) {
  const quickInput = page.locator('.quick-input-widget:not([style*="display: none"])');
  const toast = text => page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
  const statusItem = text => page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: text }).first();
  const templateText = fs.readFileSync(path.join(folder, 'templates', TEMPLATE), 'utf8');

  async function openTemplate() {
    await page.keyboard.press('Control+P');
    await quickInput.locator('input').waitFor({ timeout: T });
    await page.keyboard.type(TEMPLATE);
    await quickInput.locator('.monaco-list-row').filter({ hasText: TEMPLATE }).first().waitFor({ timeout: T });
    await page.keyboard.press('Enter');
    await page.locator(`.tab.active[aria-label*="${TEMPLATE}"]`).waitFor({ timeout: T });
  }
  async function palette(title) {
    await page.keyboard.press('Control+Shift+P');
    await quickInput.locator('input').waitFor({ timeout: T });
    await page.keyboard.type(title);
    await quickInput.locator('.monaco-list-row.focused').filter({ hasText: title }).waitFor({ timeout: T });
    await page.keyboard.press('Enter');
  }
  /** Waits for the quick input showing `text` (placeholder, prompt or a row), then types + Enter. */
  async function answer(text, typed, { replace = false, row } = {}) {
    const w = quickInput.filter({ has: page.locator(`input[placeholder*="${text}"], .quick-input-message:has-text("${text}")`) });
    await w.waitFor({ timeout: T });
    if (replace) await page.keyboard.press('Control+A');
    await page.keyboard.type(typed);
    if (row) await w.locator('.monaco-list-row.focused').filter({ hasText: row }).waitFor({ timeout: T });
    await page.keyboard.press('Enter');
    await w.waitFor({ state: 'hidden', timeout: T }); // hidden, or reused by the next input with another prompt
  }
  async function send() {
    const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'to Snowflake' });
    await dialog.waitFor({ timeout: T });
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: T });
  }
  const text = loc =>
    loc.innerText().then(s =>
      s
        .replace(/\u00a0/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  const message = t => text(t.locator('.notification-list-item-message'));
  const expect = (cond, msg) => {
    if (!cond) throw new Error(msg);
  };

  await step('snowflake: open the template to submit', openTemplate);

  const whoami = await step('snowflake: Test Connection from the command palette', async () => {
    await palette('Clean Room: Test Snowflake Connection');
    const m = await message(toast("connection 'default' works"));
    expect(m.includes(`account ${ACCOUNT.toUpperCase()}, user ALICE, role ${ROLE}, warehouse APP_WH`), `unexpected message: ${m}`);
    return m;
  });
  expect(/Clean Room: connection 'default' works/.test(whoami), whoami);
  await step('snowflake: status bar shows connection and role', async () => {
    const item = statusItem(`default · ${ROLE}`);
    await item.waitFor({ timeout: T });
    return text(item);
  });
  await shot('10-snowflake-test-connection');

  // ---- submit: quick pick (clean room), input box (template name), confirmation, progress, result
  await step('snowflake: Submit from the command palette, answering the quick inputs', async () => {
    await palette('Clean Room: Submit Template to Clean Room');
    await answer('Which clean room', 'Clean Room 1', { row: 'Clean Room 1' });
    await answer('Template name', 'e2e_ui_submit', { replace: true });
  });
  const held = sf.holdNextSubmit();
  await step('snowflake: confirm Send', send);
  const progress = await step('snowflake: progress notification while the statement is in flight', async () => {
    await held.arrived;
    const t = toast("submitting 'e2e_ui_submit' to 'Clean Room 1': running…");
    await t.waitFor({ timeout: T });
    await t.locator('.monaco-progress-container.active').waitFor({ state: 'attached', timeout: T }); // a running progress bar
    await t.getByRole('button', { name: 'Cancel' }).waitFor({ timeout: T }); // cancellable
    return message(t);
  }).finally(() => shot('11-snowflake-submit-progress').catch(() => {}));
  expect(progress === "Clean Room: submitting 'e2e_ui_submit' to 'Clean Room 1': running…", progress);
  held.release();
  const result = await step('snowflake: result notification', async () => {
    const t = toast(SUBMIT_RESULT);
    await t.waitFor({ timeout: T });
    await toast("submitting 'e2e_ui_submit'").waitFor({ state: 'detached', timeout: T });
    return message(t);
  });
  expect(result.startsWith(`Clean Room: consumer.create_template_request: ${SUBMIT_RESULT}`), `result notification: ${result}`);
  await shot('12-snowflake-submit-result');
  await step('snowflake: the fake received the template byte for byte', async () => {
    const q = sf.fake.queries.filter(x => x.binds[1] === 'e2e_ui_submit');
    expect(q.length === 1, `expected one submit of e2e_ui_submit, got ${q.length}`);
    expect(q[0].sqlText === CREATE_TEMPLATE_REQUEST, `sqlText: ${q[0].sqlText}`);
    expect(q[0].binds[0] === 'Clean Room 1', `clean room bind: ${q[0].binds[0]}`);
    expect(q[0].binds[2] === templateText, 'the template bind differs from the file');
    return `${q[0].sqlText} ['Clean Room 1', 'e2e_ui_submit', <${templateText.length} chars, identical>]`;
  });

  // ---- failure: Snowflake answers 002003 / 42S02; the error notification keeps the code
  await step('snowflake: back to the template tab', async () => {
    await page.locator(`.tab[aria-label*="${TEMPLATE}"]`).click();
    await page.locator(`.tab.active[aria-label*="${TEMPLATE}"]`).waitFor({ timeout: T });
  });
  await step('snowflake: Submit to a clean room typed by hand', async () => {
    await palette('Clean Room: Submit Template to Clean Room');
    await answer('Which clean room', 'Another', { row: 'Another clean room' });
    await answer('Name of the clean room', NOT_INSTALLED_ROOM);
    await answer('Template name', 'e2e_ui_failing', { replace: true });
  });
  await step('snowflake: confirm Send (failing)', send);
  const error = await step('snowflake: error notification keeps the Snowflake code', async () => {
    const t = toast('Snowflake error 002003');
    await t.waitFor({ timeout: T });
    await t.locator('.codicon-error').first().waitFor({ timeout: T });
    return message(t);
  });
  for (const want of [
    'Clean Room: CONSUMER.CREATE_TEMPLATE_REQUEST: ',
    'not installed',
    'Snowflake error 002003',
    'SQL state 42S02',
    "Database 'SAMOOHA_BY_SNOWFLAKE_LOCAL_DB' does not exist",
  ])
    expect(error.includes(want), `error notification lacks "${want}": ${error}`);
  await shot('13-snowflake-submit-error');

  // ---- set policies: the diff opens, the modal question is cancelled, nothing is set
  const setMark = sf.fake.queries.length;
  await step('snowflake: Set Policies from the command palette (consumer side of Clean Room 1)', async () => {
    await palette('Clean Room: Set Policies from Profile');
    await answer('Which clean room', 'Clean Room 1', { row: 'Clean Room 1' });
  });
  const question = await step('snowflake: the diff document opens and the replace question is modal', async () => {
    await page.locator('.tab[aria-label*="policy changes for Clean Room 1.txt"]').waitFor({ timeout: T });
    const dialog = page.locator('.monaco-dialog-box').filter({ hasText: "Replace 1 policy list(s) in 'Clean Room 1'?" });
    await dialog.waitFor({ timeout: T });
    await shot('16-snowflake-set-policies-diff');
    const t = await text(dialog);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: T });
    await toast('setting consumer policies').waitFor({ state: 'detached', timeout: T });
    return t;
  });
  expect(question.includes('The set procedures replace the whole list'), `modal: ${question}`);
  await step('snowflake: cancelled: the live policies were read and nothing was set', async () => {
    const sent = sf.fake.queries.slice(setMark).map(q => q.sqlText.replace(/^CALL SAMOOHA_BY_SNOWFLAKE_LOCAL_DB\./, '').replace(/\(.*$/, ''));
    const want = ['CONSUMER.VIEW_JOIN_POLICY', 'CONSUMER.VIEW_COLUMN_POLICY'];
    expect(JSON.stringify(sent) === JSON.stringify(want), `sent ${JSON.stringify(sent)}, expected ${JSON.stringify(want)}`);
    return sent.join(', ');
  });

  // ---- a connection without a password in connections.toml: the extension asks for it
  await step('snowflake: status bar -> pick the connection "prompted"', async () => {
    await statusItem(`default · ${ROLE}`).click();
    await answer('Snowflake connection for clean room commands', 'prompted', { row: 'prompted' });
    await statusItem('prompted').waitFor({ timeout: T });
  });
  await step('snowflake: Test Connection asks for the password', async () => {
    await palette('Clean Room: Test Snowflake Connection');
    const w = quickInput.filter({ has: page.locator('.quick-input-message:has-text("Password for bob on Snowflake connection \'prompted\'")') });
    await w.locator('input[type="password"]').waitFor({ timeout: T });
    await shot('14-snowflake-password-prompt');
    await page.keyboard.type(PROMPTED_PASSWORD);
    await page.keyboard.press('Enter');
  });
  const prompted = await step('snowflake: the prompted connection works', async () => {
    const t = toast("connection 'prompted' works");
    await t.waitFor({ timeout: T });
    await statusItem(`prompted · ${ROLE}`).waitFor({ timeout: T });
    return message(t);
  });
  expect(prompted.includes(`user BOB, role ${ROLE}`) && !prompted.includes(PROMPTED_PASSWORD), `prompted connection message: ${prompted}`);
  const bob = sf.fake.logins.filter(l => l.user === 'bob');
  expect(bob.length === 1 && bob[0].ok, `expected one successful login of bob, got ${JSON.stringify(bob.map(l => l.ok))}`);
  await shot('15-snowflake-prompted-connection');
}
