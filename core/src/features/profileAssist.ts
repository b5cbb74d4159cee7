/**
 * Help while writing an analysis's arguments in `cleanrooms.json`: column values complete from
 * the clean rooms' tables, the ones a policy allows for this template first; hover on a value
 * says which policy of which room allows it (or that none does, which Snowflake would reject as
 * "Not approved: unauthorized columns used"). Aliases follow the API's convention over the
 * analysis's `source_table` and `my_table` lists.
 */
import { getLocation, parseTree, findNodeAtOffset, type Node } from 'jsonc-parser';
import { parseProfile, normIdent } from '../profile/parse.js';
import { splitRoomPrefix } from '../profile/analyses.js';
import type { Profile, ProfileAnalysis, ProfileSide } from '../profile/types.js';
import type { Span } from '../text/span.js';
import type { CompletionResult, CompletionEntry } from './completion.js';
import type { HoverResult } from './hover.js';
import { toJs } from '../jinja/runtime/json.js';

interface AliasedTable {
  alias: string;
  room: string;
  side: 'provider' | 'consumer';
  table: string;
  columns: string[];
  sideData: ProfileSide;
}

/** Where the offset is: inside a string value of an analysis argument (possibly in a list). */
function argumentAt(text: string, offset: number): { analysis: string; argument: string; node: Node | undefined } | null {
  const loc = getLocation(text, offset);
  const [a, name, b, arg] = loc.path;
  if (a !== 'analyses' || typeof name !== 'string' || b !== 'arguments' || typeof arg !== 'string' || loc.isAtPropertyKey) return null;
  const root = parseTree(text);
  const node = root ? findNodeAtOffset(root, offset, true) : undefined;
  if (node && node.type !== 'string') return null;
  return { analysis: name, argument: arg, node };
}

/** The tables an analysis reads, each with the alias the template's convention gives it. */
function aliasedTables(profile: Profile, analysis: ProfileAnalysis): AliasedTable[] {
  const args = toJs(analysis.arguments) as Record<string, unknown>;
  const out: AliasedTable[] = [];
  const collab = profile.api === 'collaboration';
  const add = (list: unknown, side: 'provider' | 'consumer', letter: 'p' | 'c') => {
    if (!Array.isArray(list)) return;
    list.forEach((entry, i) => {
      if (typeof entry !== 'string') return;
      const split = splitRoomPrefix(entry, analysis.cleanrooms);
      const rooms = split ? [split.room] : analysis.cleanrooms;
      const table = normIdent(split ? split.table : entry);
      for (const room of rooms) {
        const sideData = profile.cleanrooms.get(room)?.[side];
        const columns = sideData?.tables?.get(table);
        if (!sideData || !columns) continue;
        const alias = collab ? `${letter}${i + 1}` : i === 0 ? letter : `${letter}${i}`;
        out.push({ alias, room, side, table, columns, sideData });
        break;
      }
    });
  };
  add(args.source_table, 'provider', 'p');
  add(args.my_table, 'consumer', 'c');
  return out;
}

/** The policies of one side that list a column, for this template. */
function policiesAllowing(t: AliasedTable, column: string, templateName: string): string[] {
  const out: string[] = [];
  const same = (entry: string, template: string | null) => {
    const parts = entry.split(':');
    const [tpl, table, col] = template === null ? [null, parts[0]!, parts[1]!] : [parts[0]!, parts[1]!, parts[2]!];
    return (template === null || tpl === templateName) && normIdent(table) === t.table && normIdent(col) === normIdent(column);
  };
  if (t.sideData.joinPolicy?.some(e => same(e, null))) out.push('join policy');
  if (t.sideData.columnPolicy?.some(e => same(e, templateName))) out.push('column policy');
  if (t.sideData.activationPolicy?.some(e => same(e, templateName))) out.push('activation policy');
  return out;
}

export function doProfileComplete(text: string, offset: number): CompletionResult | null {
  const at = argumentAt(text, offset);
  if (!at || at.argument === 'source_table' || at.argument === 'my_table') return null;
  const profile = parseProfile(text);
  const analysis = profile.analyses.get(at.analysis);
  if (!analysis) return null;
  const span: Span = at.node ? { start: at.node.offset + 1, end: at.node.offset + at.node.length - 1 } : { start: offset, end: offset };
  const items: CompletionEntry[] = [];
  for (const t of aliasedTables(profile, analysis)) {
    for (const column of t.columns) {
      const allowed = policiesAllowing(t, column, analysis.templateName);
      items.push({
        label: `${t.alias}.${column}`,
        kind: 'property',
        detail: allowed.length ? `${allowed.join(', ')} of ${t.room} (${t.side})` : `in no policy of ${t.room} for ${analysis.templateName}`,
        documentation: `\`${t.table}.${column}\` (${t.side} table of ${t.room}).${allowed.length ? '' : ' No policy lists it for this template: Snowflake would reject the analysis with "Not approved: unauthorized columns used".'}`,
        // Columns a policy allows first, then by table and name.
        sortText: `${allowed.length ? 0 : 1}-${t.alias}-${column}`,
      });
    }
  }
  return items.length ? { items, span } : null;
}

export function doProfileHover(text: string, offset: number): HoverResult | null {
  const at = argumentAt(text, offset);
  if (!at?.node || typeof at.node.value !== 'string') return null;
  const value = at.node.value.trim();
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\.("[^"]+"|[A-Za-z_$][A-Za-z0-9_$]*)$/.exec(value);
  if (!m) return null;
  const profile = parseProfile(text);
  const analysis = profile.analyses.get(at.analysis);
  if (!analysis) return null;
  const alias = m[1]!.toLowerCase();
  const column = normIdent(m[2]!);
  const span = { start: at.node.offset, end: at.node.offset + at.node.length };
  const tables = aliasedTables(profile, analysis).filter(t => t.alias === alias);
  if (!tables.length) return { span, contents: `\`${alias}\` names no table of this analysis's \`source_table\` or \`my_table\` in the profile.` };
  const lines = tables.map(t => {
    if (!t.columns.includes(column)) return `- **${t.room}**: \`${t.table}\` (${t.side}) has no column \`${column}\` in the profile.`;
    const allowed = policiesAllowing(t, column, analysis.templateName);
    return allowed.length
      ? `- **${t.room}**: \`${t.table}.${column}\` is allowed by the ${allowed.join(' and ')} for \`${analysis.templateName}\`.`
      : `- **${t.room}**: \`${t.table}.${column}\` is in no policy for \`${analysis.templateName}\`: Snowflake would reject it ("Not approved: unauthorized columns used").`;
  });
  return { span, contents: [`\`${value}\` in analysis "${analysis.name}"`, '', ...lines].join('\n') };
}
