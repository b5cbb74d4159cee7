/**
 * Realistic DCR templates of a chosen length for the benchmark: macros, loops over
 * source_table and dimensions, policy filters, CTEs. No engine import, so the generator can
 * be used on its own (e.g. to feed Python).
 */
export interface BenchTemplate {
  name: string;
  lines: number;
  template: string;
  /** JSON text of the arguments (shared verbatim with Python, so floats stay floats). */
  argsJson: string;
}

const ARGS = {
  source_table: ['PROVIDER_DB.SHARED.CUSTOMERS', 'PROVIDER_DB.SHARED.TRANSACTIONS', 'PARTNER.CLEAN.PROFILES'],
  my_table: ['CONSUMER_DB.PUBLIC.CRM'],
  dimensions: ['p.STATUS', 'p.AGE_BAND', 'p.REGION', 'c.CHANNEL', 'p.INCOME_BAND'],
  measure_columns: ['p.AMOUNT', 'p.VISITS', 'p.DAYS_ACTIVE'],
  measure_func: ['SUM', 'AVG', 'MAX'],
  provider_join_col: 'p.HASHED_EMAIL',
  consumer_join_col: 'c.HASHED_EMAIL',
  hem_col: ['p1.HASHED_EMAIL', 'p2.HASHED_EMAIL', 'p3.HASHED_EMAIL'],
  where_clause: "p.STATUS IN ('GOLD', 'SILVER') AND p.AGE_BAND <> '18-24'",
  min_count: 25,
  sample_rate: 0.25,
  lookback_days: 30,
};

const HEADER = `{# Generated benchmark template: overlap + lookalike + activation shapes. #}
{% macro agg(measures, funcs) -%}
{%- for m in measures -%}
{{ funcs[loop.index0] | default('SUM') | upper | sqlsafe }}(IDENTIFIER({{ m | column_policy }})) AS {{ m.split('.')[1] | lower | sqlsafe }}_{{ loop.index | sqlsafe }}{% if not loop.last %}, {% endif %}
{%- endfor -%}
{%- endmacro %}
{% macro dims_select(dims) -%}
{%- for d in dims %}IDENTIFIER({{ d | column_policy }}) AS {{ d.split('.')[-1] | lower | sqlsafe }}{% if not loop.last %},
  {% endif %}{% endfor -%}
{%- endmacro %}
{% set ns = namespace(n_dims=0) %}
{% for d in dimensions %}{% set ns.n_dims = ns.n_dims + 1 %}{% endfor %}
`;

function block(i: number): string {
  return `-- section ${i}
, cte_${i} AS (
  SELECT
    {{ dims_select(dimensions) }},
    {{ agg(measure_columns, measure_func) }},
    COUNT(DISTINCT IDENTIFIER({{ provider_join_col | join_policy }})) AS overlap_${i}
  FROM IDENTIFIER({{ source_table[${i} % source_table | length] }}) AS p
  JOIN IDENTIFIER({{ my_table[0] }}) AS c
    ON IDENTIFIER({{ provider_join_col | join_policy }}) = IDENTIFIER({{ consumer_join_col }})
  {% if where_clause %}
  WHERE {{ where_clause | sqlsafe | join_and_column_policy }}
    AND p.EVENT_DATE >= DATEADD(day, -{{ lookback_days | int }}, CURRENT_DATE())
  {% endif %}
  GROUP BY {% for d in dimensions %}IDENTIFIER({{ d }}){% if not loop.last %}, {% endif %}{% endfor %}
  HAVING COUNT(*) >= {{ min_count }}{% if ns.n_dims > 3 %} AND UNIFORM(0::FLOAT, 1::FLOAT, RANDOM()) < {{ sample_rate }}{% endif %}
)
{% for src in source_table[1:] %}
, join_${i}_{{ loop.index | sqlsafe }} AS (
  SELECT IDENTIFIER({{ hem_col[loop.index] | join_policy }}) AS hem FROM IDENTIFIER({{ src }}) AS p{{ loop.index + 1 }}
)
{% endfor %}
`;
}

const BLOCK_LINES = block(0).split('\n').length - 1;

export function makeTemplate(lines: number): BenchTemplate {
  let body = HEADER + 'WITH base AS (SELECT 1 AS one)\n';
  let i = 0;
  while (body.split('\n').length + BLOCK_LINES + 2 <= lines || i === 0) body += block(i++);
  body += `SELECT * FROM cte_0\n`;
  while (body.split('\n').length < lines) body += `-- padding\n`;
  return { name: `${lines}-line`, lines: body.split('\n').length, template: body, argsJson: JSON.stringify(ARGS) };
}

/** Columns of each benchmark provider table, as a profile's `tables` lists them. */
const PROVIDER_COLUMNS = ['HASHED_EMAIL', 'STATUS', 'AGE_BAND', 'REGION', 'INCOME_BAND', 'AMOUNT', 'VISITS', 'DAYS_ACTIVE'];

/**
 * A cleanrooms.json whose one analysis ("bench") runs `bench.jinjasql` over `rooms` clean rooms
 * (multi-provider when more than one), with the template's arguments. `withTables`: the rooms
 * list their provider table's columns (so the policy checks resolve them).
 */
export function benchProfile(t: BenchTemplate, rooms: number, withTables = false): string {
  const args = JSON.parse(t.argsJson) as Record<string, unknown>;
  const names = Array.from({ length: rooms }, (_, i) => `Room ${i + 1}`);
  const source = names.map((r, i) => `${r}.PROVIDER_DB${i}.SHARED.CUSTOMERS`);
  const cleanrooms = Object.fromEntries(
    names.map((n, i) => [
      n,
      { provider: { tables: withTables ? { [`PROVIDER_DB${i}.SHARED.CUSTOMERS`]: PROVIDER_COLUMNS } : {} }, consumer: { tables: {} }, templates: ['bench'] },
    ]),
  );
  return JSON.stringify({
    api: 'legacy',
    cleanrooms,
    analyses: {
      bench: {
        template: 'bench.jinjasql',
        cleanrooms: names,
        arguments: { ...args, source_table: source, hem_col: source.map((_, i) => `p${i + 1}.HASHED_EMAIL`) },
      },
    },
  });
}
