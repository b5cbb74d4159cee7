// Snowflake commands against the fake Snowflake endpoint that run-vscode.mjs starts
// (test/e2e/snowflake-fake.mjs): the harness gives code-server a SNOWFLAKE_HOME whose
// connections.toml points at it and E2E_SNOWFLAKE_LOG, a JSON-lines file with every login and
// statement the fake received. Without that variable (desktop run-electron.mjs) the suite is
// skipped. Only the `vscode` API is used.
'use strict';
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const h = require('./helpers');

const LOG = process.env.E2E_SNOWFLAKE_LOG;
const CMD = name => `cleanRoomTemplates.snowflake.${name}`;
const CREATE_TEMPLATE_REQUEST = 'CALL SAMOOHA_BY_SNOWFLAKE_LOCAL_DB.CONSUMER.CREATE_TEMPLATE_REQUEST(?, ?, ?)';
const TEMPLATE = 'templates/submit_quoting.jinjasql';

/** Entries the fake logged after `mark` (a line count from `mark()`). */
function logMark() {
  return LOG ? fs.readFileSync(LOG, 'utf8').split('\n').filter(Boolean).length : 0;
}
function logSince(mark) {
  return fs
    .readFileSync(LOG, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(mark)
    .map(l => JSON.parse(l));
}

suite('Snowflake commands against the fake Snowflake endpoint', function () {
  let api;

  suiteSetup(async function () {
    if (!LOG) {
      console.log('[e2e-suite] E2E_SNOWFLAKE_LOG not set (no fake Snowflake in this host): skipping the Snowflake suite');
      this.skip();
    }
    api = await h.withTimeout(Promise.resolve(vscode.extensions.getExtension(h.EXTENSION_ID).activate()), 30000, 'extension activation');
    assert.ok(api.snowflake && typeof api.snowflake.connectionStatus === 'function', 'the extension API has no snowflake.connectionStatus()');
  });

  test('the workspace is trusted (code-server runs with --disable-workspace-trust)', function () {
    assert.strictEqual(vscode.workspace.isTrusted, true, 'Snowflake commands refuse to run in Restricted Mode');
  });

  test('Test Connection logs in with the password from connections.toml and shows the role in the status bar', async function () {
    assert.strictEqual(api.snowflake.connectionStatus(), '$(database) default', 'status bar before any connection');
    const mark = logMark();
    const row = await vscode.commands.executeCommand(CMD('testConnection'));
    assert.ok(row, 'testConnection returned nothing (it failed; see the Clean Room output)');
    assert.strictEqual(row.ROLE, 'SAMOOHA_APP_ROLE');
    assert.strictEqual(row.USER, 'ALICE');
    assert.strictEqual(api.snowflake.connectionStatus(), '$(database) default · SAMOOHA_APP_ROLE');
    const got = logSince(mark);
    const logins = got.filter(e => e.login).map(e => e.login);
    assert.deepStrictEqual(logins, [{ account: 'e2eacct', user: 'alice', authenticator: 'SNOWFLAKE', role: 'SAMOOHA_APP_ROLE', ok: true }]);
    assert.deepStrictEqual(
      got.filter(e => e.query).map(e => e.query.sqlText),
      ['SELECT CURRENT_ACCOUNT() AS ACCOUNT, CURRENT_USER() AS "USER", CURRENT_ROLE() AS ROLE, CURRENT_WAREHOUSE() AS WAREHOUSE, CURRENT_VERSION() AS VERSION'],
    );
  });

  test('Submit sends CREATE_TEMPLATE_REQUEST with the template text byte for byte ($$, quotes, backslash)', async function () {
    const doc = await h.open(TEMPLATE);
    const onDisk = fs.readFileSync(doc.uri.fsPath, 'utf8');
    assert.ok(
      onDisk.includes('$$') && onDisk.includes("'") && onDisk.includes('"') && onDisk.includes('\\'),
      'the fixture must hold $$, quotes and a backslash',
    );
    const mark = logMark();
    await vscode.commands.executeCommand(CMD('submitTemplate'), { cleanroom: 'Clean Room 1', name: 'e2e_quoting', confirm: false });
    assert.deepStrictEqual(api.snowflake.lastSubmit, {
      ok: true,
      message: 'Clean Room: consumer.create_template_request: Request for template submitted: E2E-REQ-0001',
    });
    const queries = logSince(mark)
      .filter(e => e.query)
      .map(e => e.query);
    assert.strictEqual(queries.length, 1, `expected one statement, got ${JSON.stringify(queries.map(q => q.sqlText))}`);
    assert.strictEqual(queries[0].sqlText, CREATE_TEMPLATE_REQUEST);
    assert.deepStrictEqual(queries[0].bindTypes, ['TEXT', 'TEXT', 'TEXT']);
    assert.deepStrictEqual(queries[0].binds.slice(0, 2), ['Clean Room 1', 'e2e_quoting']);
    assert.ok(
      queries[0].binds[2] === onDisk,
      `the template bind differs from the file:\n${JSON.stringify(queries[0].binds[2])}\n!==\n${JSON.stringify(onDisk)}`,
    );
  });

  test('a submit Snowflake rejects (002003, DCR not installed) is reported as failed, and the statement was sent once', async function () {
    await h.open(TEMPLATE);
    const mark = logMark();
    await vscode.commands.executeCommand(CMD('submitTemplate'), { cleanroom: 'ghost_room', name: 'e2e_quoting', confirm: false });
    assert.deepStrictEqual(api.snowflake.lastSubmit, { ok: false, message: 'failed or cancelled' });
    const queries = logSince(mark)
      .filter(e => e.query)
      .map(e => e.query);
    assert.deepStrictEqual(
      queries.map(q => [q.sqlText, q.binds[0]]),
      [[CREATE_TEMPLATE_REQUEST, 'ghost_room']],
    );
  });

  test('a worksheet with two templates: the one picked is sent (index 1 answers the pick)', async function () {
    const os = require('os');
    const path = require('path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcr-e2e-sheet-'));
    const file = path.join(dir, 'two_templates.sql');
    fs.writeFileSync(
      file,
      "CALL samooha_by_snowflake_local_db.consumer.create_template_request('Clean Room 1', 'first_t', $$SELECT 1 AS a$$);\nCALL samooha_by_snowflake_local_db.consumer.create_template_request('Clean Room 1', 'second_t', $$SELECT 2 AS b$$);\n",
    );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
    const mark = logMark();
    await vscode.commands.executeCommand(CMD('submitTemplate'), { index: 1, name: 'second_t', confirm: false });
    const queries = logSince(mark)
      .filter(e => e.query)
      .map(e => e.query);
    assert.deepStrictEqual(
      queries.map(q => [q.sqlText, q.binds]),
      [[CREATE_TEMPLATE_REQUEST, ['Clean Room 1', 'second_t', 'SELECT 2 AS b']]],
    );
  });
});
