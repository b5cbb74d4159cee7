/**
 * "Migrate to Collaboration API spec" over LSP: on a worksheet's template call the server
 * answers a refactor action whose edit creates `<name>.spec.yaml` beside the worksheet with
 * the migrated spec, and whose command is the client's "open beside" command. Clients that
 * cannot create files are not offered it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import type { CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { TestClient, freshUri } from './harness.js';

const T = { timeout: 15_000 };
const TEMPLATE =
  'SELECT COUNT(*) FROM IDENTIFIER({{ my_table[0] }}) AS c\nJOIN IDENTIFIER({{ source_table[0] }}) AS p ON IDENTIFIER({{ c_col | join_policy }}) = IDENTIFIER({{ p_col | join_policy }})\n';
const WORKSHEET = `-- two requests\nCALL samooha_by_snowflake_local_db.consumer.create_template_request('room', 'overlap_count', $$${TEMPLATE}$$);\n`;

describe('migrate code action over LSP', () => {
  let client: TestClient;
  let plain: TestClient;
  const uri = freshUri('requests.sql');
  before(async () => {
    client = await TestClient.start({
      workspaceCapabilities: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
      initializationOptions: { openBesideCommand: 'test.openBeside' },
    });
    plain = await TestClient.start();
    await client.open(uri, WORKSHEET, 'sql');
    await plain.open(uri, WORKSHEET, 'sql');
  });
  after(() => {
    client?.kill();
    plain?.kill();
  });

  const inTemplate = { line: 2, character: 5 };
  const request = (c: TestClient, only?: string[]): Promise<CodeAction[]> =>
    c.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: inTemplate, end: inTemplate },
      context: { diagnostics: [], ...(only ? { only } : {}) },
    });

  test('the action creates the spec beside the worksheet and opens it', T, async () => {
    const actions = (await request(client)).filter(a => a.title === 'Migrate to Collaboration API spec');
    assert.equal(actions.length, 1);
    const a = actions[0]!;
    assert.equal(a.kind, 'refactor.rewrite');
    const specUri = uri.replace(/requests\.sql$/, 'overlap_count.spec.yaml');
    const [create, edit] = a.edit!.documentChanges! as [CreateFile, TextDocumentEdit];
    assert.deepEqual(create, { kind: 'create', uri: specUri, options: { overwrite: true } });
    assert.equal(edit.textDocument.uri, specUri);
    const spec = parseYaml((edit.edits[0] as { newText: string }).newText) as { spec_type: string; name: string; template: string };
    assert.equal(spec.spec_type, 'template');
    assert.equal(spec.name, 'overlap_count');
    assert.equal(spec.template, TEMPLATE.replace('AS c\n', 'AS c1\n').replace('AS p ON', 'AS p1 ON'));
    assert.deepEqual(a.command, { title: 'Open the migrated spec', command: 'test.openBeside', arguments: [specUri] });
  });

  test('asked only for quick fixes, or outside any template call, there is no migrate action', T, async () => {
    assert.deepEqual(
      (await request(client, ['quickfix'])).filter(a => a.title.startsWith('Migrate')),
      [],
    );
    const outside: CodeAction[] = await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(
      outside.filter(a => a.title.startsWith('Migrate')),
      [],
    );
    assert.equal((await request(client, ['refactor'])).filter(a => a.title.startsWith('Migrate')).length, 1);
    // On the CALL line itself, before the template text: the same action.
    const onCall: CodeAction[] = await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } },
      context: { diagnostics: [] },
    });
    assert.equal(onCall.filter(a => a.title.startsWith('Migrate')).length, 1);
  });

  test('a client that resolves code actions gets the edit only when it resolves the action', T, async () => {
    const lazy = await TestClient.start({
      workspaceCapabilities: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
      textDocumentCapabilities: { codeAction: { resolveSupport: { properties: ['edit'] } } },
    });
    try {
      const u = freshUri('lazy.sql');
      await lazy.open(u, WORKSHEET, 'sql');
      const ask = (): Promise<CodeAction[]> =>
        lazy.conn.sendRequest('textDocument/codeAction', {
          textDocument: { uri: u },
          range: { start: inTemplate, end: inTemplate },
          context: { diagnostics: [] },
        });
      const offered = (await ask()).find(a => a.title === 'Migrate to Collaboration API spec')!;
      assert.ok(offered, 'offered');
      assert.equal(offered.edit, undefined, 'no edit computed before the action is chosen');
      const resolved: CodeAction = await lazy.conn.sendRequest('codeAction/resolve', offered);
      const [create] = resolved.edit!.documentChanges! as [CreateFile];
      assert.equal(create.uri, u.replace(/lazy\.sql$/, 'overlap_count.spec.yaml'));
      // Offered for an older version of the document: resolving gives no edit rather than a stale one.
      await lazy.change(u, WORKSHEET.replace('two requests', 'one request'), WORKSHEET);
      const stale: CodeAction = await lazy.conn.sendRequest('codeAction/resolve', offered);
      assert.equal(stale.edit, undefined);
    } finally {
      lazy.kill();
    }
  });

  test('a client that cannot create files is not offered it', T, async () => {
    assert.deepEqual(
      (await request(plain)).filter(a => a.title.startsWith('Migrate')),
      [],
    );
  });
});
