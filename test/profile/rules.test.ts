/**
 * DCR3xx through the facade, as the editor and the CLI run them: a profile, an analysis of
 * the template, and the findings Snowflake's policy checks would turn into
 * "Not approved: unauthorized columns used". Each case names the exact template text a
 * finding covers, so a finding at the wrong place fails too.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, analyzeProfileDocument, parseDocument, parseProfile } from '../../core/src/index.js';
import { columnRefs } from '../../core/src/index.js';
import { SqlAliases } from '../../core/src/index.js';

type Args = Record<string, unknown>;
interface Room {
  provider?: Record<string, unknown>;
  consumer?: Record<string, unknown>;
  templates?: string[];
}

const T = 'DB.S.T';
const U = 'DB.S.U';
function room(overrides: Room = {}): Room {
  return {
    provider: {
      tables: { [T]: ['HASHED_EMAIL', 'STATUS', 'REGION', 'AGE'], [U]: ['HASHED_EMAIL', 'STATUS'] },
      joinPolicy: [`${T}:HASHED_EMAIL`, `${U}:HASHED_EMAIL`],
      columnPolicy: [`t:${T}:STATUS`],
      ...overrides.provider,
    },
    consumer: { tables: { 'ME.S.C': ['HASHED_EMAIL', 'TIER'] }, ...overrides.consumer },
    templates: overrides.templates ?? ['t'],
  };
}

function profileText(args: Args, opts: { room?: Room; api?: string; analysis?: Args } = {}): string {
  return JSON.stringify({
    api: opts.api ?? 'legacy',
    cleanrooms: { R: opts.room ?? room() },
    analyses: { a: { template: 'templates/t.jinjasql', cleanrooms: ['R'], arguments: { source_table: [T], my_table: ['ME.S.C'], ...args }, ...opts.analysis } },
  });
}

/** DCR3xx findings (and the analysis's render failures) as [code, severity, template text]. */
function check(template: string, profile: string, templatePath = 'templates/t.jinjasql'): [string, string, string][] {
  const model = parseDocument({ text: template, path: `/ws/${templatePath}` });
  const findings = analyzeDocument(model, { profile: { profile: parseProfile(profile), templatePath } });
  return findings
    .filter(f => /^DCR3/.test(f.code) || (f.code === 'DCR010' && /^Analysis/.test(f.message)))
    .map(f => [f.code, f.severity, template.slice(f.span.start, f.span.end)]);
}

const SELECT = (filter: string) =>
  `SELECT IDENTIFIER({{ col | ${filter} }}) AS x\nFROM IDENTIFIER({{ source_table[0] }}) AS p\nJOIN IDENTIFIER({{ my_table[0] }}) AS c ON p.hashed_email = c.hashed_email`;

describe('DCR302/303/304: each policy check, failing and passing', () => {
  const cases: { name: string; template: string; args: Args; opts?: Parameters<typeof profileText>[1]; want: [string, string, string][] }[] = [
    { name: 'column policy allows STATUS', template: SELECT('column_policy'), args: { col: 'p.STATUS' }, want: [] },
    { name: 'column policy lacks REGION', template: SELECT('column_policy'), args: { col: 'p.REGION' }, want: [['DCR302', 'error', '| column_policy']] },
    { name: 'identifiers match case-insensitively', template: SELECT('column_policy'), args: { col: 'P.status' }, want: [] },
    { name: 'join policy allows HASHED_EMAIL', template: SELECT('join_policy'), args: { col: 'p.HASHED_EMAIL' }, want: [] },
    { name: 'join policy lacks STATUS', template: SELECT('join_policy'), args: { col: 'p.STATUS' }, want: [['DCR302', 'error', '| join_policy']] },
    { name: 'join_and_column_policy: in the column policy', template: SELECT('join_and_column_policy'), args: { col: 'p.STATUS' }, want: [] },
    {
      name: 'join_and_column_policy: in neither',
      template: SELECT('join_and_column_policy'),
      args: { col: 'p.AGE' },
      want: [['DCR302', 'error', '| join_and_column_policy']],
    },
    {
      name: 'predicate: a join condition goes to the join policy',
      template:
        'SELECT 1 FROM IDENTIFIER({{ source_table[0] }}) p JOIN IDENTIFIER({{ my_table[0] }}) c ON TRUE WHERE {{ where_clause | sqlsafe | join_and_column_policy }}',
      args: { where_clause: "p.STATUS = c.HASHED_EMAIL AND p.AGE > 30 AND c.TIER = 'X'" },
      want: [['DCR302', 'error', '| join_and_column_policy']],
    },
    {
      name: 'predicate: allowed join and filter columns',
      template:
        'SELECT 1 FROM IDENTIFIER({{ source_table[0] }}) p JOIN IDENTIFIER({{ my_table[0] }}) c ON TRUE WHERE {{ where_clause | sqlsafe | join_and_column_policy }}',
      args: { where_clause: "p.HASHED_EMAIL = c.HASHED_EMAIL AND p.STATUS <> $$GONE$$ AND lower(c.TIER) = 'x'" },
      want: [],
    },
    {
      name: 'activation policy absent: could not verify',
      template: SELECT('activation_policy'),
      args: { col: 'p.STATUS' },
      want: [['DCR304', 'information', '| activation_policy']],
    },
    {
      name: 'activation policy empty: nothing allowed',
      template: SELECT('activation_policy'),
      args: { col: 'p.STATUS' },
      opts: { room: room({ provider: { activationPolicy: [] } }) },
      want: [['DCR302', 'error', '| activation_policy']],
    },
    {
      name: 'activation policy for this template',
      template: SELECT('activation_policy'),
      args: { col: 'p.STATUS' },
      opts: { room: room({ provider: { activationPolicy: [`t:${T}:STATUS`] } }) },
      want: [],
    },
    {
      name: 'activation policy for another template',
      template: SELECT('activation_policy'),
      args: { col: 'p.STATUS' },
      opts: { room: room({ provider: { activationPolicy: [`other:${T}:STATUS`] } }) },
      want: [['DCR302', 'error', '| activation_policy']],
    },
    {
      name: 'column policy key absent: could not verify',
      template: SELECT('column_policy'),
      args: { col: 'p.REGION' },
      opts: { room: room({ provider: { columnPolicy: undefined } }) },
      want: [['DCR304', 'information', '| column_policy']],
    },
    {
      name: "the runner's own columns are not checked",
      template: SELECT('column_policy'),
      args: { col: 'c.TIER' },
      opts: { room: room({ consumer: { columnPolicy: [] } }) },
      want: [],
    },
    {
      name: 'provider-run analysis checks the consumer policy',
      template: SELECT('column_policy'),
      args: { col: 'c.TIER' },
      opts: { room: room({ consumer: { columnPolicy: [] } }), analysis: { runAs: 'provider' } },
      want: [['DCR302', 'error', '| column_policy']],
    },
    { name: 'an alias with no table', template: SELECT('column_policy'), args: { col: 'p3.STATUS' }, want: [['DCR303', 'warning', '| column_policy']] },
    {
      name: 'a column the table does not have',
      template: SELECT('column_policy'),
      args: { col: 'p.NOPE' },
      want: [
        ['DCR302', 'error', '| column_policy'],
        ['DCR303', 'warning', '| column_policy'],
      ],
    },
    { name: 'a bare name unique to one table', template: SELECT('column_policy'), args: { col: 'STATUS' }, want: [] },
    {
      name: 'a bare name unique to one table, not allowed',
      template: SELECT('column_policy'),
      args: { col: 'REGION' },
      want: [['DCR302', 'error', '| column_policy']],
    },
    {
      name: 'a bare name in two tables: could not verify',
      template: SELECT('join_policy'),
      args: { col: 'HASHED_EMAIL' },
      want: [['DCR303', 'information', '| join_policy']],
    },
    {
      name: 'a list value: could not verify',
      template: 'SELECT {{ col | column_policy | inclause }} FROM IDENTIFIER({{ source_table[0] }}) p',
      args: { col: ['p.STATUS'] },
      want: [['DCR303', 'information', '| column_policy']],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(check(c.template, profileText(c.args, c.opts)), c.want));
});

describe('alias resolution', () => {
  // source_table[0] = T (STATUS allowed), source_table[1] = U (nothing allowed for template t).
  const two = { source_table: [T, U] };
  const cases: { name: string; template: string; args: Args; api?: string; want: [string, string, string][] }[] = [
    {
      name: 'the SQL beats the convention (p1 written over source_table[0])',
      template:
        'SELECT IDENTIFIER({{ col | column_policy }}) FROM IDENTIFIER({{ source_table[0] }}) AS p1 JOIN IDENTIFIER({{ source_table[1] }}) AS p2 ON TRUE',
      args: { ...two, col: 'p1.STATUS' },
      want: [],
    },
    {
      name: 'a JOIN without AS',
      template:
        'SELECT IDENTIFIER({{ col | column_policy }}) FROM IDENTIFIER({{ source_table[0] }}) p1 inner join identifier({{ source_table[1] }}) p2 ON TRUE',
      args: { ...two, col: 'p2.STATUS' },
      want: [['DCR302', 'error', '| column_policy']],
    },
    {
      name: 'the same alias in a CTE and outside: the innermost scope wins',
      template:
        'WITH x AS (SELECT IDENTIFIER({{ inner | column_policy }}) AS s FROM IDENTIFIER({{ source_table[1] }}) p)\nSELECT IDENTIFIER({{ outer | column_policy }}) FROM x JOIN IDENTIFIER({{ source_table[0] }}) p ON TRUE',
      args: { ...two, inner: 'p.STATUS', outer: 'p.STATUS' },
      want: [['DCR302', 'error', '| column_policy']],
    },
    {
      name: 'a subquery wrapping one table under the alias',
      template: 'SELECT IDENTIFIER({{ col | column_policy }}) FROM (SELECT * FROM IDENTIFIER({{ source_table[1] }}) q) p2',
      args: { ...two, col: 'p2.STATUS' },
      want: [['DCR302', 'error', '| column_policy']],
    },
    {
      name: 'a CTE over one table, used through its alias',
      template: 'WITH w AS (SELECT * FROM IDENTIFIER({{ source_table[0] }}) t0) SELECT IDENTIFIER({{ col | column_policy }}) FROM w AS p',
      args: { ...two, col: 'p.STATUS' },
      want: [],
    },
    {
      name: 'a subquery over two tables: could not verify',
      template:
        'SELECT IDENTIFIER({{ col | column_policy }}) FROM (SELECT * FROM IDENTIFIER({{ source_table[0] }}) a JOIN IDENTIFIER({{ source_table[1] }}) b ON TRUE) p',
      args: { ...two, col: 'p.STATUS' },
      want: [['DCR303', 'information', '| column_policy']],
    },
    {
      name: 'legacy convention: p1 is source_table[1]',
      template: 'SELECT {{ col | sqlsafe | column_policy }} FROM somewhere',
      args: { ...two, col: 'p1.STATUS' },
      want: [['DCR302', 'error', '| column_policy']],
    },
    {
      name: 'collaboration convention: p1 is source_table[0]',
      template: 'SELECT {{ col | sqlsafe | column_policy }} FROM somewhere',
      args: { ...two, col: 'p1.STATUS' },
      api: 'collaboration',
      want: [],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(check(c.template, profileText(c.args, c.api ? { api: c.api } : {})), c.want));

  test('the alias table of the seed shape: a subquery named like its inner alias', () => {
    const sql = "select 1 from identifier('A.B.C') p1 inner join ( select x from identifier('D.E.F') p2 ) p2 on 1=1";
    const a = new SqlAliases(sql);
    assert.equal(a.resolve('p1', null), 'A.B.C');
    assert.equal(a.resolve('P2', null), 'D.E.F');
    assert.equal(a.resolve('p3', null), undefined);
  });

  test('column references in predicates', () => {
    assert.deepEqual(
      columnRefs("p.A = c.B AND lower(p.C) LIKE 'x%' AND D IS NOT NULL")!.map(r => [r.alias, r.column, r.join]),
      [
        ['p', 'A', true],
        ['c', 'B', true],
        ['p', 'C', false],
        [null, 'D', false],
      ],
    );
  });
});

describe('DCR305 and DCR306 on the template', () => {
  test('a missing argument that reaches the SQL is an error at its first read', () => {
    assert.deepEqual(check(SELECT('column_policy'), profileText({})), [['DCR305', 'error', 'col']]);
  });
  test('a missing argument only tested is information', () => {
    const template =
      'SELECT 1 FROM IDENTIFIER({{ source_table[0] }}) p {% if where_clause %}WHERE {{ where_clause | sqlsafe | join_and_column_policy }}{% endif %}';
    assert.deepEqual(check(template, profileText({})), [['DCR305', 'information', 'where_clause']]);
  });
  test('every argument present: nothing', () => {
    assert.deepEqual(check(SELECT('column_policy'), profileText({ col: 'p.STATUS' })), []);
  });
  test('a template the room does not have', () => {
    assert.deepEqual(check(SELECT('column_policy'), profileText({ col: 'p.STATUS' }, { room: room({ templates: ['other'] }) })), [
      ['DCR306', 'error', 'SELECT IDENTIFIER({{ col | column_policy }}) AS x'],
    ]);
  });
  // The fix must name procedures of the file's own API: a spec is Collaboration whatever the profile's default.
  const hosts: { name: string; path: string; text: string; says: RegExp; never: RegExp }[] = [
    {
      name: 'template file, legacy profile',
      path: 'templates/t.jinjasql',
      text: SELECT('column_policy'),
      says: /add_custom_sql_template/,
      never: /REGISTER_TEMPLATE/,
    },
    {
      name: 'Collaboration spec, legacy profile',
      path: 'templates/t.yaml',
      text: `api_version: 2.0.0\nspec_type: template\nname: t\nversion: v1\ntype: sql_analysis\ntemplate: |\n  ${SELECT('column_policy').replace(/\n/g, '\n  ')}\n`,
      says: /REGISTER_TEMPLATE.*ADD_TEMPLATE_REQUEST/,
      never: /add_custom_sql_template|create_template_request/,
    },
  ];
  for (const h of hosts) {
    test(`DCR306 suggests the procedures of the file's API: ${h.name}`, () => {
      const profile = profileText({ col: 'p.STATUS' }, { room: room({ templates: ['other'] }), analysis: { template: h.path } });
      const findings = analyzeDocument(parseDocument({ text: h.text, path: `/ws/${h.path}` }), {
        profile: { profile: parseProfile(profile), templatePath: h.path },
      });
      const dcr306 = findings.filter(f => f.code === 'DCR306');
      assert.equal(dcr306.length, 1);
      assert.match(dcr306[0]!.message, h.says);
      assert.doesNotMatch(dcr306[0]!.message, h.never);
    });
  }
  test('an analysis of another template file does not apply', () => {
    assert.deepEqual(check(SELECT('column_policy'), profileText({ col: 'p.REGION' }), 'templates/other.jinjasql'), []);
  });
  test('a template that fails to render with the analysis arguments', () => {
    assert.deepEqual(check('SELECT {{ n + 1 }} FROM IDENTIFIER({{ source_table[0] }}) p', profileText({ n: 'x' })), [['DCR010', 'error', 'n + 1']]);
  });
});

describe('multi-provider: cluster and per-room renders', () => {
  const rooms = {
    R1: { provider: { tables: { [T]: ['HASHED_EMAIL', 'STATUS'] }, joinPolicy: [`${T}:HASHED_EMAIL`], columnPolicy: [`m:${T}:STATUS`] }, templates: ['m'] },
    R2: { provider: { tables: { [T]: ['HASHED_EMAIL', 'STATUS'] }, joinPolicy: [`${T}:HASHED_EMAIL`], columnPolicy: [] }, templates: ['m'] },
  };
  const template = [
    'SELECT',
    '{% for src in source_table %}',
    '  IDENTIFIER({{ dims[loop.index0] | column_policy }}){% if not loop.last %},{% endif %}',
    '{% endfor %}',
    'FROM IDENTIFIER({{ source_table[0] }}) AS p1',
    '{% for src in source_table[1:] %} JOIN IDENTIFIER({{ src }}) AS p{{ loop.index + 1 }} ON TRUE{% endfor %}',
  ].join('\n');
  const profile = (dims: string[]) =>
    JSON.stringify({
      cleanrooms: rooms,
      analyses: { mp: { template: 'm.jinjasql', cleanrooms: ['R1', 'R2'], arguments: { source_table: [`R1.${T}`, `R2.${T}`], dims } } },
    });

  test('each room checks its own table: R2 allows nothing, in the cluster and in its own render', () => {
    const model = parseDocument({ text: template, path: '/ws/m.jinjasql' });
    const findings = analyzeDocument(model, { profile: { profile: parseProfile(profile(['p1.STATUS', 'p2.STATUS'])), templatePath: 'm.jinjasql' } }).filter(
      f => f.code === 'DCR302',
    );
    assert.equal(findings.length, 1, 'one place: the dims filter');
    const m = findings[0]!.message;
    assert.match(m, /'p2\.STATUS' is DB\.S\.T:STATUS in clean room 'R2' \(cluster render\)/);
    assert.match(m, /Also: .*'p1\.STATUS' is DB\.S\.T:STATUS in clean room 'R2' \(that room's own render\)/);
    assert.doesNotMatch(m, /clean room 'R1'/);
    assert.match(m, /provider\.set_column_policy\('R2', \['m:DB\.S\.T:STATUS'\]\)/);
  });

  test('a source_table entry without a clean room prefix: could not verify', () => {
    const p = JSON.stringify({
      cleanrooms: rooms,
      analyses: { mp: { template: 'm.jinjasql', cleanrooms: ['R1', 'R2'], arguments: { source_table: [T, `R2.${T}`], dims: ['p1.STATUS', 'p2.STATUS'] } } },
    });
    const model = parseDocument({ text: template, path: '/ws/m.jinjasql' });
    const codes = analyzeDocument(model, { profile: { profile: parseProfile(p), templatePath: 'm.jinjasql' } }).filter(f => /^DCR30[234]/.test(f.code));
    assert.ok(
      codes.some(f => f.code === 'DCR303' && f.severity === 'information' && /does not start with the name/.test(f.message)),
      JSON.stringify(codes.map(f => f.message)),
    );
  });
});

describe('the profile document', () => {
  /** [code, severity, profile text] of findings on cleanrooms.json. */
  function onProfile(profile: object, templates: Record<string, string> = {}): [string, string, string][] {
    const text = JSON.stringify(profile, null, 1);
    return analyzeProfileDocument(text, { templateText: p => templates[p] }).map(f => [f.code, f.severity, text.slice(f.span.start, f.span.end)]);
  }
  const base = (over: Room = {}, analyses: Record<string, unknown> = {}) => ({ cleanrooms: { R: room(over) }, analyses });

  test('clean: nothing', () => assert.deepEqual(onProfile(base()), []));
  test('DCR307: a column in both the join and the column policy', () => {
    assert.deepEqual(onProfile(base({ provider: { columnPolicy: [`t:${T}:STATUS`, `t:${T}:HASHED_EMAIL`] } })), [
      ['DCR307', 'warning', `"t:${T}:HASHED_EMAIL"`],
    ]);
  });
  test('DCR308: stale table, column and template names', () => {
    assert.deepEqual(onProfile(base({ provider: { joinPolicy: [`DB.S.GONE:HASHED_EMAIL`, `${T}:NOPE`], columnPolicy: [`old:${T}:STATUS`] } })), [
      ['DCR308', 'warning', '"DB.S.GONE:HASHED_EMAIL"'],
      ['DCR308', 'warning', `"${T}:NOPE"`],
      ['DCR308', 'warning', `"old:${T}:STATUS"`],
    ]);
  });
  test('DCR306 and DCR310 on the analysis template', () => {
    assert.deepEqual(onProfile(base({ templates: ['x'] }, { a: { template: 'gone.jinjasql', cleanrooms: ['R'] } })), [
      // The room's column policy names the template the room no longer has.
      ['DCR308', 'warning', `"t:${T}:STATUS"`],
      ['DCR306', 'error', '"gone.jinjasql"'],
      ['DCR310', 'warning', '"gone.jinjasql"'],
    ]);
  });
  test('DCR305 (unknown argument) and DCR302 on the argument value', () => {
    const found = onProfile(
      base(
        {},
        { a: { template: 't.jinjasql', cleanrooms: ['R'], arguments: { source_table: [T], my_table: ['ME.S.C'], col: 'p.REGION', extra: 1, epsilon: 0.5 } } },
      ),
      {
        't.jinjasql': SELECT('column_policy'),
      },
    );
    assert.deepEqual(found, [
      ['DCR302', 'error', '"p.REGION"'],
      ['DCR305', 'warning', '"extra"'],
    ]);
  });
  test('DCR309: a multi-provider room with an empty provider join policy', () => {
    const p = { cleanrooms: { R: room(), Q: room({ provider: { joinPolicy: [] } }) }, analyses: { a: { template: 't.jinjasql', cleanrooms: ['R', 'Q'] } } };
    assert.deepEqual(onProfile(p, { 't.jinjasql': 'SELECT 1' }), [['DCR309', 'warning', '"Q"']]);
  });
});

describe('render context', () => {
  test('privacy is defined by Snowflake: its fields default', () => {
    const template =
      'SELECT IDENTIFIER({{ col | column_policy }}) FROM IDENTIFIER({{ source_table[0] }}) p HAVING COUNT(*) >= {{ privacy.threshold_value | default(25) | int }}';
    assert.deepEqual(check(template, profileText({ col: 'p.STATUS' })), []);
  });
});

describe('worksheets', () => {
  const sheet = (room: string, name: string) =>
    `CALL samooha_by_snowflake_local_db.consumer.create_template_request('${room}', '${name}', $$\n${SELECT('column_policy')}\n$$);\n`;
  const profileFor = (templates: string[]) =>
    JSON.stringify({
      cleanrooms: { R: room({ templates }), Other: room() },
      analyses: { a: { template: 'w.sql', templateName: 't', cleanrooms: ['R'], arguments: { source_table: [T], my_table: ['ME.S.C'], col: 'p.REGION' } } },
    });
  const run = (text: string, templates: string[]) =>
    analyzeDocument(parseDocument({ text, path: '/ws/w.sql' }), { profile: { profile: parseProfile(profileFor(templates)), templatePath: 'w.sql' } })
      .filter(f => /^DCR3/.test(f.code))
      .map(f => [f.code, text.slice(f.span.start, f.span.end)]);

  test('the template named in the call is checked; "not installed" is on its name', () => {
    assert.deepEqual(run(sheet('R', 't'), ['x']), [
      ['DCR306', 't'],
      ['DCR302', '| column_policy'],
    ]);
  });
  test('another template name in the same file is not this analysis', () => {
    assert.deepEqual(run(sheet('R', 'u'), ['t']), []);
  });
  test('a call to a clean room the analysis does not run in is not this analysis', () => {
    assert.deepEqual(run(sheet('Other', 't'), ['t']), []);
  });
});
