/**
 * Every rule the engine reports: stable code, default severity, one-line title. The docs
 * page of a code is docs/rules/<code>.md. Codes are a contract (docs/architecture.md): never
 * reuse or renumber one.
 */
/** How loud a finding is; each code has a default, and settings may change it. */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleInfo {
  code: RuleCode;
  severity: Severity;
  title: string;
  /** Where the finding is placed, so every front end and the tests agree. */
  range: string;
}

const rules = [
  // ---- DCR0xx: Jinja syntax and JinjaSQL usage
  { code: 'DCR001', severity: 'error', title: 'Jinja syntax error', range: 'the offending token, or the opening tag of an unclosed block' },
  { code: 'DCR002', severity: 'error', title: 'Unknown filter or test', range: 'the filter or test name' },
  { code: 'DCR003', severity: 'error', title: 'include, import and extends cannot work in a clean room template', range: 'the tag' },
  { code: 'DCR004', severity: 'error', title: "'bind' needs a parameter name", range: 'the `| bind` filter application' },
  { code: 'DCR005', severity: 'error', title: "A list is printed without '| inclause'", range: 'the `{{ … }}`' },
  { code: 'DCR006', severity: 'warning', title: 'Literal text inside {{ }} is bound as a string value', range: 'the `{{ … }}`' },
  { code: 'DCR007', severity: 'warning', title: "'inclause' already adds parentheses", range: 'the `{{ … | inclause }}` with the parentheses around it' },
  { code: 'DCR008', severity: 'warning', title: 'Joining raw SQL with text HTML-escapes the text', range: 'the `~` expression' },
  { code: 'DCR009', severity: 'information', title: 'Could not verify: the template did not render with sample arguments', range: 'where the render stopped' },
  { code: 'DCR010', severity: 'error', title: 'The template fails to render', range: 'where the render stopped' },
  { code: 'DCR011', severity: 'warning', title: 'Variable set in an inner scope is undefined here', range: 'the variable read' },
  // ---- DCR1xx: policy flow (no profile needed)
  {
    code: 'DCR101',
    severity: 'warning',
    title: 'Caller-supplied column reaches the SQL without a policy filter',
    range: 'the `{{ … }}` that writes the value',
  },
  { code: 'DCR102', severity: 'warning', title: 'Column checked with the wrong policy for how it is used', range: 'the `{{ … }}` that writes the value' },
  { code: 'DCR103', severity: 'warning', title: "'sqlsafe' on a caller value with no policy filter after it", range: 'the `| sqlsafe` filter application' },
  { code: 'DCR104', severity: 'error', title: "Policy filter placed before 'sqlsafe'", range: 'the `| sqlsafe` filter application' },
  { code: 'DCR105', severity: 'error', title: 'Column or table value renders as a string literal', range: 'the `{{ … }}`' },
  { code: 'DCR106', severity: 'information', title: 'Policy filter sees only the bare column name (alias outside the braces)', range: 'the `{{ … }}`' },
  { code: 'DCR110', severity: 'warning', title: 'Constant index into a per-provider list in a multi-provider template', range: 'the subscript expression' },
  { code: 'DCR111', severity: 'warning', title: 'Table aliases break the p/c convention', range: 'the alias in the template text' },
  { code: 'DCR112', severity: 'warning', title: 'Reserved name used as a template variable', range: 'the assignment target or argument read' },
  { code: 'DCR113', severity: 'warning', title: 'SELECT * over provider data bypasses column policies', range: 'the `*`' },
  {
    code: 'DCR114',
    severity: 'information',
    title: 'Table alias numbered by the legacy convention changes meaning under the Collaboration API',
    range: 'the alias in the template text',
  },
  // ---- DCR2xx: the rendered SQL
  {
    code: 'DCR200',
    severity: 'information',
    title: 'Could not verify the rendered SQL',
    range: 'the token where the SQL parser stopped (mapped to the template)',
  },
  {
    code: 'DCR201',
    severity: 'error',
    title: 'The rendered SQL does not parse',
    range: 'the offending token: template text exactly, a value as its `{{ … }}`',
  },
  { code: 'DCR202', severity: 'warning', title: 'An analysis template that is not a query', range: 'the first word of the offending statement' },
  {
    code: 'DCR203',
    severity: 'warning',
    title: 'Activation template does not create cleanroom.activation_data_*',
    range: 'the table name after CREATE TABLE (or the first token when nothing is created)',
  },
  {
    code: 'DCR204',
    severity: 'warning',
    title: 'Activation template does not RETURN the table suffix',
    range: "the returned string, or the created table's name when nothing is returned",
  },
  { code: 'DCR205', severity: 'error', title: 'Computed column of the activation table has no alias', range: 'the select-list item' },
  { code: 'DCR206', severity: 'error', title: 'Template variable written as SQL text instead of {{ }}', range: 'the text as written (`source_table[0]`)' },
  // ---- DCR3xx: with a profile (cleanrooms.json) and an analysis
  { code: 'DCR301', severity: 'error', title: 'Invalid profile', range: 'the offending key or value in cleanrooms.json' },
  {
    code: 'DCR302',
    severity: 'error',
    title: 'Not approved: unauthorized columns used',
    range: 'the `| filter` application of the failing check (and the argument value in cleanrooms.json)',
  },
  { code: 'DCR303', severity: 'warning', title: 'Column, alias or table of a checked value cannot be resolved', range: 'the `| filter` application' },
  { code: 'DCR304', severity: 'information', title: 'Could not verify: the policy is not in the profile', range: 'the `| filter` application' },
  {
    code: 'DCR305',
    severity: 'error',
    title: 'Missing or unknown analysis argument',
    range: 'the first read of the variable (missing); the argument name in cleanrooms.json (unknown)',
  },
  {
    code: 'DCR306',
    severity: 'error',
    title: 'Template is not installed in the clean room',
    range: "the template's first line (or its name in a worksheet call); the analysis's template in cleanrooms.json",
  },
  { code: 'DCR307', severity: 'warning', title: 'Column in both the join and the column policy', range: 'the column policy entry in cleanrooms.json' },
  {
    code: 'DCR308',
    severity: 'warning',
    title: 'Policy entry names a table, column or template the clean room does not have',
    range: 'the policy entry in cleanrooms.json',
  },
  {
    code: 'DCR309',
    severity: 'warning',
    title: 'Multi-provider clean room without a provider join policy',
    range: "the clean room in the analysis's cleanrooms list",
  },
  { code: 'DCR310', severity: 'warning', title: 'Analysis template file not found', range: "the analysis's template path in cleanrooms.json" },
  // ---- DCR4xx: names and specs
  { code: 'DCR401', severity: 'error', title: 'Invalid template name', range: 'the template name' },
  { code: 'DCR402', severity: 'warning', title: "Activation template name must start with 'activation_'", range: 'the template name' },
  { code: 'DCR403', severity: 'error', title: 'Invalid clean room name', range: 'the clean room name' },
  { code: 'DCR404', severity: 'error', title: 'Invalid template spec', range: 'the offending field' },
  { code: 'DCR405', severity: 'warning', title: 'Spec parameter is never used by the template', range: 'the parameter name in the spec' },
  { code: 'DCR406', severity: 'information', title: 'Template variable is not declared in the spec parameters', range: 'the first read of the variable' },
  {
    code: 'DCR407',
    severity: 'information',
    title: 'No checkable template here',
    range: 'the procedure name of the call (or the spot YAML could not read; the file start for a file)',
  },
  {
    code: 'DCR408',
    severity: 'error',
    title: 'preset_tables mistake Snowflake rejects',
    range: 'the alias at its use in the template, or the parameter name in the spec',
  },
] as const satisfies readonly { code: `DCR${number}`; severity: Severity; title: string; range: string }[];

/** Every code the engine can report; a finding with any other code does not compile. */
export type RuleCode = (typeof rules)[number]['code'];

export const RULES: ReadonlyMap<string, RuleInfo> = new Map(rules.map(r => [r.code, r as RuleInfo]));

export function ruleInfo(code: string): RuleInfo | undefined {
  return RULES.get(code);
}
