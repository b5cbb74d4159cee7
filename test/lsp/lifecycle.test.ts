/**
 * Trust, status, robustness and the orderly end of the server process.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { clientPool, freshUri, SERVER } from './harness.js';

const T = { timeout: 30_000 };

describe('lifecycle', () => {
  const start = clientPool();

  test('shutdown then exit ends the process with code 0', T, async () => {
    const c = await start();
    assert.equal(await c.shutdown(), 0);
  });

  test('over node-ipc (as VS Code starts it) diagnostics arrive and shutdown is clean', T, async () => {
    const c = await start({ transport: 'ipc' });
    const uri = freshUri();
    await c.open(uri, 'SELECT {{ x ');
    assert.deepEqual(
      (await c.waitForLatest(uri)).diagnostics.map(d => d.code),
      ['DCR001'],
    );
    assert.equal(await c.shutdown(), 0);
  });

  test('untrusted: syntax errors are still reported and the status says why it is degraded', T, async () => {
    const c = await start({ trusted: false });
    const status = await c.waitForStatus(s => s.state === 'degraded');
    assert.match(status.message ?? '', /Restricted Mode/);
    const uri = freshUri();
    await c.open(uri, 'SELECT {{ x ');
    const p = await c.waitForLatest(uri);
    assert.deepEqual(
      p.diagnostics.map(d => d.code),
      ['DCR001'],
    );
  });

  test('granting trust moves the status to ready', T, async () => {
    const c = await start({ trusted: false });
    await c.waitForStatus(s => s.state === 'degraded');
    await c.conn.sendNotification('cleanRoomTemplates/trustChanged', { trusted: true });
    await c.waitForStatus(s => s.state === 'ready');
  });

  test('trusted by default (other editors send no trust option): status becomes ready', T, async () => {
    const c = await start();
    await c.waitForStatus(s => s.state === 'ready');
    assert.equal(
      c.statuses.some(s => s.state === 'degraded'),
      false,
    );
  });

  test('checking reports busy then ready', T, async () => {
    const c = await start();
    await c.waitForStatus(s => s.state === 'ready');
    const uri = freshUri();
    await c.open(uri, 'SELECT {{ x ');
    await c.waitForLatest(uri);
    const busy = await c.waitForStatus(s => s.state === 'busy');
    const busyAt = c.statuses.indexOf(busy);
    await c.waitForStatus(s => s.state === 'ready' && c.statuses.indexOf(s) > busyAt);
  });

  test('garbage text (NULs, lone surrogates, stray delimiters) does not crash it', T, async () => {
    const c = await start();
    let garbage = '';
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      garbage += String.fromCharCode(seed % 0x10000);
    }
    garbage += '\u0000{{{%{#\ud800}}%}#}{{ x | | }}\r\r\n{% if %}{% endfor %}';
    const uri = freshUri();
    await c.open(uri, garbage);
    const p = await c.waitForLatest(uri);
    assert.ok(Array.isArray(p.diagnostics));
    assert.equal(await c.shutdown(), 0);
  });

  test('a 5 MB document is checked, logged as slow, and the server stays responsive', T, async () => {
    const c = await start();
    // Many short expressions rather than long lines: the parser's work grows with nodes.
    const line = 'SELECT {{ a }}\n';
    const text = line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)) + 'SELECT {{ x ';
    const uri = freshUri();
    await c.open(uri, text);
    const p = await c.waitForLatest(uri);
    const lastLine = text.split('\n').length - 1;
    assert.ok(
      p.diagnostics.some(d => d.code === 'DCR001' && d.range.start.line === lastLine),
      JSON.stringify(p.diagnostics.slice(0, 3)),
    );
    // Work this size is far past the 50 ms threshold, so it must show up in the log.
    assert.ok(
      c.logs.some(l => /^\[slow\] analyze file:\/\/\S+ took \d+ ms$/.test(l)),
      c.logs.join('\n'),
    );
    assert.equal(await c.shutdown(), 0);
  });

  test('bytes that are not JSON-RPC do not take the process down before a valid session', T, async () => {
    const c = await start();
    // A framed message whose body is not JSON: the reader must report it, not exit.
    c.proc.stdin!.write('Content-Length: 9\r\n\r\n{"garbage');
    const uri = freshUri();
    await c.open(uri, 'SELECT {{ x ');
    assert.equal((await c.waitForLatest(uri)).diagnostics.length, 1);
    assert.equal(await c.shutdown(), 0);
  });

  test('malformed request parameters are answered with InvalidParams, never a guess', T, async () => {
    const c = await start();
    const uri = freshUri();
    await c.open(uri, 'SELECT {{ x }}');
    const bad: [string, unknown][] = [
      ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 0 } }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: 0.5, character: 'a' } }],
      ['textDocument/hover', { textDocument: {}, position: { line: 0, character: 0 } }],
      ['textDocument/completion', { textDocument: { uri } }],
      ['textDocument/definition', [uri, 0, 0]],
      ['textDocument/documentSymbol', { textDocument: { uri: 42 } }],
    ];
    for (const [method, params] of bad) {
      await assert.rejects(c.conn.sendRequest(method, params), (e: { code?: number }) => e.code === -32602, `${method} ${JSON.stringify(params)}`);
    }
    // A well-formed request still gets its answer.
    assert.ok(await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 10 } }));
    assert.equal(await c.shutdown(), 0);
  });

  test('after shutdown every request is answered with InvalidRequest; exit still ends the process', T, async () => {
    const c = await start();
    const uri = freshUri();
    await c.open(uri, 'SELECT {{ x }}');
    await c.conn.sendRequest('shutdown');
    await assert.rejects(
      c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 10 } }),
      (e: { code?: number }) => e.code === -32600,
    );
    await assert.rejects(c.conn.sendRequest('cleanRoomTemplates/preview', { uri, bindMode: 'inline' }), (e: { code?: number }) => e.code === -32600);
    await c.conn.sendNotification('exit');
    assert.equal(await c.exited, 0);
    c.conn.dispose();
  });

  test('analyses run on a worker thread, and a hover is answered while a long one runs', T, async () => {
    const c = await start();
    assert.ok(await c.waitForLog(l => /analyses run on a worker thread/.test(l)));
    // A template whose analysis takes far longer than a hover: many loops over list arguments.
    const big = Array.from(
      { length: 400 },
      (_, i) => `SELECT {% for d in dims_${i % 7} %}IDENTIFIER({{ d | column_policy }}), {% endfor %}1 FROM IDENTIFIER({{ source_table[0] }}) AS p;`,
    ).join('\n');
    const uri = freshUri();
    await c.open(uri, big);
    await c.waitForLatest(uri);
    const small = freshUri();
    await c.open(small, 'SELECT {{ x | sqlsafe }}');
    await c.waitForLatest(small);
    // Edit the big one and ask a hover on the small one before its diagnostics come back.
    await c.change(uri, big + '\n-- edit', big);
    const hover = c.conn.sendRequest('textDocument/hover', { textDocument: { uri: small }, position: { line: 0, character: 15 } });
    const diagnostics = c.waitForLatest(uri).then(() => 'diagnostics');
    assert.equal(await Promise.race([hover.then(() => 'hover'), diagnostics]), 'hover');
    await diagnostics;
    assert.equal(await c.shutdown(), 0);
  });

  test('--version and --help answer without starting a session', () => {
    const v = spawnSync(process.execPath, [SERVER, '--version'], { encoding: 'utf8' });
    assert.equal(v.status, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
    const h = spawnSync(process.execPath, [SERVER, '--help'], { encoding: 'utf8' });
    assert.equal(h.status, 0);
    assert.match(h.stdout, /--stdio/);
  });
});
