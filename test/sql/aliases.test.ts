/** resolveAliases: alias → table per scope (statement, CTE, subquery, join), IDENTIFIER resolved. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveAliases, resolveAlias } from '../../core/src/index.js';

/** What `alias` names at the first occurrence of `marker` in sql: "table (kind)" or null. */
function at(sql: string, marker: string, alias: string): string | null {
  const off = sql.indexOf(marker);
  assert.ok(off >= 0, `marker ${marker}`);
  const hit = resolveAlias(resolveAliases(sql), off, alias);
  return hit ? `${hit.table} (${hit.kind})` : null;
}

const cases: { name: string; sql: string; marker: string; alias: string; want: string | null }[] = [
  { name: 'IDENTIFIER() table with AS', sql: "SELECT p.a FROM IDENTIFIER('DB.S.T') AS p", marker: 'p.a', alias: 'p', want: 'DB.S.T (table)' },
  {
    name: 'join without AS',
    sql: "SELECT c.x FROM db.s.t p JOIN IDENTIFIER('MY.PUB.CRM') c ON p.h = c.h",
    marker: 'c.x',
    alias: 'c',
    want: 'MY.PUB.CRM (table)',
  },
  { name: 'uppercase alias, lookup is case-insensitive', sql: "SELECT P.a FROM IDENTIFIER('DB.S.T') AS P", marker: 'P.a', alias: 'p', want: 'DB.S.T (table)' },
  {
    name: 'bare table name is its own alias',
    sql: 'SELECT customers.a FROM db.s.customers',
    marker: 'customers.a',
    alias: 'customers',
    want: 'db.s.customers (table)',
  },
  {
    name: 'subquery scope: inner p is the inner table',
    sql: "SELECT p.a FROM IDENTIFIER('OUTER.S.T') AS p WHERE p.id IN (SELECT p.id FROM IDENTIFIER('INNER.S.T') AS p)",
    marker: 'p.id FROM',
    alias: 'p',
    want: 'INNER.S.T (table)',
  },
  {
    name: 'subquery scope: outer p is unchanged after the subquery',
    sql: "SELECT p.a FROM IDENTIFIER('OUTER.S.T') AS p WHERE p.id IN (SELECT p.id FROM IDENTIFIER('INNER.S.T') AS p)",
    marker: 'p.a',
    alias: 'p',
    want: 'OUTER.S.T (table)',
  },
  {
    name: 'correlated subquery sees the outer alias',
    sql: "SELECT p.a FROM IDENTIFIER('OUTER.S.T') AS p WHERE EXISTS (SELECT 1 FROM IDENTIFIER('X.S.T') AS x WHERE x.id = p.id)",
    marker: 'p.id)',
    alias: 'p',
    want: 'OUTER.S.T (table)',
  },
  {
    name: 'CTE body has its own aliases',
    sql: "WITH base AS (SELECT p.h FROM IDENTIFIER('PROV.S.T') AS p) SELECT p.h FROM base AS p",
    marker: 'p.h FROM IDENTIFIER',
    alias: 'p',
    want: 'PROV.S.T (table)',
  },
  {
    name: 'main query alias of a CTE',
    sql: "WITH base AS (SELECT p.h FROM IDENTIFIER('PROV.S.T') AS p) SELECT p.h FROM base AS p",
    marker: 'p.h FROM base',
    alias: 'p',
    want: 'base (cte)',
  },
  {
    name: 'a CTE body does not see the main query FROM',
    sql: "WITH a AS (SELECT c.h FROM IDENTIFIER('X.S.T') AS x) SELECT 1 FROM IDENTIFIER('MY.S.T') AS c",
    marker: 'c.h',
    alias: 'c',
    want: null,
  },
  {
    name: 'derived table alias',
    sql: "SELECT s.n FROM (SELECT COUNT(*) AS n FROM IDENTIFIER('DB.S.T') AS p) AS s",
    marker: 's.n',
    alias: 's',
    want: 'null (subquery)',
  },
  {
    name: 'comma joins and lateral flatten',
    sql: 'SELECT f.value FROM scored s, lateral flatten(input => s.scores) f',
    marker: 'f.value',
    alias: 'f',
    want: 'null (function)',
  },
  {
    name: 'after a JOIN … ON, a comma continues the FROM list',
    sql: "SELECT r.x FROM IDENTIFIER('A.B.C') AS p JOIN IDENTIFIER('D.E.F') AS c ON p.h = c.h, table(cleanroom.f(p.a)) AS r",
    marker: 'r.x',
    alias: 'r',
    want: 'null (function)',
  },
  {
    name: 'script block statements each get a scope',
    sql: "BEGIN\n CREATE TABLE cleanroom.x AS SELECT p.a FROM IDENTIFIER('DB.S.T') AS p;\n SELECT p.b FROM IDENTIFIER('OTHER.S.T') AS p;\nEND;",
    marker: 'p.b',
    alias: 'p',
    want: 'OTHER.S.T (table)',
  },
  {
    name: 'SQL inside a $$ string',
    sql: "BEGIN\n LET q := $$ SELECT c.x FROM IDENTIFIER('MY.S.T') AS c $$;\n RETURN TABLE(q);\nEND;",
    marker: 'c.x',
    alias: 'c',
    want: 'MY.S.T (table)',
  },
  { name: 'VALUES with column aliases', sql: 'SELECT P.val FROM VALUES (1), (2) AS P(val)', marker: 'P.val', alias: 'p', want: 'null (values)' },
  {
    name: 'time travel clause before the alias',
    sql: "SELECT t.a FROM db.s.tab AT(TIMESTAMP => '2024-01-01'::timestamp) AS t",
    marker: 't.a',
    alias: 't',
    want: 'db.s.tab (table)',
  },
  { name: 'unknown alias', sql: "SELECT z.a FROM IDENTIFIER('DB.S.T') AS p", marker: 'z.a', alias: 'z', want: null },
];

describe('resolveAliases', () => {
  for (const c of cases) it(c.name, () => assert.equal(at(c.sql, c.marker, c.alias), c.want));

  it('scopes nest: statement > CTE > subquery', () => {
    const sql = "WITH a AS (SELECT x.k FROM (SELECT p.k FROM IDENTIFIER('T.S.P') AS p) AS x) SELECT a.k FROM a";
    const scopes = resolveAliases(sql);
    assert.deepEqual(
      scopes.map(s => [s.kind, s.parent]),
      [
        ['statement', -1],
        ['cte', 0],
        ['subquery', 1],
      ],
    );
    assert.equal(scopes[0]!.ctes.get('a'), 1);
  });
});
