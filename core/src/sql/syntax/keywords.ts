/**
 * The words and characters the syntax parser decides by (parser.ts). Reserved words follow
 * Snowflake's "Reserved & limited keywords" page.
 */
/**
 * Snowflake's reserved keywords, from its "Reserved & limited keywords" page: the ANSI and
 * Snowflake reserved ones, those that cannot be a column reference in an expression (CASE,
 * CAST, TRUE …) and those that cannot be a column name (CURRENT_DATE …). The limited ones that
 * only matter to SHOW (ACCOUNT, DATABASE, SCHEMA …) or to CREATE TABLE (CONSTRAINT) are names
 * here; those that cannot name a table in FROM are FROM_ONLY.
 */
export const RESERVED = new Set(
  (
    'all alter and any as between by case cast check column connect create current current_date current_time ' +
    'current_timestamp current_user delete distinct drop else exists false following for from grant group having ilike ' +
    'in increment insert intersect into is like localtime localtimestamp minus not null of on or order ' +
    'qualify regexp revoke rlike row rows sample select set some start table tablesample then to trigger true ' +
    'try_cast union unique update using values when whenever where with'
  ).split(' '),
);
/** Cannot be a table name or alias in FROM (they would read as the join syntax). */
export const FROM_ONLY = new Set('cross full inner join lateral left natural right'.split(' '));
/** Reserved words that also name functions (INSERT(s, p, n, t), RLIKE(s, p), TABLE(…) …). */
export const RESERVED_FUNCTIONS = new Set('insert like ilike rlike regexp any all some table values'.split(' '));
/** Reserved words that are expressions by themselves. */
export const NILADIC = new Set('current_date current_time current_timestamp current_user localtime localtimestamp'.split(' '));
/** Words after a select item that never are its alias. */
export const NOT_SELECT_ALIAS = new Set([...RESERVED, ...'limit offset fetch window exclude rename replace except return end'.split(' ')]);
/** Words after a table reference that never are its alias. */
export const NOT_TABLE_ALIAS = new Set([
  ...RESERVED,
  ...FROM_ONLY,
  ...'limit offset fetch window pivot unpivot match_recognize changes at before asof outer semi anti match_condition except return end sample resample'.split(
    ' ',
  ),
]);
export const SET_OPS = new Set(['union', 'except', 'minus', 'intersect']);
/** Words that end an expression list: the parser's "expected , or …" alternatives. */
export const CLAUSE_AFTER_SELECT = [
  'from',
  'where',
  'group',
  'having',
  'qualify',
  'order',
  'limit',
  'offset',
  'fetch',
  'union',
  'except',
  'minus',
  'intersect',
  'into',
];
export const TYPED_LITERAL = new Set('date time timestamp timestamp_ltz timestamp_ntz timestamp_tz datetime interval x binary'.split(' '));
/** Keywords some functions take between their arguments (EXTRACT(… FROM …), CAST(… AS …), …). */
export const ARG_KEYWORDS = new Set(
  'from in as for ignore respect order using both leading trailing separator on returning default error null empty format'.split(' '),
);

/** Functions whose arguments have their own grammar (POSITION(x IN y), TRIM(BOTH …)): not judged. */
export const SKIPPED_ARGS = new Set(['position', 'trim', 'substring', 'overlay', 'extract', 'date_part', 'datepart']);

/** Object kinds between DROP and the name. */
export const DROP_KINDS = new Set(
  'table view schema database function procedure stage sequence task stream file format materialized secure dynamic external hybrid iceberg temporary transient'.split(
    ' ',
  ),
);

/** Characters with no place in Snowflake's query syntax (see statement()). */
export const ODD_CHARS = new Set(['~', '#', '&', '^', '\\', '`']);

/** Order of the clauses after FROM (see select()). */
export const CLAUSE_RANK: Record<string, number> = { where: 0, connect: 0, group: 1, having: 2, qualify: 2 };
