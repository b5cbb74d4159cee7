/**
 * Variables Snowflake sets when a clean room template runs: the caller never chooses them,
 * so they are not arguments (not reported as undeclared, not typed as spec parameters), a
 * template must not assign them, and the tables they name are the ones linked into the room.
 * The one list every rule, the symbolic renderer and the migration read.
 */

/** Lists of the tables linked into the clean room (provider's and consumer's). */
export const PROVIDED_TABLE_LISTS: ReadonlySet<string> = new Set(['source_table', 'my_table']);

/** Objects Snowflake fills: privacy settings and the spec's preset tables. */
export const PROVIDED_OBJECTS: ReadonlySet<string> = new Set(['privacy', 'preset_tables']);

/** Every variable Snowflake provides. */
export const PROVIDED_VARIABLES: ReadonlySet<string> = new Set([...PROVIDED_TABLE_LISTS, ...PROVIDED_OBJECTS]);

/** Provided variables whose values are table names Snowflake linked in (a raw use of them is no injection). */
export const PROVIDED_TABLES: ReadonlySet<string> = new Set([...PROVIDED_TABLE_LISTS, 'preset_tables']);
