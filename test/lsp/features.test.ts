/**
 * The editor features through the built server over stdio: one request of each kind,
 * answered from the same cached model, plus a quick fix round trip and Restricted Mode.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, CompletionList, Diagnostic, DocumentSymbol, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient, freshUri } from './harness.js';

const T = { timeout: 15_000 };
const TEMPLATE = [
  '{% macro q(col) %}IDENTIFIER({{ col }}){% endmacro %}',
  'SELECT {{ q(p_col | column_policy) }}, COUNT(*)',
  'FROM IDENTIFIER({{ source_table[0] }}) AS p',
  'WHERE p.status = {{ status }}',
].join('\n');

/** 0-based position of the first `needle` (plus `delta` characters). */
function pos(text: string, needle: string, delta = 0) {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const lines = text.slice(0, at + delta).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

function markdown(h: Hover | null): string {
  assert.ok(h, 'expected a hover');
  return (h.contents as MarkupContent).value;
}

describe('editor features over LSP', () => {
  let client: TestClient;
  let restricted: TestClient;
  const uri = freshUri();
  before(async () => {
    client = await TestClient.start();
    restricted = await TestClient.start({ trusted: false });
    await client.open(uri, TEMPLATE);
    await restricted.open(uri, TEMPLATE);
  });
  after(() => {
    client?.kill();
    restricted?.kill();
  });

  test('initialize advertises the feature providers', T, () => {
    const caps = client.initializeResult.capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.completionProvider?.triggerCharacters, ['|', '.', '%', '{', ' ']);
    assert.ok(caps.documentSymbolProvider);
    assert.equal(caps.definitionProvider, true);
    assert.equal(caps.referencesProvider, true);
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'refactor.rewrite'], resolveProvider: true });
  });

  test('hover on a caller argument reports its checks and where it lands', T, async () => {
    const h: Hover | null = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos(TEMPLATE, 'p_col', 1) });
    const md = markdown(h);
    assert.match(md, /caller-supplied argument/);
    assert.match(md, /`column_policy` on `p_col` \(bound value\)/);
    assert.match(md, /bound string literal inside `IDENTIFIER\(\)`.*through a macro call on line 2/);
    assert.deepEqual(h!.range, { start: pos(TEMPLATE, 'p_col'), end: pos(TEMPLATE, 'p_col', 5) });
  });

  test('in Restricted Mode the hover says renders are disabled', T, async () => {
    const md = markdown(await restricted.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos(TEMPLATE, 'p_col', 1) }));
    assert.match(md, /Restricted Mode/);
    assert.doesNotMatch(md, /sample render/);
  });

  test('completion after a pipe lists policy filters first', T, async () => {
    const list: CompletionList = await client.conn.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: pos(TEMPLATE, '| column_policy', 5),
      context: { triggerKind: 1 },
    });
    const sorted = [...list.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.equal(sorted[0]!.label, 'activation_policy');
    const column = list.items.find(i => i.label === 'column_policy')!;
    assert.equal((column.documentation as MarkupContent).kind, 'markdown');
    // The cursor is inside `column_policy`: the edit replaces the whole name being typed.
    assert.deepEqual((column.textEdit as { range: unknown }).range, { start: pos(TEMPLATE, 'column_policy'), end: pos(TEMPLATE, 'column_policy', 13) });
  });

  test('document symbols', T, async () => {
    const symbols: DocumentSymbol[] = await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      symbols.map(s => [s.name, s.kind, s.children?.map(c => c.name)]),
      [['q', 12, ['col']]],
    );
  });

  test('definition and references of a macro', T, async () => {
    const call = pos(TEMPLATE, 'q(p_col');
    const defs: Location[] = await client.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: call });
    assert.deepEqual(defs, [{ uri, range: { start: pos(TEMPLATE, 'q(col'), end: pos(TEMPLATE, 'q(col', 1) } }]);
    const refs: Location[] = await client.conn.sendRequest('textDocument/references', {
      textDocument: { uri },
      position: call,
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      refs.map(r => r.range.start),
      [pos(TEMPLATE, 'q(col'), call],
    );
  });

  test('a quick fix in diagnostic data comes back as a preferred quickfix action', T, async () => {
    // Synthetic until the rules attach fixes of their own: the server reads them back the same way.
    const start = TEMPLATE.indexOf('{{ status }}');
    const diagnostic: Diagnostic = {
      range: { start: pos(TEMPLATE, '{{ status }}'), end: pos(TEMPLATE, '{{ status }}', 12) },
      message: 'synthetic',
      source: 'clean-room',
      code: 'DCR999',
      data: { fixes: [{ title: 'Check status', isPreferred: true, edits: [{ span: { start: start + 9, end: start + 9 }, newText: ' | column_policy' }] }] },
    };
    const foreign: Diagnostic = { ...diagnostic, source: 'other-linter' };
    const actions: CodeAction[] = await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic, foreign] },
    });
    assert.equal(actions.length, 1);
    const [a] = actions;
    assert.equal(a!.title, 'Check status');
    assert.equal(a!.kind, 'quickfix');
    assert.equal(a!.isPreferred, true);
    assert.deepEqual(a!.diagnostics, [diagnostic]);
    const at = pos(TEMPLATE, '{{ status }}', 9);
    assert.deepEqual(a!.edit?.changes?.[uri], [{ range: { start: at, end: at }, newText: ' | column_policy' }]);
    const none: CodeAction[] = await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['refactor'] },
    });
    assert.deepEqual(none, []);
  });

  test('requests on a document that is not open answer empty, and the server carries on', T, async () => {
    const other = freshUri();
    assert.equal(await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: other }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: other } }), []);
    const h: Hover | null = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos(TEMPLATE, 'column_policy', 1) });
    assert.match(markdown(h), /policy filter/);
  });

  test('the templates of a worksheet, for the client commands that have no engine of their own', T, async () => {
    const uri = freshUri('two.sql');
    const ws = [
      "CALL samooha_by_snowflake_local_db.consumer.create_template_request('room_a', 'first', $$SELECT {{ a }}$$);",
      "CALL samooha_by_snowflake_local_db.consumer.create_template_request('room_b', 'second', $$SELECT {{ b }}$$);",
    ].join('\n');
    await client.open(uri, ws, 'sql');
    const r = (await client.conn.sendRequest('cleanRoomTemplates/documentTemplates', { uri })) as {
      kind: string;
      templates: { text: string; start: number; end: number; templateName?: string; cleanroom?: string }[];
    };
    assert.equal(r.kind, 'worksheet');
    assert.deepEqual(
      r.templates.map(t => [t.templateName, t.cleanroom, t.text, ws.slice(t.start, t.end)]),
      [
        ['first', 'room_a', 'SELECT {{ a }}', 'SELECT {{ a }}'],
        ['second', 'room_b', 'SELECT {{ b }}', 'SELECT {{ b }}'],
      ],
    );
    assert.deepEqual(await client.conn.sendRequest('cleanRoomTemplates/documentTemplates', { uri: 'file:///not/open.sql' }), { kind: 'other', templates: [] });
  });
});
