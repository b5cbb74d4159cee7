/**
 * DCR2xx rules on inline templates, failing and passing. Each case renders the template with
 * concrete arguments, runs sqlRules and compares the codes with the template text each
 * finding points at (so the mapping back through the render is checked too).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderString, parseArguments } from '../../core/src/index.js';
import { sqlRules, templateKind, checkSql } from '../../core/src/index.js';
import { parseDocument, analyzeDocument, parseProfile } from '../../core/src/index.js';

interface Case {
  name: string;
  template: string;
  args?: Record<string, unknown>;
  templateName?: string;
  /** [code, template text at the finding's span]; information findings are listed only when named here. */
  expect: [string, string][];
  /** Also compare information findings (DCR200). */
  info?: boolean;
}

const ARGS = {
  source_table: ['DB.S.CUSTOMERS'],
  my_table: ['MY.PUBLIC.CRM'],
  dimensions: ['p.STATUS', 'p.REGION'],
  col: 'p.STATUS',
  n: 10,
};

const cases: Case[] = [
  // ---- DCR201: certain parse errors
  { name: 'string literal as a table (template text)', template: "SELECT COUNT(*) AS n FROM 'DB.S.T' AS p", expect: [['DCR201', "'DB.S.T'"]] },
  {
    name: 'string literal as a table (bound value) maps to the braces',
    template: 'SELECT COUNT(*) AS n FROM {{ source_table[0] }} AS p',
    expect: [['DCR201', '{{ source_table[0] }}']],
  },
  { name: 'a stage path in FROM is not a table', template: "SELECT $1 FROM '@my_stage/data.csv'", expect: [] },
  { name: 'EXTRACT(… FROM …) is not a table position', template: "SELECT EXTRACT(YEAR FROM '2024-01-01'::DATE) AS y", expect: [] },
  { name: 'alias followed by a string', template: 'SELECT p.{{ col }} AS s FROM IDENTIFIER({{ source_table[0] }}) AS p', expect: [['DCR201', '{{ col }}']] },
  { name: 'unclosed parenthesis', template: 'SELECT COUNT(DISTINCT p.hem AS n FROM IDENTIFIER({{ source_table[0] }}) AS p', expect: [['DCR201', '(']] },
  { name: 'extra closing parenthesis', template: 'SELECT COUNT(*)) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p', expect: [['DCR201', ')']] },
  {
    name: 'parentheses inside strings and comments do not count',
    template: "SELECT ':-(' AS face -- (\nFROM IDENTIFIER({{ source_table[0] }}) AS p /* ) */",
    expect: [],
  },
  { name: 'empty IDENTIFIER() written in the template', template: 'SELECT COUNT(*) AS n FROM IDENTIFIER() AS p', expect: [['DCR201', 'IDENTIFIER()']] },
  { name: "empty IDENTIFIER('') written in the template", template: "SELECT COUNT(*) AS n FROM IDENTIFIER('') AS p", expect: [['DCR201', "IDENTIFIER('')"]] },
  {
    name: 'IDENTIFIER() empty because an argument is undefined: only could-not-verify',
    template: 'SELECT COUNT(*) AS n FROM IDENTIFIER({{ missing }}) AS p',
    expect: [['DCR200', 'IDENTIFIER']],
    info: true,
  },
  { name: 'comma right after SELECT', template: 'SELECT , p.a FROM IDENTIFIER({{ source_table[0] }}) AS p', expect: [['DCR201', ',']] },
  { name: 'two commas', template: 'SELECT p.a,, p.b FROM IDENTIFIER({{ source_table[0] }}) AS p', expect: [['DCR201', ',']] },
  {
    name: 'loop leaves a comma before ) in a function call',
    template: 'SELECT ARRAY_CONSTRUCT({% for d in dimensions %}IDENTIFIER({{ d }}), {% endfor %}) AS a FROM IDENTIFIER({{ source_table[0] }}) AS p',
    expect: [['DCR201', ',']],
  },
  {
    name: 'loop leaves a comma at the end of GROUP BY',
    template: 'SELECT COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p GROUP BY {% for d in dimensions %}IDENTIFIER({{ d }}), {% endfor %}',
    expect: [['DCR201', ',']],
  },
  {
    name: 'a trailing comma at the end of a SELECT list is accepted by Snowflake',
    template: 'SELECT {% for d in dimensions %}IDENTIFIER({{ d }}), {% endfor %} FROM IDENTIFIER({{ source_table[0] }}) AS p',
    expect: [],
  },
  {
    name: 'loop.last guard: no dangling comma',
    template:
      'SELECT ARRAY_CONSTRUCT({% for d in dimensions %}IDENTIFIER({{ d }}){% if not loop.last %}, {% endif %}{% endfor %}) AS a FROM IDENTIFIER({{ source_table[0] }}) AS p',
    expect: [],
  },
  {
    name: 'a comma next to a value that rendered empty is not certain',
    template: 'SELECT f(p.a, {{ privacy.x | sqlsafe }}) AS a FROM IDENTIFIER({{ source_table[0] }}) AS p',
    args: { ...ARGS, privacy: {} },
    expect: [],
  },
  // ---- DCR200: the parser does not support it
  {
    name: 'WITHIN GROUP is Snowflake: verified',
    template: 'SELECT ARRAY_AGG(p.x) WITHIN GROUP (ORDER BY p.y) AS z FROM IDENTIFIER({{ source_table[0] }}) AS p',
    expect: [],
    info: true,
  },
  {
    name: 'a construct outside the checked grammar is only could-not-verify',
    template: 'SELECT $1 AS a FROM @my_stage/data.csv',
    expect: [['DCR200', '@']],
    info: true,
  },
  {
    name: 'a missing comma between select items',
    template: 'SELECT p.region cnt COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p GROUP BY 1',
    expect: [['DCR201', 'COUNT']],
  },
  {
    name: 'a bound value as an alias maps to its braces',
    template: 'SELECT p.region AS {{ col }}, COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p GROUP BY 1',
    expect: [['DCR201', '{{ col }}']],
  },
  {
    name: 'a syntax error next to a raw value is only could-not-verify',
    template: 'SELECT p.region {{ col | sqlsafe }} AS n FROM IDENTIFIER({{ source_table[0] }}) AS p',
    expect: [['DCR200', '{{ col | sqlsafe }}']],
    info: true,
  },
  {
    name: 'script IF blocks are reported as not checked',
    template: "BEGIN\n  IF (1 = 1) THEN\n    RETURN 'a';\n  END IF;\n  RETURN 'b';\nEND;",
    expect: [['DCR200', 'IF']],
    info: true,
  },
  {
    name: 'a plain query verifies',
    template: 'SELECT IDENTIFIER({{ col }}) AS s, COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p GROUP BY 1',
    expect: [],
    info: true,
  },
  {
    name: 'script blocks are split and each statement verified',
    template:
      "BEGIN\n  CREATE OR REPLACE TABLE cleanroom.analysis_results AS SELECT COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p;\n  RETURN 'analysis_results';\nEND;",
    expect: [],
    info: true,
  },
  {
    name: 'SQL inside LET … := $$…$$ is verified',
    template: 'BEGIN\n  LET q := $$ SELECT COUNT(*) AS n FROM t WHERE ( $$;\n  LET res RESULTSET := (EXECUTE IMMEDIATE :q);\n  RETURN TABLE(res);\nEND;',
    expect: [['DCR201', '(']],
  },
  // ---- DCR202: analysis templates are queries
  {
    name: 'an INSERT is not a query',
    template: 'INSERT INTO cleanroom.x SELECT p.a FROM IDENTIFIER({{ source_table[0] }}) AS p',
    expect: [['DCR202', 'INSERT']],
  },
  { name: 'two statements outside a script block', template: 'SELECT 1 AS a;\nSELECT 2 AS b;', expect: [['DCR202', 'SELECT']] },
  { name: 'a CALL is accepted', template: 'call cleanroom.prepare({{ source_table[0] }})', expect: [] },
  { name: 'a WITH query is accepted', template: 'WITH x AS (SELECT 1 AS one) SELECT one FROM x;', expect: [] },
  // ---- DCR203-205: activation
  {
    name: 'activation template (by name) that creates another table',
    templateName: 'activation_segment',
    template:
      "BEGIN\n  CREATE OR REPLACE TABLE cleanroom.segment AS SELECT p.hem AS hem FROM IDENTIFIER({{ source_table[0] }}) AS p;\n  RETURN 'segment';\nEND;",
    expect: [['DCR203', 'cleanroom.segment']],
  },
  {
    name: 'activation table outside the cleanroom schema',
    templateName: 'activation_segment',
    template:
      "BEGIN\n  CREATE OR REPLACE TABLE activation_data_segment AS SELECT p.hem AS hem FROM IDENTIFIER({{ source_table[0] }}) AS p;\n  RETURN 'segment';\nEND;",
    expect: [['DCR203', 'activation_data_segment']],
  },
  {
    name: 'activation returns the whole table name',
    template:
      "BEGIN\n  CREATE OR REPLACE TABLE cleanroom.activation_data_seg AS SELECT p.hem AS hem FROM IDENTIFIER({{ source_table[0] }}) AS p;\n  RETURN 'cleanroom.activation_data_seg';\nEND;",
    expect: [['DCR204', "'cleanroom.activation_data_seg'"]],
  },
  {
    name: 'activation returns nothing',
    template: 'CREATE OR REPLACE TABLE cleanroom.activation_data_seg AS SELECT p.hem AS hem FROM IDENTIFIER({{ source_table[0] }}) AS p',
    expect: [['DCR204', 'cleanroom.activation_data_seg']],
  },
  {
    name: 'activation returns a variable: not judged',
    template:
      "DECLARE\n  suffix VARCHAR DEFAULT 'seg';\n  name VARCHAR DEFAULT 'cleanroom.activation_data_' || suffix;\nBEGIN\n  CREATE OR REPLACE TABLE IDENTIFIER(:name) AS SELECT p.hem AS hem FROM IDENTIFIER({{ source_table[0] }}) AS p;\n  RETURN :suffix;\nEND;",
    expect: [],
    info: true,
  },
  {
    name: 'COUNT(*) without an alias in the activation table',
    template:
      "BEGIN\n  CREATE OR REPLACE TABLE cleanroom.activation_data_seg AS SELECT p.region, COUNT(*), IDENTIFIER({{ col }}), SUM(p.x) AS total FROM IDENTIFIER({{ source_table[0] }}) AS p GROUP BY 1, 3;\n  RETURN 'seg';\nEND;",
    expect: [['DCR205', 'COUNT(*)']],
  },
  {
    name: 'provider-run activation into temp_result_data',
    template:
      "BEGIN\n  CREATE OR REPLACE TABLE cleanroom.temp_result_data AS SELECT p.hem AS hem, COUNT(p.x) AS item_count FROM IDENTIFIER({{ source_table[0] }}) AS p GROUP BY 1;\n  RETURN 'temp_result_data';\nEND;",
    expect: [],
  },
];

function run(c: Case) {
  const out = renderString(c.template, parseArguments(JSON.stringify(c.args ?? ARGS)), { jinjasql: true });
  assert.equal(out.error, null, `${c.name}: render failed: ${out.error?.message}`);
  const kind = templateKind(out.output!, c.templateName);
  return sqlRules(out, { kind, api: 'legacy', source: c.template, ...(c.templateName ? { templateName: c.templateName } : {}) });
}

describe('DCR2xx rules', () => {
  for (const c of cases) {
    it(c.name, () => {
      const findings = run(c).filter(f => c.info || f.severity === 'error' || f.severity === 'warning');
      const got = findings.map(f => [f.code, c.template.slice(f.span.start, f.span.end)] as [string, string]);
      assert.deepEqual(got, c.expect);
    });
  }

  it('syntax errors say what was expected, after what, and what came instead', () => {
    const messages = (template: string) =>
      run({ name: template, template, expect: [] })
        .filter(f => f.code === 'DCR201')
        .map(f => f.message);
    const T = 'IDENTIFIER({{ source_table[0] }})';
    assert.deepEqual(messages(`SELECT p.region cnt COUNT(*) FROM ${T} AS p GROUP BY 1`), [
      'The rendered SQL does not parse: expected `,` or `FROM` after `cnt`, found `COUNT`.',
    ]);
    assert.deepEqual(messages(`SELECT p.region p.status FROM ${T} AS p`), [
      'The rendered SQL does not parse: expected `,` or `FROM` after `p.region`, found `p`.',
    ]);
    assert.deepEqual(messages(`SELECT COUNT(*) AS n FROM ${T} AS p WHERE p.age > 18 AND\nGROUP BY 1`), [
      'The rendered SQL does not parse: expected an expression after `AND`, found `GROUP`.',
    ]);
    // Recovery: each select item and clause is judged on its own, so both mistakes are reported.
    assert.deepEqual(messages(`SELECT p.a p.b, CASE WHEN p.c THEN 1 AS d FROM ${T} AS p`), [
      'The rendered SQL does not parse: expected `,` or `FROM` after `p.a`, found `p`.',
      'The rendered SQL does not parse: this CASE is never closed: expected `WHEN`, `ELSE` or `END` after `1`, found `AS`.',
    ]);
  });

  it('templateKind: from the created table, else from an activation_ name (legacy only)', () => {
    assert.equal(templateKind('CREATE TABLE cleanroom.activation_data_x AS SELECT 1 AS a', undefined), 'activation');
    assert.equal(templateKind('create or replace table cleanroom.temp_result_data as select 1 as a', undefined), 'activation');
    assert.equal(templateKind('SELECT 1', 'activation_x'), 'activation');
    assert.equal(templateKind('SELECT 1', 'activation_x', 'collaboration'), 'analysis');
    assert.equal(templateKind('SELECT 1', 'overlap'), 'analysis');
  });

  it('checkSql counts parsed statements inside script blocks', () => {
    const c = checkSql("BEGIN CREATE TABLE cleanroom.x AS SELECT 1 AS a; SELECT 2 AS b; RETURN 'x'; END;");
    assert.equal(c.parsed, 3);
    assert.equal(c.accepted, 3);
    assert.deepEqual(c.unverified, []);
  });

  it('through analyzeDocument: one code per mistake (DCR105 explains a bound table, not DCR201)', () => {
    const text = 'SELECT COUNT(*) AS n FROM {{ source_table[0] }} AS p';
    const codes = analyzeDocument(parseDocument({ text, path: 't.jinjasql' })).map(f => f.code);
    assert.ok(codes.includes('DCR105'), codes.join());
    assert.ok(!codes.includes('DCR201'), codes.join());
  });

  it('through analyzeDocument: SQL that breaks only for a list of three entries is found in that render', () => {
    const text =
      'SELECT {% for d in dimensions %}{% if loop.index < 3 %}IDENTIFIER({{ d }}), {% else %}IDENTIFIER({{ d }}) {% endif %}{% endfor %}COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p GROUP BY ALL';
    const f = analyzeDocument(parseDocument({ text, path: 't.jinjasql' })).filter(x => x.code === 'DCR201');
    assert.deepEqual(
      f.map(x => [text.slice(x.span.start, x.span.end), x.span.start]),
      [['COUNT', text.indexOf('COUNT')]],
    );
  });

  it('through analyzeDocument: a break behind a branch tag (in the one-entry render) is not an error', () => {
    const text =
      'SELECT {% for d in dimensions %}IDENTIFIER({{ d }}){% if loop.length > 1 %}, {% endif %}{% endfor %} COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p GROUP BY ALL';
    const f = analyzeDocument(parseDocument({ text, path: 't.jinjasql' })).filter(x => x.code === 'DCR201');
    assert.deepEqual(
      f.map(x => x.code),
      [],
    );
  });

  it("through analyzeDocument: a branch only the analysis's own arguments take is checked in that render", () => {
    const text =
      "SELECT {% if mode == 'pair' %}p.status p.region{% else %}p.status{% endif %}, COUNT(*) AS n FROM IDENTIFIER({{ source_table[0] }}) AS p GROUP BY ALL";
    const profile = parseProfile(
      JSON.stringify({
        api: 'legacy',
        cleanrooms: { R: { provider: { tables: { 'DB.S.T': ['STATUS', 'REGION'] } }, templates: ['t'] } },
        analyses: { a: { template: 't.jinjasql', cleanrooms: ['R'], arguments: { source_table: ['DB.S.T'], mode: 'pair' } } },
      }),
    );
    const model = parseDocument({ text, path: '/ws/t.jinjasql' });
    // The sample renders take the else branch: nothing to report without the analysis.
    assert.deepEqual(
      analyzeDocument(model).filter(f => f.code === 'DCR201'),
      [],
    );
    const f = analyzeDocument(model, { profile: { profile, templatePath: 't.jinjasql' } }).filter(x => x.code === 'DCR201');
    assert.equal(f.length, 1, JSON.stringify(f));
    assert.equal(text.slice(f[0]!.span.start, f[0]!.span.end), 'p');
    assert.equal(text.indexOf('p.region'), f[0]!.span.start);
    assert.match(f[0]!.message, /analysis 'a'/);
  });

  it('through analyzeDocument: a worksheet finding lands on the host text', () => {
    const text =
      "CALL samooha_by_snowflake_local_db.consumer.create_template_request('R', 'activation_seg', $$\nBEGIN\n  CREATE OR REPLACE TABLE cleanroom.activation_data_seg AS SELECT COUNT(*) FROM IDENTIFIER({{ source_table[0] }}) AS p;\n  RETURN 'seg';\nEND;\n$$);";
    const f = analyzeDocument(parseDocument({ text, path: 'w.sql' })).find(x => x.code === 'DCR205');
    assert.ok(f, 'DCR205 reported');
    assert.equal(text.slice(f.span.start, f.span.end), 'COUNT(*)');
  });
});
