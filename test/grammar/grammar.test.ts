// Grammar snapshot tests: tokenize fixtures with the real TextMate engine VS Code uses
// (vscode-textmate + oniguruma), compare with committed snapshots, and pin the scopes that
// other features and users' themes rely on. UPDATE_SNAPSHOTS=1 rewrites the snapshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, readdirSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const fixtures = join(here, 'fixtures');
const snapshots = join(here, '__snapshots__');
const update = process.env.UPDATE_SNAPSHOTS === '1';

const grammarFiles: Record<string, string> = {
  'source.jinjasql': join(root, 'syntaxes', 'jinjasql.tmLanguage.json'),
  'source.sql.dcr-embedded-template.injection': join(root, 'syntaxes', 'sql-dcr-injection.tmLanguage.json'),
  'source.sql': join(fixtures, 'sql.tmLanguage.json'),
};

// Mirrors the manifest: the injection is only ever injected into source.sql.
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const injectTo: Record<string, string[]> = {};
for (const g of manifest.contributes.grammars as Array<{ scopeName: string; injectTo?: string[] }>) {
  for (const host of g.injectTo ?? []) (injectTo[host] ??= []).push(g.scopeName);
}

let registryPromise: Promise<vsctm.Registry> | undefined;
function registry(): Promise<vsctm.Registry> {
  registryPromise ??= (async () => {
    const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm);
    return new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) => {
        const file = grammarFiles[scopeName];
        if (!file) return null;
        return vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file);
      },
      getInjections: (scopeName: string) => injectTo[scopeName],
    });
  })();
  return registryPromise;
}

interface Tok {
  line: number;
  text: string;
  scopes: string[];
}

async function tokenize(scopeName: string, source: string): Promise<Tok[]> {
  const grammar = await (await registry()).loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName} did not load`);
  const out: Tok[] = [];
  let stack = vsctm.INITIAL;
  source.split(/\r?\n/).forEach((lineText, line) => {
    const r = grammar.tokenizeLine(lineText, stack);
    for (const t of r.tokens) {
      out.push({ line, text: lineText.slice(t.startIndex, Math.min(t.endIndex, lineText.length)), scopes: t.scopes });
    }
    stack = r.ruleStack;
  });
  return out;
}

function render(source: string, toks: Tok[]): string {
  const lines = source.split(/\r?\n/);
  const out: string[] = ['# one line per token: JSON text, then its scopes without the root scope'];
  let current = -1;
  for (const t of toks) {
    if (t.line !== current) {
      current = t.line;
      out.push(`>> ${t.line + 1} | ${lines[t.line]}`);
    }
    if (t.text === '') continue;
    out.push(`${JSON.stringify(t.text)}  ${t.scopes.slice(1).join(' ')}`.trimEnd());
  }
  return out.join('\n') + '\n';
}

const scopeFor = (file: string) => (file.endsWith('.sql') ? 'source.sql' : 'source.jinjasql');

for (const file of readdirSync(fixtures)
  .filter(f => /\.(jinjasql|sql)$/.test(f))
  .sort()) {
  test(`snapshot: ${file}`, async () => {
    const source = readFileSync(join(fixtures, file), 'utf8');
    const actual = render(source, await tokenize(scopeFor(file), source));
    const snap = join(snapshots, `${file}.snap`);
    if (update || !existsSync(snap)) {
      mkdirSync(snapshots, { recursive: true });
      writeFileSync(snap, actual);
      if (!update) assert.fail(`snapshot ${file}.snap was missing and has been written; review and commit it`);
      return;
    }
    assert.equal(actual, readFileSync(snap, 'utf8'), `${file}: tokens changed; if intended run UPDATE_SNAPSHOTS=1 and review the diff`);
  });
}

// ---- targeted assertions (independent of snapshots, so a careless UPDATE_SNAPSHOTS cannot hide them)

/** The n-th token (0-based) whose text is exactly `text`, optionally on a line containing `onLine`. */
function tok(toks: Tok[], source: string, text: string, opts: { onLine?: string; nth?: number } = {}): Tok {
  const lines = source.split('\n');
  const hits = toks.filter(t => t.text.trim() === text.trim() && (!opts.onLine || lines[t.line].includes(opts.onLine)));
  const hit = hits[opts.nth ?? 0];
  assert.ok(hit, `no token ${JSON.stringify(text)}${opts.onLine ? ` on a line with ${JSON.stringify(opts.onLine)}` : ''}`);
  return hit;
}
const has = (t: Tok, prefix: string) => t.scopes.some(s => s === prefix || s.startsWith(prefix + '.'));
const hasNoneLike = (t: Tok, re: RegExp) => !t.scopes.some(s => re.test(s));

async function jinjasql(src: string) {
  return { src, toks: await tokenize('source.jinjasql', src) };
}

test('DCR filters get their own scopes', async () => {
  const { src, toks } = await jinjasql(
    "{{ p | join_policy }} {{ a | column_policy }} {{ a | activation_policy }} {{ w | sqlsafe | join_and_column_policy }} {{ l | inclause }} {{ v | bind('n') }} {{ v | default('x') }} {{ v | my_custom }}",
  );
  for (const f of ['join_policy', 'column_policy', 'activation_policy', 'join_and_column_policy']) {
    assert.ok(has(tok(toks, src, f), 'support.function.dcr.policy.jinjasql'), f);
  }
  const sqlsafe = tok(toks, src, 'sqlsafe');
  assert.ok(has(sqlsafe, 'support.function.dcr.sqlsafe.jinjasql'));
  assert.ok(has(sqlsafe, 'markup.underline'), 'sqlsafe should stand out (underline) in common themes');
  assert.ok(has(tok(toks, src, 'inclause'), 'support.function.jinjasql.bind'));
  assert.ok(has(tok(toks, src, 'bind'), 'support.function.jinjasql.bind'));
  assert.ok(has(tok(toks, src, 'default'), 'support.function.filter.jinja'));
  const custom = tok(toks, src, 'my_custom');
  assert.ok(has(custom, 'entity.name.function.filter.jinja') && !has(custom, 'support.function'));
});

test('reserved variables and loop are language variables, attributes are not', async () => {
  const { src, toks } = await jinjasql(
    '{{ source_table[0] }} {{ my_table }} {{ dimensions }} {{ measure_column }} {{ measure_columns }} {{ where_clause }} {{ privacy.threshold_value }} {{ preset_tables.a }} {{ loop.index0 }} {{ x.dimensions }} {{ source_tables }}',
  );
  for (const v of ['source_table', 'my_table', 'dimensions', 'measure_column', 'measure_columns', 'where_clause', 'privacy', 'preset_tables']) {
    assert.ok(has(tok(toks, src, v), 'variable.language.dcr.reserved.jinjasql'), v);
  }
  assert.ok(has(tok(toks, src, 'loop'), 'variable.language.loop.jinja'));
  assert.ok(!has(tok(toks, src, 'dimensions', { nth: 1 }), 'variable.language'), 'x.dimensions is an attribute');
  assert.ok(!has(tok(toks, src, 'source_tables'), 'variable.language'), 'prefix of a longer name');
});

test('Jinja inside a SQL string literal, $$ string and quoted identifier is tokenized as Jinja', async () => {
  const { src, toks } = await jinjasql(`SELECT 'a {{ x }} b', $$ {{ y | sqlsafe }} $$, "{{ z }}" FROM t WHERE s = 'it''s {% if q %}y{% endif %}';`);
  for (const [name, host] of [
    ['x', 'string.quoted.single.sql'],
    ['y', 'string.quoted.other.dollar.sql'],
    ['z', 'variable.other.quoted.identifier.sql'],
    ['q', 'string.quoted.single.sql'],
  ]) {
    const t = tok(toks, src, name);
    assert.ok(has(t, host), `${name} is inside ${host}`);
    assert.ok(has(t, 'meta.embedded'), `${name} is tokenized as Jinja`);
    assert.ok(has(t, 'variable.other.jinja'), `${name} is a Jinja variable`);
  }
  assert.ok(has(tok(toks, src, 'FROM'), 'keyword.other.DML.sql'), "'' escape must not end the string early or late");
  assert.ok(has(tok(toks, src, ';'), 'punctuation.terminator.statement.sql') && !has(tok(toks, src, ';'), 'string'));
});

test('quotes inside Jinja do not derail SQL highlighting', async () => {
  const { src, toks } = await jinjasql(`SELECT {{ "'" }} AS a, {{ 'x' ~ "\\"" }} AS b {# don't #} FROM t -- it's {{ c }}\nWHERE z = 1`);
  assert.ok(has(tok(toks, src, 'AS'), 'keyword.other.DML.sql'));
  assert.ok(has(tok(toks, src, 'FROM'), 'keyword.other.DML.sql'));
  assert.ok(has(tok(toks, src, 'c'), 'comment.line.double-dash.sql') && has(tok(toks, src, 'c'), 'meta.embedded.expression.jinja'));
  assert.ok(has(tok(toks, src, 'WHERE'), 'keyword.other.DML.sql'), 'next line is SQL again');
});

test('raw blocks are not Jinja; whitespace control markers are recognised', async () => {
  const { src, toks } = await jinjasql(`{%- raw -%} {{ inside }} {% if %} {%- endraw +%}{{- after -}}`);
  const inside = tok(toks, src, ' {{ inside }} {% if %} ');
  assert.ok(has(inside, 'string.unquoted.raw.jinja'));
  assert.ok(hasNoneLike(inside, /expression|statement|variable/), 'raw body must not be Jinja');
  assert.ok(has(tok(toks, src, 'after'), 'variable.other.jinja'), 'Jinja resumes after endraw');
  assert.ok(has(tok(toks, src, '-', { nth: 0 }), 'keyword.operator.whitespace-control.jinja'));
  assert.ok(has(tok(toks, src, '+'), 'keyword.operator.whitespace-control.jinja'));
});

test('tests after `is` are tests, not literals', async () => {
  const { src, toks } = await jinjasql(`{% if x is none and y is not defined and z == None %}{% endif %}`);
  assert.ok(has(tok(toks, src, 'none'), 'support.function.test.jinja'));
  assert.ok(has(tok(toks, src, 'defined'), 'support.function.test.jinja'));
  assert.ok(has(tok(toks, src, 'None'), 'constant.language.null.jinja'));
  assert.ok(has(tok(toks, src, 'endif'), 'keyword.control.conditional.jinja'));
});

test('p/c aliases (lowercase, also when generated by Jinja) get the alias scope', async () => {
  const { src, toks } = await jinjasql(`SELECT p.a, c1.b, count(x) FROM t AS p{{ loop.index }} JOIN u AS P`);
  assert.ok(has(tok(toks, src, 'p'), 'variable.language.alias.dcr.jinjasql'));
  assert.ok(has(tok(toks, src, 'c1'), 'variable.language.alias.dcr.jinjasql'));
  assert.ok(has(tok(toks, src, 'p', { nth: 1 }), 'variable.language.alias.dcr.jinjasql'));
  assert.ok(!has(tok(toks, src, 'P'), 'variable.language.alias'), 'uppercase P is not checked by DCR');
});

test('worksheet: templates embedded in create_template_request / add_custom_sql_template, and only there', async () => {
  const src = readFileSync(join(fixtures, 'worksheet.sql'), 'utf8');
  const toks = await tokenize('source.sql', src);
  const embedded = (t: Tok) => has(t, 'meta.embedded.block.jinjasql');

  const jp = tok(toks, src, 'join_policy');
  assert.ok(embedded(jp) && has(jp, 'support.function.dcr.policy.jinjasql'));
  assert.ok(has(tok(toks, src, 'IDENTIFIER', { onLine: 'hem_col' }), 'support.function.identifier.sql'), 'template body is highlighted as SQL');
  assert.ok(!embedded(tok(toks, src, "'multiprovider_overlap_analysis'".slice(1, -1))), 'template name argument is not the template');
  assert.ok(has(tok(toks, src, 'y'), 'variable.other.jinja'), "Jinja after a '' escape inside the embedded template");

  const after = tok(toks, src, 'select', { onLine: 'after $$' });
  assert.ok(!embedded(after) && has(after, 'keyword.other.sql'), 'text after the $$ template returns to SQL');
  const notJinja = toks.filter(t => src.split('\n')[t.line].includes('not_jinja'));
  assert.ok(
    notJinja.every(t => hasNoneLike(t, /jinja/)),
    'a $$ inside an ordinary SQL string is not a template',
  );

  assert.ok(embedded(tok(toks, src, 'column_policy', { onLine: 'dimensions[0]' })), 'quoted schema prefix, uppercase name, multi-line arguments');
  assert.ok(!embedded(tok(toks, src, 'concat')), 'a comma inside a nested call does not shift the argument count');
  assert.ok(!embedded(tok(toks, src, "'low'".slice(1, -1))), 'arguments after the template are not embedded');

  const quoted = tok(toks, src, 'x', { onLine: 'quoted_one' });
  assert.ok(embedded(quoted) && has(quoted, 'variable.other.jinja'), "'...' quoted template argument");
  assert.ok(embedded(tok(toks, src, 'column_policy', { onLine: 'quoted_one' })));

  for (const marker of ['not_a_template', 'commented_out']) {
    const onLine = toks.filter(t => src.split('\n')[t.line].includes(marker));
    assert.ok(onLine.length > 0 && onLine.every(t => !embedded(t) && hasNoneLike(t, /jinja/)), `${marker} must not be embedded`);
  }
  const spec = tok(toks, src, 'column_policy', { onLine: 'group_by' });
  assert.ok(has(spec, 'support.function.dcr.policy.jinjasql') && has(spec, 'meta.template-spec.dcr.sql'), 'Jinja inside a REGISTER_TEMPLATE YAML spec');
  assert.ok(has(tok(toks, src, 'spec_type'), 'entity.name.tag.yaml'));
  const last = tok(toks, src, 'SELECT', { onLine: 'SELECT 2;' });
  assert.deepEqual(last.scopes, ['source.sql', 'keyword.other.sql'], 'worksheet ends in plain SQL');
});

test('language configuration: regexes compile in JS and fold/indent Jinja blocks', () => {
  const conf = JSON.parse(readFileSync(join(root, 'syntaxes', 'jinjasql.language-configuration.json'), 'utf8'));
  const start = new RegExp(conf.folding.markers.start);
  const end = new RegExp(conf.folding.markers.end);
  const inc = new RegExp(conf.indentationRules.increaseIndentPattern);
  const dec = new RegExp(conf.indentationRules.decreaseIndentPattern);
  const cases: Array<[RegExp, string, boolean]> = [
    [start, '{% if where_clause %}', true],
    [start, '  {%- for t in source_table -%}', true],
    [start, '{% macro q(x) %}', true],
    [start, '{% set blk %}', true],
    [start, '{% set x = 1 %}', false],
    [start, '{% if x %}a{% endif %}', false],
    [start, '{% endif %}', false],
    [end, '{% endif %}', true],
    [end, '  {%- endfor -%}', true],
    [end, '{% endset %}', true],
    [end, '{% else %}', false],
    [inc, '{% if x %}', true],
    [inc, '{% else %}', true],
    [inc, '{% if x %}y{% endif %}', false],
    [inc, '{% set a = 1 %}', false],
    [dec, '{% endif %}', true],
    [dec, '  {%- elif y -%}', true],
    [dec, 'SELECT 1', false],
  ];
  for (const [re, text, expected] of cases)
    assert.equal(re.test(text), expected, `${re === start ? 'fold start' : re === end ? 'fold end' : re === inc ? 'indent' : 'outdent'}: ${text}`);
  for (const rule of conf.onEnterRules) {
    new RegExp(rule.beforeText);
    if (rule.afterText) new RegExp(rule.afterText);
  }
  const words = 'p1.HASHED_EMAIL $cleanroom_name 2.5'.match(new RegExp(conf.wordPattern, 'g'));
  assert.deepEqual(words, ['p1', 'HASHED_EMAIL', '$cleanroom_name', '2.5']);
  const opens = conf.autoClosingPairs.map((p: { open: string }) => p.open);
  for (const o of ['{{', '{%', '{#']) assert.ok(opens.includes(o), `auto-close ${o}`);
  assert.equal(conf.comments.blockComment[0], '{#');
});
