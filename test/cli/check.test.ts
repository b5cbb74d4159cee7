/**
 * `dcr check` as CI runs it: the built dist/dcr.js on temporary folders.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { analyzeDocument, parseDocument } from '../../core/src/index.js';

const DCR = resolve(__dirname, '../../dist/dcr.js');
const BROKEN = 'SELECT a\nFROM t\nWHERE b = {{ x ';
// Clean under any rule: a bound value compared in WHERE.
const GOOD = 'SELECT a FROM t WHERE b = {{ x }}';

const roots: string[] = [];
after(() => roots.forEach(r => rmSync(r, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dcr-check-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

function dcr(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [DCR, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[], cwd: string) {
  const r = dcr(['check', '--format', 'json', ...args], cwd);
  return { ...r, out: JSON.parse(r.stdout) };
}

/** Independent of core's LineIndex: 1-based line and UTF-16 column of an offset. */
function lineCol(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return [before.length, before[before.length - 1]!.length + 1];
}

describe('dcr check: exit codes and one-line reasons', () => {
  const root = tree({
    'good.jinjasql': GOOD,
    'bad.jinjasql': BROKEN,
    'profile.json': '{"api":"legacy"}',
    'broken.json': '{nope',
    'deep.json': `{"api": "legacy",\n "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
  });
  const cases: { name: string; args: string[]; code: number; stderr?: RegExp }[] = [
    { name: 'a clean file', args: ['check', 'good.jinjasql'], code: 0 },
    { name: 'an error finding', args: ['check', 'bad.jinjasql'], code: 1 },
    { name: 'the folder (default path) with an error', args: ['check'], code: 1 },
    { name: 'error downgraded to warning', args: ['check', '--severity', 'DCR001=warning', 'bad.jinjasql'], code: 0 },
    { name: 'rule turned off', args: ['check', '--severity', 'DCR001=off', 'bad.jinjasql'], code: 0 },
    { name: 'a valid profile', args: ['check', '--profile', 'profile.json', 'good.jinjasql'], code: 0 },
    { name: 'unknown flag', args: ['check', '--bogus'], code: 2, stderr: /unknown option '--bogus'/ },
    { name: 'missing path', args: ['check', 'nope.jinjasql'], code: 2, stderr: /nope\.jinjasql.*no such file/ },
    { name: 'bad format', args: ['check', '--format', 'xml'], code: 2, stderr: /--format/ },
    { name: 'bad api', args: ['check', '--api', 'v3'], code: 2, stderr: /--api/ },
    { name: 'bad severity level', args: ['check', '--severity', 'DCR001=loud'], code: 2, stderr: /--severity/ },
    { name: 'severity without =', args: ['check', '--severity', 'DCR001'], code: 2, stderr: /--severity/ },
    { name: 'missing profile', args: ['check', '--profile', 'none.json'], code: 2, stderr: /none\.json/ },
    { name: 'profile not JSON', args: ['check', '--profile', 'broken.json'], code: 2, stderr: /not valid JSON: .* at line 1, column 2/ },
    {
      name: 'profile nested 100,000 levels deep',
      args: ['check', '--profile', 'deep.json'],
      code: 2,
      stderr: /^dcr: profile .*deep\.json: nested more than 256 levels deep.*\(line 2, column 262\)\n$/,
    },
    { name: 'no command', args: [], code: 2, stderr: /missing command/ },
    { name: 'unknown command', args: ['lint'], code: 2, stderr: /unknown command 'lint'/ },
    { name: 'unknown global flag', args: ['--frobnicate'], code: 2, stderr: /unknown option/ },
  ];
  for (const c of cases) {
    test(`${c.name} -> ${c.code}`, () => {
      const r = dcr(c.args, root);
      assert.equal(r.code, c.code, r.stderr + r.stdout);
      if (c.code === 2) {
        assert.match(r.stderr, /^dcr: [^\n]+\n$/, 'exactly one line on stderr');
        assert.match(r.stderr, c.stderr!);
      } else {
        assert.equal(r.stderr, '');
      }
    });
  }

  test('--help, check --help and --version exit 0 on stdout', () => {
    const h = dcr(['--help'], root);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /check/);
    const ch = dcr(['check', '--help'], root);
    assert.equal(ch.code, 0);
    assert.match(ch.stdout, /--format text\|json\|sarif/);
    const v = dcr(['--version'], root);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});

describe('dcr check: json contract', () => {
  test('exactly the contract object, with 1-based positions', () => {
    const root = tree({ 'bad.jinjasql': BROKEN, 'good.jinjasql': GOOD });
    const { code, out } = json([], root);
    assert.equal(code, 1);
    assert.deepEqual(Object.keys(out), ['version', 'files', 'summary']);
    assert.equal(out.version, 1);
    // Fields are only added after the original ones, never renamed.
    assert.deepEqual(out.summary, { errors: 1, warnings: 0, information: 0, hints: 0, templates: 2, filesWithoutTemplates: 0 });
    assert.deepEqual(
      out.files.map((f: { path: string }) => f.path),
      ['bad.jinjasql', 'good.jinjasql'],
    );
    const [bad, good] = out.files;
    assert.deepEqual(Object.keys(bad), ['path', 'diagnostics', 'templates']);
    assert.equal(bad.templates, 1);
    assert.deepEqual(good.diagnostics, []);
    const d = bad.diagnostics[0];
    assert.deepEqual(Object.keys(d), ['code', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn']);
    assert.equal(d.code, 'DCR001');
    assert.equal(d.severity, 'error');
    assert.equal(typeof d.message, 'string');
    assert.equal(d.line, 3);
    assert.ok(d.column >= 7, 'at or after the {{ on line 3 (1-based)');
  });

  // Positions must match the engine's spans converted independently: UTF-16 columns
  // (astral characters count 2), CRLF and CR line ends, and a BOM that editors hide.
  const positionCases: { name: string; text: string }[] = [
    { name: 'LF', text: BROKEN },
    { name: 'CRLF', text: BROKEN.replace(/\n/g, '\r\n') },
    { name: 'lone CR', text: BROKEN.replace(/\n/g, '\r') },
    { name: 'astral characters before the error', text: "-- 😀😀\nSELECT '😀', {{ x " },
    { name: 'BOM', text: '\ufeffSELECT {{ x ' },
  ];
  for (const c of positionCases) {
    test(`positions: ${c.name}`, () => {
      const root = tree({ 't.jinjasql': c.text });
      const { out } = json(['t.jinjasql'], root);
      const engineText = c.text.replace(/^\ufeff/, '');
      const findings = analyzeDocument(parseDocument({ text: engineText, path: 't.jinjasql' }));
      assert.ok(findings.length > 0, 'each case has a finding');
      const expected = findings.map(f => {
        const [line, column] = lineCol(engineText, f.span.start);
        const [endLine, endColumn] = lineCol(engineText, f.span.end);
        return { code: f.code, line, column, endLine, endColumn };
      });
      const actual = out.files[0].diagnostics.map((d: Record<string, unknown>) => ({
        code: d.code,
        line: d.line,
        column: d.column,
        endLine: d.endLine,
        endColumn: d.endColumn,
      }));
      assert.deepEqual(actual, expected);
    });
  }
});

describe('dcr check: files and folders', () => {
  test('recurses into folders, takes every template kind, skips node_modules, dot-folders and other files', () => {
    const root = tree({
      'a.jinjasql': GOOD,
      'sub/b.jinja.sql': GOOD,
      'sub/deeper/c.sql.j2': GOOD,
      'sub/d.sql.jinja': GOOD,
      'sub/w.sql': 'SELECT 1',
      'spec.yaml': 'name: x\n',
      'spec2.yml': 'name: y\n',
      'notes.txt': BROKEN,
      'script.py': BROKEN,
      'node_modules/pkg/x.jinjasql': BROKEN,
      '.git/y.jinjasql': BROKEN,
      'sub/.cache/z.jinjasql': BROKEN,
    });
    const { code, out } = json(['.'], root);
    assert.equal(code, 0);
    assert.deepEqual(
      out.files.map((f: { path: string }) => f.path),
      ['a.jinjasql', 'spec.yaml', 'spec2.yml', 'sub/b.jinja.sql', 'sub/d.sql.jinja', 'sub/deeper/c.sql.j2', 'sub/w.sql'],
    );
  });

  test('several paths; a file named explicitly is checked whatever its folder; no duplicates', () => {
    const root = tree({ 'x/a.jinjasql': BROKEN, '.hidden/b.jinjasql': BROKEN });
    const { code, out } = json(['x', 'x/a.jinjasql', '.hidden/b.jinjasql'], root);
    assert.equal(code, 1);
    assert.deepEqual(
      out.files.map((f: { path: string }) => f.path),
      ['.hidden/b.jinjasql', 'x/a.jinjasql'],
    );
    assert.equal(out.summary.errors, 2);
  });
});

describe('dcr check: text and sarif', () => {
  test('text: compiler-style lines and a summary, no colors when piped', () => {
    const root = tree({ 'sub/bad.jinjasql': BROKEN, 'good.jinjasql': GOOD });
    const r = dcr(['check'], root, { FORCE_COLOR: '1' });
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^sub\/bad\.jinjasql:3:\d+: error DCR001 \S.*$/);
    assert.equal(lines.at(-1), '1 error in 2 files checked');
    assert.doesNotMatch(r.stdout, /\x1b\[/);
  });

  test('text: a clean run says so', () => {
    const root = tree({ 'good.jinjasql': GOOD });
    const r = dcr(['check'], root);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'good.jinjasql: 1 template checked\nno problems in 1 file checked\n');
  });

  // A file in which nothing could be checked must not pass as clean, in any format.
  const hosts: { name: string; files: Record<string, string>; lines: string[]; templates: number; without: number }[] = [
    {
      name: 'worksheet with two templates, worksheet and spec with none',
      files: {
        'two.sql': "call x.consumer.create_template_request('r', 'a', $$SELECT 1$$);\ncall x.consumer.create_template_request('r', 'b', $$SELECT 2$$);",
        'none.sql': "call samooha_by_snowflake_local_db.consumer.run_analysis('r', 'a', [], [], {});",
        'spec.yaml': 'api_version: 2.0.0\nspec_type: template\nname: t\nversion: v1\ntype: sql_analysis\n',
      },
      lines: ['none.sql: no template found', 'spec.yaml: no template found', 'two.sql: 2 templates checked'],
      templates: 2,
      without: 2,
    },
  ];
  for (const c of hosts) {
    test(`per-file template counts: ${c.name}`, () => {
      const root = tree(c.files);
      const text = dcr(['check'], root);
      for (const l of c.lines) assert.ok(text.stdout.split('\n').includes(l), `'${l}' in\n${text.stdout}`);
      const { out } = json([], root);
      assert.equal(out.summary.templates, c.templates);
      assert.equal(out.summary.filesWithoutTemplates, c.without);
      assert.equal(out.files.length, Object.keys(c.files).length);
      const sarif = JSON.parse(dcr(['check', '--format', 'sarif'], root).stdout);
      assert.deepEqual(sarif.runs[0].properties, { templates: c.templates, filesWithoutTemplates: c.without });
      assert.equal(sarif.runs[0].artifacts.length, Object.keys(c.files).length);
      // The information finding says it in the editor too, at the call or the file start.
      assert.ok(
        out.files
          .filter((f: { templates: number }) => !f.templates)
          .every((f: { diagnostics: { code: string }[] }) => f.diagnostics.some(d => d.code === 'DCR407')),
      );
    });
  }

  test('sarif: 2.1.0 with the dcr driver, rules linking to docs, located results', () => {
    const root = tree({ 'bad.jinjasql': BROKEN, 'warn.jinjasql': 'SELECT {{ y ' });
    const r = dcr(['check', '--format', 'sarif', '--severity', 'DCR001=error'], root);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'dcr');
    assert.match(run.tool.driver.version, /^\d+\.\d+\.\d+$/);
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'DCR001');
    assert.equal(rule.helpUri, 'https://github.com/clean-room-templates/clean-room-templates/blob/main/docs/rules/DCR001.md');
    assert.equal(run.results.length, 2);
    for (const res of run.results) {
      assert.equal(res.ruleId, 'DCR001');
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.equal(res.level, 'error');
      assert.equal(typeof res.message.text, 'string');
      const loc = res.locations[0].physicalLocation;
      assert.match(loc.artifactLocation.uri, /^(bad|warn)\.jinjasql$/);
      assert.equal(loc.artifactLocation.uriBaseId, 'SRCROOT');
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    }
  });

  test('sarif: information and hint map to note', () => {
    const root = tree({ 'bad.jinjasql': BROKEN });
    const r = dcr(['check', '--format', 'sarif', '--severity', 'DCR001=hint'], root);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).runs[0].results[0].level, 'note');
  });
});

describe('dcr check on many files uses threads, with the same output as one thread', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 120; i++) {
    // Varied findings: a policy-free sqlsafe, a syntax error, a clean file.
    files[`t/f${String(i).padStart(3, '0')}.jinjasql`] =
      [`SELECT {{ c${i % 5} | sqlsafe }} FROM IDENTIFIER({{ source_table[0] }}) AS p`, 'SELECT {{ x ', 'SELECT 1'][i % 3]! + '\n';
  }
  const root = tree(files);
  test('--jobs 1 and --jobs 2 print the same report', () => {
    const one = dcr(['check', '--jobs', '1', '--format', 'json', 't'], root);
    const two = dcr(['check', '--jobs', '2', '--format', 'json', 't'], root);
    assert.equal(one.code, 1, one.stderr);
    assert.equal(two.code, 1, two.stderr);
    assert.equal(JSON.parse(one.stdout).files.length, 120);
    assert.equal(two.stdout, one.stdout);
  });
  test('--jobs must be a whole number', () => {
    const r = dcr(['check', '--jobs', 'many', 't'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--jobs expects a whole number/);
  });
});
