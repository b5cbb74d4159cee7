// The seed's flow (multi-provider page) in the real extension host against the fake Snowflake
// endpoint: the provider reviews the consumer's template request (its definition opens as a
// read-only jinjasql document that our language server checks), approves and rejects, sets
// policies from cleanrooms.json after a diff, and pulls them back; the consumer runs the
// analyses; the Collaboration API registers and proposes a spec, reviews update requests and
// pulls the data offerings' policies. The fake's fixed answers are in snowflake-fake.mjs
// (programProviderFlow); E2E_SNOWFLAKE_FLOW carries its IDs and the seed template.
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

const LOG = process.env.E2E_SNOWFLAKE_LOG;
const FLOW = process.env.E2E_SNOWFLAKE_FLOW ? JSON.parse(process.env.E2E_SNOWFLAKE_FLOW) : undefined;
const CMD = name => `cleanRoomTemplates.snowflake.${name}`;
const DB = 'SAMOOHA_BY_SNOWFLAKE_LOCAL_DB';
const T1 = 'SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS';
const ROOM1 = 'Clean Room 1';
const ROOMS = JSON.stringify(['Clean Room 1', 'Clean Room 2']);

function logMark() {
  return fs.readFileSync(LOG, 'utf8').split('\n').filter(Boolean).length;
}
/** The statements the fake received after `mark`, as [sql, binds]. */
function sentSince(mark) {
  return fs
    .readFileSync(LOG, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(mark)
    .map(l => JSON.parse(l))
    .filter(e => e.query)
    .map(e => [e.query.sqlText, e.query.binds]);
}
const call = (proc, n) => `CALL ${DB}.${proc}(${Array(n).fill('?').join(', ')})`;
/** The last `?` as an ARRAY parameter (how the set_*_policy list is bound). */
// The Collaboration API reference asks for secondary roles off before its procedures.
const USE_NO_SECONDARY_ROLES = ['USE SECONDARY ROLES NONE', []];
const arr = s => s.replace(/\?\)$/, 'PARSE_JSON(?)::ARRAY)');

/** The newest read-only result document whose name ends with `name`. */
function snowflakeDoc(name) {
  const docs = vscode.workspace.textDocuments.filter(d => d.uri.scheme === 'dcr-snowflake' && d.uri.path.endsWith(`/${name}`));
  docs.sort((a, b) => Number(a.uri.path.split('/')[1]) - Number(b.uri.path.split('/')[1]));
  assert.ok(docs.length, `no dcr-snowflake document named '${name}' (open: ${vscode.workspace.textDocuments.map(d => d.uri.toString()).join(', ')})`);
  return docs[docs.length - 1];
}

async function setRole(role) {
  await vscode.workspace.getConfiguration('cleanRoomTemplates').update('snowflake.role', role, vscode.ConfigurationTarget.Global);
}

/** A copy of `text` as cleanrooms.json in a fresh directory outside the workspace. */
function scratchProfile(text, extra = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcr-e2e-profile-'));
  fs.writeFileSync(path.join(dir, 'cleanrooms.json'), text);
  for (const [name, body] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), body);
  return dir;
}

async function show(file) {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

suite('The seed flow (provider, consumer, Collaboration) against the fake Snowflake endpoint', function () {
  suiteSetup(async function () {
    if (!LOG || !FLOW) {
      console.log('[e2e-suite] E2E_SNOWFLAKE_LOG/E2E_SNOWFLAKE_FLOW not set (no fake Snowflake in this host): skipping the seed flow');
      this.skip();
    }
    await h.withTimeout(Promise.resolve(vscode.extensions.getExtension(h.EXTENSION_ID).activate()), 30000, 'extension activation');
    await setRole('provider');
  });
  suiteTeardown(async () => {
    if (LOG && FLOW) await setRole(undefined);
  });

  test('provider reviews the seed request: read-only jinjasql document with DCR101 + DCR103 from the server, then approves it', async function () {
    const mark = logMark();
    const r = await vscode.commands.executeCommand(CMD('reviewRequest'), { cleanroom: ROOM1, id: FLOW.seedRequestId, decision: 'approve' });
    assert.ok(r, 'reviewRequest returned nothing (it failed; see the Clean Room output)');
    assert.strictEqual(r.request.templateName, 'multiprovider_overlap_analysis');
    assert.strictEqual(r.request.party, FLOW.consumerLocator);
    const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === r.uri);
    assert.ok(doc, `document ${r.uri} is not open`);
    assert.strictEqual(doc.uri.scheme, 'dcr-snowflake');
    assert.strictEqual(doc.languageId, 'jinjasql');
    assert.strictEqual(doc.getText(), FLOW.seedTemplate, 'the document is not the pending definition byte for byte');
    // Read-only the way VS Code decides it for editors (typing, save): the scheme's file system.
    assert.strictEqual(vscode.workspace.fs.isWritableFileSystem('dcr-snowflake'), false);

    const diags = await h.waitForDiagnostics(
      doc.uri,
      ds => ['DCR101', 'DCR103'].every(c => h.ours(ds, c).length),
      'DCR101 and DCR103 from the language server',
    );
    assert.deepStrictEqual(
      h
        .ours(diags)
        .map(d => [h.codeOf(d), d.severity, d.range.start.line, d.range.start.character])
        .sort(),
      [
        ['DCR101', vscode.DiagnosticSeverity.Warning, 4, 21],
        ['DCR103', vscode.DiagnosticSeverity.Warning, 19, 39],
      ],
      h.describeDiags(diags),
    );
    assert.match(h.ours(diags, 'DCR103')[0].message, /consumer_join_col is caller-supplied and inserted as raw SQL by sqlsafe/);

    assert.deepStrictEqual(sentSince(mark), [
      [call('PROVIDER.LIST_PENDING_TEMPLATE_REQUESTS', 1), [ROOM1]],
      [call('PROVIDER.APPROVE_TEMPLATE_REQUEST', 2), [ROOM1, FLOW.seedRequestId]],
    ]);
  });

  test('provider lists all requests and opens one by id, then rejects it with a reason', async function () {
    let mark = logMark();
    const picked = await vscode.commands.executeCommand(CMD('listRequests'), { cleanroom: ROOM1, id: FLOW.otherRequestId });
    assert.ok(picked, 'listRequests returned nothing');
    assert.strictEqual(picked.status, 'PENDING');
    const doc = snowflakeDoc(`raw_export (request ${FLOW.otherRequestId}).jinjasql`);
    assert.strictEqual(doc.getText(), 'SELECT * FROM IDENTIFIER({{ source_table[0] }})');
    assert.deepStrictEqual(sentSince(mark), [[call('PROVIDER.LIST_TEMPLATE_REQUESTS', 1), [ROOM1]]]);

    mark = logMark();
    const reason = 'Selects every column: use dimensions with | column_policy (it\'s "raw").';
    await vscode.commands.executeCommand(CMD('rejectRequest'), { cleanroom: ROOM1, id: FLOW.otherRequestId, reason });
    assert.deepStrictEqual(sentSince(mark), [[call('PROVIDER.REJECT_TEMPLATE_REQUEST', 3), [ROOM1, FLOW.otherRequestId, reason]]]);
  });

  test('provider sets policies from cleanrooms.json: the diff first, then SET_JOIN_POLICY and SET_COLUMN_POLICY with the whole lists', async function () {
    await h.open('templates/overlap_analysis.jinjasql'); // the fixture profile is the one in effect
    const mark = logMark();
    const r = await vscode.commands.executeCommand(CMD('setPolicies'), { cleanroom: ROOM1, confirm: false });
    assert.ok(r, 'setPolicies returned nothing');
    const join = [`${T1}:HASHED_EMAIL`];
    const column = [`overlap_analysis:${T1}:STATUS`, `multiprovider_overlap:${T1}:STATUS`];
    const expected = [
      'join policy: 0 added, 1 removed, 1 kept',
      `  - ${T1}:EMAIL`,
      'column policy: 1 added, 1 removed, 1 kept',
      `  + multiprovider_overlap:${T1}:STATUS`,
      `  - overlap_analysis:${T1}:REGION_CODE`,
      'activation policy: no change, 0 kept',
      '',
      `${arr(call('PROVIDER.SET_JOIN_POLICY', 2))};`,
      '  -- bind 1 (cleanroom_name): "Clean Room 1"',
      `  -- bind 2 (table_and_col_names): ${JSON.stringify(JSON.stringify(join))}`,
      `${arr(call('PROVIDER.SET_COLUMN_POLICY', 2))};`,
      '  -- bind 1 (cleanroom_name): "Clean Room 1"',
      `  -- bind 2 (analysis_and_table_and_cols): ${JSON.stringify(JSON.stringify(column))}`,
      '',
    ].join('\n');
    assert.strictEqual(r.diff, expected);
    assert.strictEqual(snowflakeDoc('policy changes for Clean Room 1.txt').getText(), expected);
    assert.strictEqual(r.sent, 2);
    assert.deepStrictEqual(sentSince(mark), [
      [call('PROVIDER.VIEW_JOIN_POLICY', 1), [ROOM1]],
      [call('PROVIDER.VIEW_COLUMN_POLICY', 1), [ROOM1]],
      [call('PROVIDER.VIEW_ACTIVATION_POLICY', 1), [ROOM1]],
      [arr(call('PROVIDER.SET_JOIN_POLICY', 2)), [ROOM1, JSON.stringify(join)]],
      [arr(call('PROVIDER.SET_COLUMN_POLICY', 2)), [ROOM1, JSON.stringify(column)]],
    ]);
  });

  test('set policies with nothing to change sends no SET_* statement', async function () {
    await h.open('templates/overlap_analysis.jinjasql');
    const mark = logMark();
    const r = await vscode.commands.executeCommand(CMD('setPolicies'), { cleanroom: 'Clean Room 2', confirm: false });
    assert.deepStrictEqual(r, {
      diff: 'join policy: no change, 1 kept\ncolumn policy: no change, 1 kept\nactivation policy: no change, 0 kept\n\n\n',
      sent: 0,
    });
    assert.deepStrictEqual(
      sentSince(mark).map(([sql]) => sql),
      ['VIEW_JOIN_POLICY', 'VIEW_COLUMN_POLICY', 'VIEW_ACTIVATION_POLICY'].map(p => call(`PROVIDER.${p}`, 1)),
    );
  });

  test('consumer runs an analysis: RUN_ANALYSIS with the profile arguments; the result table opens', async function () {
    await h.open('templates/overlap_analysis.jinjasql');
    const mark = logMark();
    await vscode.commands.executeCommand(CMD('runAnalysis'), { analysis: 'overlap by status' });
    assert.deepStrictEqual(sentSince(mark), [
      [
        `CALL ${DB}.CONSUMER.RUN_ANALYSIS(?, ?, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::ARRAY, PARSE_JSON(?)::OBJECT)`,
        [
          ROOM1,
          'overlap_analysis',
          '["MYDB.PUBLIC.CUSTOMERS"]',
          `["${T1}"]`,
          JSON.stringify({ dimensions: ['p.STATUS'], p_join_col: 'p.HASHED_EMAIL', c_join_col: 'c.HASHED_EMAIL' }),
        ],
      ],
    ]);
    assert.strictEqual(
      snowflakeDoc('overlap by status results.txt').getText(),
      '-- consumer.run_analysis\nSTATUS  OVERLAP\n------  -------\nGOLD    1234\nSILVER  567\n\n',
    );
  });

  test('consumer runs the multi-provider analysis: PREPARE_MULTIPROVIDER_FLOW, then (once the providers are done) EXECUTE_MULTIPROVIDER_FLOW', async function () {
    await h.open('templates/multiprovider_overlap.jinjasql');
    const profile = JSON.parse(fs.readFileSync(h.fixture('cleanrooms.json').fsPath, 'utf8'));
    const mark = logMark();
    // `execute: true` answers the wait for the providers; without it the command waits.
    // `force`: the fixture plants a DCR302 in this analysis, which would otherwise stop the run.
    const r = await vscode.commands.executeCommand(CMD('runAnalysis'), { analysis: 'multi overlap', execute: true, force: true });
    assert.deepStrictEqual(r, { kind: 'multiprovider', executed: true });
    assert.deepStrictEqual(sentSince(mark), [
      [
        `CALL ${DB}.CONSUMER.PREPARE_MULTIPROVIDER_FLOW(PARSE_JSON(?)::ARRAY, ?, PARSE_JSON(?)::OBJECT)`,
        [ROOMS, 'multiprovider_overlap', JSON.stringify(profile.analyses['multi overlap'].arguments)],
      ],
      [`CALL ${DB}.CONSUMER.EXECUTE_MULTIPROVIDER_FLOW(PARSE_JSON(?)::ARRAY)`, [ROOMS]],
    ]);
    assert.strictEqual(
      snowflakeDoc('multi overlap results.txt').getText(),
      '-- consumer.prepare_multiprovider_flow\nPREPARE_MULTIPROVIDER_FLOW\n----------------------------\nRequest submitted: MP-REQ-42\n\n' +
        '-- consumer.execute_multiprovider_flow\nCOUNT(DISTINCT JOIN_COL)  GROUP_COL  GROUP_COL_1\n------------------------  ---------  -----------\n88                        GOLD       WEST\n12                        SILVER     EAST\n\n',
    );
  });

  test('provider pulls the live policies into cleanrooms.json: the lists change on disk, everything else stays', async function () {
    const original = fs.readFileSync(h.fixture('cleanrooms.json').fsPath, 'utf8');
    const dir = scratchProfile(original);
    const file = path.join(dir, 'cleanrooms.json');
    const doc = await show(file);
    const mark = logMark();
    const r = await vscode.commands.executeCommand(CMD('pullPolicies'), { cleanroom: ROOM1 });
    assert.deepStrictEqual(r, { changed: ['provider.tables', 'provider.joinPolicy', 'provider.columnPolicy'] });
    assert.deepStrictEqual(
      sentSince(mark).map(([sql, b]) => [sql, b]),
      ['VIEW_JOIN_POLICY', 'VIEW_COLUMN_POLICY', 'VIEW_ACTIVATION_POLICY', 'VIEW_PROVIDER_DATASETS'].map(p => [call(`PROVIDER.${p}`, 1), [ROOM1]]),
    );
    const onDisk = fs.readFileSync(file, 'utf8');
    assert.strictEqual(doc.getText(), onDisk, 'the editor and the file differ');
    assert.strictEqual(doc.isDirty, false);
    const before = JSON.parse(original);
    const after = JSON.parse(onDisk);
    assert.deepStrictEqual(after.cleanrooms[ROOM1].provider, {
      tables: { [T1]: ['HASHED_EMAIL', 'STATUS', 'REGION_CODE', 'EMAIL'], 'SAMOOHA_SAMPLE_DATABASE.DEMO.ORDERS': [] },
      joinPolicy: [`${T1}:HASHED_EMAIL`, `${T1}:EMAIL`],
      columnPolicy: [`overlap_analysis:${T1}:STATUS`, `overlap_analysis:${T1}:REGION_CODE`],
      activationPolicy: [],
    });
    before.cleanrooms[ROOM1].provider = after.cleanrooms[ROOM1].provider;
    assert.deepStrictEqual(after, before, 'content other than the pulled lists changed');
    const tail = original.slice(original.indexOf('    "Clean Room 2"'));
    assert.ok(onDisk.endsWith(tail), 'the text after the pulled clean room was reformatted');
  });

  suite('Collaboration API', function () {
    const COLLAB = 'e2e_collab';
    const VIEW = 'partner_a.customers_v1.customers';
    const SPEC =
      'api_version: 2.0.0\nspec_type: template\nname: e2e_overlap\nversion: v1\ntype: sql_analysis\ntemplate: |\n  SELECT COUNT(*) AS n\n  FROM IDENTIFIER({{ source_table[0] }}) AS p\n';
    const PROFILE = `{\n  // collaboration profile (comment kept)\n  "api": "collaboration",\n  "cleanrooms": {\n    "${COLLAB}": { "templates": ["e2e_overlap"] }\n  }\n}\n`;
    let dir;
    suiteSetup(() => {
      dir = scratchProfile(PROFILE, { 'e2e_overlap.yaml': SPEC });
    });

    test('register a template spec: REGISTER_TEMPLATE(spec) then ADD_TEMPLATE_REQUEST with the returned ID', async function () {
      await show(path.join(dir, 'e2e_overlap.yaml'));
      const api = vscode.extensions.getExtension(h.EXTENSION_ID).exports;
      const mark = logMark();
      await vscode.commands.executeCommand(CMD('submitTemplate'), { cleanroom: COLLAB, confirm: false, force: true, shareWith: [] });
      assert.deepStrictEqual(api.snowflake.lastSubmit, {
        ok: true,
        message: `Clean Room: registry.register_template: ${FLOW.templateId}; collaboration.add_template_request: Template request added`,
      });
      assert.deepStrictEqual(sentSince(mark), [
        USE_NO_SECONDARY_ROLES,
        [call('REGISTRY.REGISTER_TEMPLATE', 1), [SPEC]],
        [`CALL ${DB}.COLLABORATION.ADD_TEMPLATE_REQUEST(?, ?, PARSE_JSON(?)::ARRAY)`, [COLLAB, FLOW.templateId, '[]']],
      ]);
    });

    test('view update requests, open one, approve it', async function () {
      await show(path.join(dir, 'e2e_overlap.yaml'));
      let mark = logMark();
      const picked = await vscode.commands.executeCommand(CMD('listRequests'), { cleanroom: COLLAB, id: FLOW.updateRequestId });
      assert.ok(picked, 'listRequests returned nothing');
      assert.strictEqual(picked.status, 'PENDING_MY_APPROVAL');
      assert.strictEqual(
        snowflakeDoc(`e2e_overlap (request ${FLOW.updateRequestId}).jinjasql`).getText(),
        'SELECT COUNT(*) FROM IDENTIFIER({{ source_table[0] }}) AS p\n',
      );
      assert.deepStrictEqual(sentSince(mark), [USE_NO_SECONDARY_ROLES, [call('COLLABORATION.VIEW_UPDATE_REQUESTS', 1), [COLLAB]]]);
      await show(path.join(dir, 'e2e_overlap.yaml')); // the collaboration profile is the one in effect
      mark = logMark();
      // Approving goes through the review: the request is read and its template checked first.
      await vscode.commands.executeCommand(CMD('approveRequest'), { cleanroom: COLLAB, id: FLOW.updateRequestId });
      assert.deepStrictEqual(sentSince(mark), [
        USE_NO_SECONDARY_ROLES,
        [call('COLLABORATION.VIEW_UPDATE_REQUESTS', 1), [COLLAB]],
        USE_NO_SECONDARY_ROLES,
        [call('COLLABORATION.APPROVE_UPDATE_REQUEST', 2), [COLLAB, FLOW.updateRequestId]],
      ]);
    });

    test('a Collaboration analysis: the dry run shows USE SECONDARY ROLES NONE and COLLABORATION.RUN with its spec; nothing is sent', async function () {
      const profile = JSON.stringify({
        api: 'collaboration',
        cleanrooms: { [COLLAB]: { templates: ['e2e_overlap'] } },
        analyses: { 'collab overlap': { template: 'e2e_overlap.yaml', cleanrooms: [COLLAB], arguments: { source_table: [VIEW] } } },
      });
      const d = scratchProfile(profile, { 'e2e_overlap.yaml': SPEC });
      await show(path.join(d, 'e2e_overlap.yaml'));
      const mark = logMark();
      const r = await vscode.commands.executeCommand(CMD('runAnalysis'), { analysis: 'collab overlap', dryRun: true });
      assert.ok(r, 'runAnalysis returned nothing');
      assert.strictEqual(r.kind, 'collaboration');
      assert.deepStrictEqual(
        r.statements.map(s => s.sql),
        ['USE SECONDARY ROLES NONE', call('COLLABORATION.RUN', 2)],
      );
      assert.strictEqual(r.statements[1].binds[0], COLLAB);
      assert.match(r.statements[1].binds[1], /^api_version: 2\.0\.0\nspec_type: analysis\ntemplate: e2e_overlap_v1\n/);
      assert.match(snowflakeDoc('collab overlap (collaboration).sql').getText(), /COLLABORATION\.RUN\(\?, \?\);/);
      assert.deepStrictEqual(sentSince(mark), []);
    });

    test('pull policies from the data offerings into the collaboration entry', async function () {
      const file = path.join(dir, 'cleanrooms.json');
      await show(file);
      const mark = logMark();
      const r = await vscode.commands.executeCommand(CMD('pullPolicies'), { cleanroom: COLLAB });
      assert.deepStrictEqual(r, { changed: ['provider.tables', 'provider.joinPolicy', 'provider.columnPolicy', 'provider.activationPolicy'] });
      assert.deepStrictEqual(sentSince(mark), [
        USE_NO_SECONDARY_ROLES,
        [call('COLLABORATION.VIEW_DATA_OFFERINGS', 1), [COLLAB]],
        [call('COLLABORATION.VIEW_TEMPLATES', 1), [COLLAB]],
      ]);
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(text.startsWith('{\n  // collaboration profile (comment kept)\n  "api": "collaboration",'), text);
      const parsed = JSON.parse(text.replace(/^\s*\/\/.*$/m, ''));
      assert.deepStrictEqual(parsed.cleanrooms[COLLAB], {
        templates: ['e2e_overlap'],
        provider: {
          tables: { [VIEW]: ['HASHED_EMAIL', 'STATUS', 'REGION_CODE'] },
          joinPolicy: [`${VIEW}:HASHED_EMAIL`],
          columnPolicy: [`e2e_overlap:${VIEW}:STATUS`, `e2e_overlap:${VIEW}:REGION_CODE`],
          activationPolicy: [`e2e_overlap:${VIEW}:STATUS`],
        },
      });
    });
  });
});
