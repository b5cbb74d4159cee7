/**
 * DCR3xx on a template: the policy checks Snowflake runs when an analysis from the profile
 * is run ("Not approved: unauthorized columns used"), judged on the analysis's own renders.
 *
 * Each policy filter application recorded in a render is resolved value -> alias -> table ->
 * clean room and side -> policy list, and judged there. Anything the profile cannot answer
 * (policy key absent, value or alias that cannot be resolved) is "could not verify" at
 * information level, never an error.
 *
 * Placement: every finding is on the template, at the `| filter` application of the check
 * (template offsets; the caller maps them to the host). `data.argumentPath` names the
 * argument element the value came from, so the profile document can show DCR302 on it too.
 */
import type { RuleCode } from './catalog.js';
import type { Finding, Severity } from '../findings.js';
import type { Span } from '../text/span.js';
import type { Api } from '../settings.js';
import type { PolicyCheck } from '../jinja/evaluate.js';
import type { ParseResult } from '../jinja/parse.js';
import { freeVariables } from '../jinja/symbolic.js';
import { Markup, PyDict, Undefined, type PyValue } from '../jinja/runtime/values.js';
import { tokenizeSql } from '../sql/places.js';
import type { AnalysisRender, AnalysisRenders, Profile, ProfileCleanRoom, ProfileSide } from '../profile/types.js';
import { normIdent, type ProfileAnalysisExtra, type Runner } from '../profile/parse.js';
import { splitRoomPrefix } from '../profile/analyses.js';
import { SqlAliases } from '../profile/aliases.js';
import { finding } from './finding.js';
import { visit } from '../jinja/visit.js';
import { PROVIDED_OBJECTS, PROVIDED_TABLE_LISTS } from '../provided.js';

export interface ProfileRuleOptions {
  api: Api;
  /** The template's parse, for argument reads (DCR305); without it DCR305 is skipped. */
  parsed?: ParseResult;
  /** Where analysis-level findings (DCR306) go, in template offsets; default the first line. */
  anchor?: Span;
  /** The template text, for the default anchor. */
  source?: string;
}

/** Names Snowflake defines for every template: never "missing" arguments. */
const DEFINED_BY_SNOWFLAKE = new Set([...PROVIDED_OBJECTS, 'loop']);
/** Run arguments Snowflake consumes itself: never "unknown" arguments. */
const RUN_ARGUMENTS = new Set([...PROVIDED_TABLE_LISTS, 'epsilon', 'warehouse_type', 'warehouse_size']);

const KEYWORDS = new Set(
  'and or not in is null like ilike rlike regexp between true false case when then else end as cast try_cast any all some exists escape distinct similar to'.split(
    ' ',
  ),
);

const PROCEDURE: Record<Api, string> = { legacy: 'samooha_by_snowflake_local_db', collaboration: 'samooha_by_snowflake_local_db' };

/** How a template gets into a clean room, in the API of the file being checked. */
function howToAdd(api: Api): string {
  return api === 'collaboration'
    ? 'REGISTRY.REGISTER_TEMPLATE, then COLLABORATION.ADD_TEMPLATE_REQUEST with the template ID, approved by the collaborators'
    : 'provider.add_custom_sql_template or an approved consumer.create_template_request';
}

type PolicyName = 'joinPolicy' | 'columnPolicy' | 'activationPolicy';
const FILTER_POLICIES: Record<string, PolicyName[]> = {
  join_policy: ['joinPolicy'],
  column_policy: ['columnPolicy'],
  activation_policy: ['activationPolicy'],
  join_and_column_policy: ['joinPolicy', 'columnPolicy'],
};
const POLICY_WORDS: Record<PolicyName, string> = { joinPolicy: 'join policy', columnPolicy: 'column policy', activationPolicy: 'activation policy' };
const SETTER: Record<PolicyName, string> = { joinPolicy: 'set_join_policy', columnPolicy: 'set_column_policy', activationPolicy: 'set_activation_policy' };

interface ColumnRef {
  alias: string | null;
  column: string;
  /** Join condition operand (`a.x = b.y`): checked against the join policy only. */
  join: boolean;
  text: string;
}

export function profileRules(renders: AnalysisRenders, profile: Profile, opts: ProfileRuleOptions): Finding[] {
  const { analysis } = renders;
  const extra = analysis as typeof analysis & ProfileAnalysisExtra;
  const runner: Runner = extra.runAs ?? 'consumer';
  const out: Finding[] = [];
  const multi = renders.renders.length > 1;
  const anchor = opts.anchor ?? firstLine(opts.source ?? '');

  // DCR306: the clean room must have the template installed.
  for (const roomName of analysis.cleanrooms) {
    const room = profile.cleanrooms.get(roomName);
    if (!room?.templates) continue;
    if (!room.templates.some(t => t.toLowerCase() === analysis.templateName.toLowerCase())) {
      out.push(
        withData(
          finding(
            'DCR306',
            `Template '${analysis.templateName}' of analysis '${analysis.name}' is not in clean room '${roomName}' (its "templates" list ${room.templates.length ? room.templates.map(t => `'${t}'`).join(', ') : 'is empty'}); Snowflake cannot run it there until the template is added (${howToAdd(opts.api)}).`,
            anchor,
          ),
          analysis.name,
          null,
        ),
      );
    }
  }

  for (const render of renders.renders) {
    const where = multi ? (render.scope === 'cluster' ? ' (in the cluster render)' : ` (in clean room '${render.cleanroom}')`) : '';
    const outcome = render.outcome;
    if (outcome.error && !outcome.syntaxErrors.length) {
      out.push(
        withData(
          finding(
            'DCR010',
            `Analysis '${analysis.name}' fails to render${where}: ${outcome.error.type}: ${outcome.error.message}`,
            outcome.error.span ?? anchor,
          ),
          analysis.name,
          render,
        ),
      );
      continue;
    }
    if (outcome.output === null) continue;
    const ctx = new RenderContext(render, analysis.cleanrooms, profile, runner, opts.api, outcome.output, outcome.segments);
    const positions = checkPositions(outcome.checks, outcome.segments);
    outcome.checks.forEach((check, i) => {
      for (const f of judgeCheck(check, positions[i] ?? null, ctx, analysis.templateName, analysis.name, where))
        out.push(withData(f, analysis.name, render, argumentPath(analysis.arguments, check.value)));
    });
  }

  if (opts.parsed && !opts.parsed.errors.length) out.push(...missingArguments(renders, opts.parsed));
  return merge(out);
}

function withData(f: Finding, analysis: string, render: AnalysisRender | null, argumentPath?: string | null): Finding {
  f.data = { ...(f.data ?? {}), analysis, scope: render?.scope ?? null, cleanroom: render?.cleanroom ?? null, ...(argumentPath ? { argumentPath } : {}) };
  return f;
}

function firstLine(source: string): Span {
  const nl = source.search(/\r?\n/);
  return { start: 0, end: nl < 0 ? source.length : nl };
}

/** Findings at the same place with the same code become one, listing every render. */
export function merge(findings: Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.code}:${f.span.start}:${f.span.end}`;
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, f);
      out.push(f);
    } else if (!prev.message.includes(f.message)) {
      prev.message += `\nAlso: ${f.message}`;
      const ps = prev.severity;
      if (rank(f.severity) < rank(ps)) prev.severity = f.severity;
    }
  }
  return out;
}

const rank = (s: Severity) => ({ error: 0, warning: 1, information: 2, hint: 3 })[s];

/** The output offset where each check's value was written, when it was written at all. */
function checkPositions(checks: PolicyCheck[], segments: AnalysisRender['outcome']['segments']): (number | null)[] {
  const used = new Map<string, number>();
  // A loop applies the same filter many times: the places of one filter application are
  // looked up once, among the segments that came from template expressions.
  const valueSegments = segments.filter(s => s.kind !== 'text');
  const placesOf = new Map<string, number[]>();
  return checks.map(c => {
    const key = `${c.span.start}:${c.span.end}`;
    let starts = placesOf.get(key);
    if (!starts) {
      const hits = valueSegments.filter(s => s.source.start <= c.span.start && c.span.end <= s.source.end);
      starts = [...new Set(hits.map(s => s.start))].sort((a, b) => a - b);
      placesOf.set(key, starts);
    }
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    return starts[n] ?? null;
  });
}

/** The argument element (`dimensions[1]`, `p_join_col`) holding exactly this value. */
function argumentPath(args: PyDict, value: PyValue): string | null {
  const want = value instanceof Markup ? value.text : value;
  if (typeof want !== 'string') return null;
  const hits: string[] = [];
  const walk = (v: PyValue, path: string) => {
    if (typeof v === 'string' && v === want) hits.push(path);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v instanceof PyDict) for (const [k, x] of v.entries()) if (typeof k === 'string') walk(x, path ? `${path}.${k}` : k);
  };
  walk(args, '');
  return hits.length === 1 ? hits[0]! : null;
}

class RenderContext {
  readonly aliases: SqlAliases;
  readonly sources: string[];
  readonly mine: string[];
  constructor(
    readonly render: AnalysisRender,
    readonly rooms: string[],
    readonly profile: Profile,
    readonly runner: Runner,
    readonly api: Api,
    sql: string,
    readonly segments: AnalysisRender['outcome']['segments'],
  ) {
    this.aliases = new SqlAliases(sql);
    const list = (k: string) => {
      const v = render.arguments.get(k);
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    };
    this.sources = list('source_table');
    this.mine = list('my_table');
  }

  /** The alias convention of the API: which list entry `p`, `p1`, `c2`… stands for. */
  conventional(alias: string): string | null {
    const m = /^([pc])(\d*)$/i.exec(alias);
    if (!m) return null;
    const list = m[1]!.toLowerCase() === 'p' ? this.sources : this.mine;
    const n = m[2] === '' ? 0 : Number(m[2]);
    const index = this.api === 'collaboration' ? Math.max(n - 1, 0) : n;
    return list[index] ?? null;
  }

  /** Room, side and bare table name of a table as the SQL or the arguments write it. */
  locate(raw: string): { room: ProfileCleanRoom | null; side: 'provider' | 'consumer' | null; table: string; why?: string } {
    let table = raw;
    let roomName: string | null = this.render.cleanroom ?? (this.rooms.length === 1 ? this.rooms[0]! : null);
    const split = this.rooms.length > 1 ? splitRoomPrefix(raw, this.rooms) : null;
    if (split) {
      table = split.table;
      roomName = split.room;
    }
    const norm = normIdent(table);
    const strip = (e: string) => normIdent(this.rooms.length > 1 ? (splitRoomPrefix(e, this.rooms)?.table ?? e) : e);
    let side: 'provider' | 'consumer' | null = null;
    if (this.sources.some(e => e === raw || (strip(e) === norm && (!split || splitRoomPrefix(e, this.rooms)?.room === roomName)))) side = 'provider';
    else if (this.mine.some(e => normIdent(e) === norm)) side = 'consumer';
    const room = roomName ? (this.profile.cleanrooms.get(roomName) ?? null) : null;
    if (!side && room) {
      if (hasTable(room.provider, norm)) side = 'provider';
      else if (hasTable(room.consumer, norm)) side = 'consumer';
    }
    if (!room && side === 'provider') {
      return {
        room: null,
        side,
        table,
        why: `'${raw}' does not start with the name of one of the analysis's clean rooms (multi-provider source_table entries are '<clean room>.DB.SCHEMA.TABLE')`,
      };
    }
    return { room, side, table };
  }

  tablesOfRender(): string[] {
    return [...new Set([...this.aliases.tables(), ...this.sources, ...this.mine])];
  }
}

function hasTable(side: ProfileSide, norm: string): boolean {
  return !!side.tables && [...side.tables.keys()].some(t => normIdent(t) === norm);
}

function columnsOf(side: ProfileSide, norm: string): string[] | null {
  if (!side.tables) return null;
  for (const [t, cols] of side.tables) if (normIdent(t) === norm) return cols;
  return null;
}

/** Column references in a checked value: `p1.STATUS`, `STATUS`, or every column of a predicate. */
export function columnRefs(value: string): ColumnRef[] | null {
  const toks = tokenizeSql(value);
  const refs: (ColumnRef & { start: number; end: number; tok: number })[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.type !== 'ident' && t.type !== 'quoted') continue;
    if (toks[k - 1]?.text === '.' || toks[k - 1]?.text === '::') continue;
    const parts = [t];
    let j = k + 1;
    while (toks[j]?.text === '.' && (toks[j + 1]?.type === 'ident' || toks[j + 1]?.type === 'quoted')) {
      parts.push(toks[j + 1]!);
      j += 2;
    }
    if (toks[j]?.text === '(') continue;
    if (parts.length === 1 && t.type === 'ident' && KEYWORDS.has(t.text.toLowerCase())) continue;
    if (parts.length > 2) return null;
    const words = parts.map(p => p.text);
    refs.push({
      alias: words.length === 2 ? unquote(words[0]!) : null,
      column: words[words.length - 1]!,
      join: false,
      text: value.slice(parts[0]!.start, parts[parts.length - 1]!.end),
      start: parts[0]!.start,
      end: parts[parts.length - 1]!.end,
      tok: k,
    });
    k = j - 1;
  }
  // `a.x = b.y` between two different aliases is a join condition.
  for (let i = 0; i + 1 < refs.length; i++) {
    const a = refs[i]!;
    const b = refs[i + 1]!;
    const between = value.slice(a.end, b.start).trim();
    if (between === '=' && a.alias && b.alias && a.alias.toLowerCase() !== b.alias.toLowerCase()) a.join = b.join = true;
  }
  return refs.map(({ alias, column, join, text }) => ({ alias, column, join, text }));
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function judgeCheck(check: PolicyCheck, at: number | null, ctx: RenderContext, templateName: string, analysis: string, where: string): Finding[] {
  const policies = FILTER_POLICIES[check.filter];
  if (!policies) return [];
  const raw = check.value instanceof Markup ? check.value.text : check.value;
  const info = (msg: string) =>
    [finding('DCR303', `Could not verify ${check.filter} for analysis '${analysis}'${where}: ${msg}`, check.span)].map(f => ((f.severity = 'information'), f));
  if (typeof raw !== 'string') {
    if (raw instanceof Undefined) return []; // a missing argument: DCR305 says so
    return info(`the value is not a column name (${Array.isArray(raw) ? 'a list' : typeof raw}).`);
  }
  const predicate = check.filter === 'join_and_column_policy';
  const refs = columnRefs(raw);
  if (!refs || !refs.length) return info(`'${raw}' is not a column reference the engine can read.`);
  if (!predicate && refs.length > 1) return info(`'${raw}' names several columns.`);
  const out: Finding[] = [];
  for (const ref of refs) {
    const wanted: PolicyName[] = predicate && ref.join ? ['joinPolicy'] : policies;
    out.push(...judgeRef(ref, raw, wanted, check, at, ctx, templateName, analysis, where));
  }
  return out;
}

function judgeRef(
  ref: ColumnRef,
  value: string,
  wanted: PolicyName[],
  check: PolicyCheck,
  at: number | null,
  ctx: RenderContext,
  templateName: string,
  analysis: string,
  where: string,
): Finding[] {
  const span = check.span;
  const shown = value === ref.text ? `'${value}'` : `'${ref.text}' (in '${value}')`;
  const note = (code: RuleCode, severity: Severity, msg: string) => {
    const f = finding(code, msg, span);
    f.severity = severity;
    return [f];
  };
  const cannot = (msg: string) => note('DCR303', 'information', `Could not verify ${check.filter} on ${shown} for analysis '${analysis}'${where}: ${msg}`);

  // 1. Value -> table.
  let rawTable: string | null;
  if (ref.alias) {
    const inSql = ctx.aliases.resolve(ref.alias, at);
    if (inSql === null) return cannot(`alias '${ref.alias}' stands for a subquery or CTE over several tables.`);
    rawTable = inSql ?? ctx.conventional(ref.alias);
    if (rawTable === null) {
      const known = /^[pc]\d*$/i.test(ref.alias);
      // A room's own render lacks the other rooms' tables: an alias of theirs there is
      // something only Snowflake can answer.
      const perRoom = ctx.render.scope === 'cleanroom' && ctx.rooms.length > 1;
      return note(
        'DCR303',
        perRoom ? 'information' : 'warning',
        `${shown} uses alias '${ref.alias}', which the rendered SQL of analysis '${analysis}'${where} does not define${known ? ` and which has no ${ref.alias[0]!.toLowerCase() === 'p' ? 'source_table' : 'my_table'} entry by the ${ctx.api} alias convention` : ''}; Snowflake cannot tell which table's policy applies.`,
      );
    }
  } else {
    const col = normIdent(ref.column);
    const having: string[] = [];
    let unknown = false;
    for (const t of ctx.tablesOfRender()) {
      const loc = ctx.locate(t);
      const cols = loc.room && loc.side ? columnsOf(loc.room[loc.side], normIdent(loc.table)) : null;
      if (!cols) unknown = true;
      else if (cols.includes(col)) having.push(t);
    }
    if (having.length === 1 && !unknown) rawTable = having[0]!;
    else if (having.length > 1) return cannot(`the bare name '${ref.column}' is a column of several tables (${having.join(', ')}); qualify it with its alias.`);
    else if (having.length === 1)
      return cannot(
        `the bare name '${ref.column}' is a column of ${having[0]}, but some tables of the render have no column list in the profile; qualify it with its alias.`,
      );
    else return cannot(`no table of the render is known to have column '${ref.column}'${unknown ? ' (some tables have no column list in the profile)' : ''}.`);
  }

  // 2. Table -> clean room and side.
  const loc = ctx.locate(rawTable);
  if (loc.why) return cannot(loc.why);
  if (!loc.side) return cannot(`table '${rawTable}' is in neither source_table nor my_table, nor in the profile's tables.`);
  if (!loc.room) return cannot(`the clean room that owns '${rawTable}' is unknown.`);
  // Policies are checked only on other collaborators' data, never the runner's own.
  if (loc.side === ctx.runner) return [];
  const side = loc.room[loc.side];
  const table = normIdent(loc.table);
  const column = normIdent(ref.column);
  const roomName = loc.room.name;
  const out: Finding[] = [];
  const cols = columnsOf(side, table);
  if (cols && !cols.includes(column)) {
    out.push(
      ...note(
        'DCR303',
        'warning',
        `${shown} names column ${column}, which table ${loc.table} in clean room '${roomName}' does not have (per the profile: ${cols.join(', ') || 'no columns'}) for analysis '${analysis}'${where}.`,
      ),
    );
  }

  // 3. The policy lists.
  const entryOf = (p: PolicyName) => (p === 'joinPolicy' ? `${table}:${column}` : `${templateName}:${table}:${column}`);
  const inList = (p: PolicyName) => side[p]!.some(e => normEntry(e, p) === normEntry(entryOf(p), p));
  const known = wanted.filter(p => side[p] !== null);
  if (known.some(inList)) return out;
  const unknownPolicies = wanted.filter(p => side[p] === null);
  if (unknownPolicies.length) {
    out.push(
      ...note(
        'DCR304',
        'information',
        `Could not verify ${check.filter} on ${shown} for analysis '${analysis}'${where}: the profile has no ${loc.side} ${unknownPolicies.map(p => POLICY_WORDS[p]).join(' or ')} for clean room '${roomName}' ("${unknownPolicies.join('", "')}" is absent).`,
      ),
    );
    return out;
  }
  const lists = wanted.map(p => `${loc.side} ${POLICY_WORDS[p]}`).join(' nor the ');
  const p0 = wanted.includes('columnPolicy') && !wanted.includes('joinPolicy') ? 'columnPolicy' : wanted[0]!;
  const entry = entryOf(p0);
  const current = side[p0]!;
  const suggestion =
    ctx.api === 'collaboration'
      ? `To allow it, the data provider lists ${column} in the data offering of ${loc.table} (${p0 === 'joinPolicy' ? 'category join_standard or join_custom' : p0 === 'activationPolicy' ? 'activation_allowed: true' : 'a non-join category'}).`
      : `To allow it, the ${loc.side} runs CALL ${PROCEDURE[ctx.api]}.${loc.side}.${SETTER[p0]}('${roomName}', [${[...current, entry].map(e => `'${e}'`).join(', ')}]); (the procedure replaces the whole list).`;
  out.push(
    finding(
      'DCR302',
      `Not approved: unauthorized columns used. ${shown} is ${table}:${column} in clean room '${roomName}'${where.includes('cluster') ? ' (cluster render)' : where ? " (that room's own render)" : ''}, which is not in the ${lists}${p0 !== 'joinPolicy' ? ` for template '${templateName}'` : ''} (analysis '${analysis}'). ${suggestion}`,
      span,
    ),
  );
  return out;
}

function normEntry(e: string, p: PolicyName): string {
  const parts = e.split(':');
  if (p === 'joinPolicy') return `${normIdent(parts[0] ?? '')}:${normIdent(parts[1] ?? '')}`;
  return `${(parts[0] ?? '').trim().toLowerCase()}:${normIdent(parts[1] ?? '')}:${normIdent(parts[2] ?? '')}`;
}

/** DCR305 (missing half): arguments the template reads that the analysis does not pass. */
function missingArguments(renders: AnalysisRenders, parsed: ParseResult): Finding[] {
  const { analysis } = renders;
  const free = freeVariables(parsed.template);
  const firstRead = new Map<string, Span>();
  visit(parsed.template.body, n => {
    if (n.kind === 'Name') {
      const name = (n as unknown as { name: string }).name;
      if (free.has(name) && !firstRead.has(name)) firstRead.set(name, n.span);
    }
  });
  const out: Finding[] = [];
  for (const [name, span] of firstRead) {
    if (DEFINED_BY_SNOWFLAKE.has(name) || analysis.arguments.has(name)) continue;
    // An error only when the missing value broke the render or reached the SQL; a read that
    // is only tested (`{% if where_clause %}`) or defaulted is an optional argument.
    const reached = renders.renders.some(r => {
      const o = r.outcome;
      if (o.error && new RegExp(`'${name}' is undefined`).test(o.error.message)) return true;
      return [...(o.binds ?? []).map(b => b.value), ...o.checks.map(c => c.value)].some(v => v instanceof Undefined && v.name === name);
    });
    const f = finding(
      'DCR305',
      reached
        ? `Analysis '${analysis.name}' does not pass argument '${name}', which the template reads: it renders as empty and Snowflake would run broken SQL or reject it.`
        : `Analysis '${analysis.name}' does not pass argument '${name}'; the template treats it as undefined (fine if it is optional).`,
      span,
    );
    if (!reached) f.severity = 'information';
    out.push(withData(f, analysis.name, null));
  }
  return out;
}

/** DCR305 (unknown half): arguments of the analysis the template never reads. */
export function unknownArguments(analysisArgs: PyDict, parsed: ParseResult): string[] {
  if (parsed.errors.length) return [];
  const free = freeVariables(parsed.template);
  return analysisArgs
    .keys()
    .filter((k): k is string => typeof k === 'string')
    .filter(k => !free.has(k) && !RUN_ARGUMENTS.has(k));
}
