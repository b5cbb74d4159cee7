/**
 * Policy-flow rules: render the template with traceable sample arguments (symbolic mode),
 * then judge every place an argument element reached the SQL by what that same element
 * passed anywhere in the render. Checking what reached the SQL, rather than template text,
 * is what keeps these rules honest: a value checked once anywhere is covered everywhere,
 * because Snowflake rejects the whole query when any check fails.
 */
import type { RuleCode } from './catalog.js';
import type * as A from '../jinja/ast.js';
import type { Finding } from '../findings.js';
import type { Span } from '../text/span.js';
import type { ParseResult } from '../jinja/parse.js';
import { renderSymbolic, describeShape, type SymbolicRender, type SymbolicResult, type ListShape } from '../jinja/symbolic.js';
import { SqlText, type SqlPlace } from '../sql/places.js';
import { segmentAt } from '../jinja/index.js';
import { POLICY_FILTERS } from '../jinja/evaluate.js';
import { finding, insertFix } from './finding.js';
import { filterChain } from './static.js';
import { visit } from '../jinja/visit.js';
import type { Api } from '../settings.js';
import { PROVIDED_TABLES } from '../provided.js';

const POLICY = new Set<string>(POLICY_FILTERS);
/** Aggregates whose result reveals no value of their argument. */
const COUNTING = new Set(['count', 'count_if', 'approx_count_distinct', 'hll', 'hll_accumulate', 'hll_estimate', 'bitmap_count']);

interface Candidate {
  finding: Finding;
  shape: ListShape;
  key: string;
  /** The `{{ }}` the finding is about, so one place is explained by one code. */
  output?: string;
}

export interface FlowOptions {
  api: Api;
  maxRenders?: number;
  /** A symbolic render of the same text already made (so callers that also check the SQL render once). */
  symbolic?: SymbolicResult;
}

export function flowRules(text: string, parsed: ParseResult, options: FlowOptions): Finding[] {
  const result = options.symbolic ?? renderSymbolic(text, parsed, options.maxRenders ? { maxRenders: options.maxRenders } : {});
  const safeChains = sqlsafeChains(parsed.template);
  const seen = new Map<string, { c: Candidate; count: number }>();
  const renders = result.renders;
  const ok = renders.filter(r => !r.outcome.error);

  for (const r of renders) {
    for (const c of judgeRender(r, text, safeChains, options)) {
      const prev = seen.get(c.key);
      if (prev) prev.count++;
      else seen.set(c.key, { c, count: 1 });
    }
  }
  const candidates = [...seen.values()];
  // Suppress DCR101 where DCR103 already explains the same place (sqlsafe with no check).
  const injection = new Set(candidates.filter(({ c }) => c.finding.code === 'DCR103').map(({ c }) => c.output));
  const out: Finding[] = [];
  for (const { c, count } of candidates) {
    if (c.finding.code === 'DCR101' && injection.has(c.output)) continue;
    // Say which list shape shows the problem when not every render shows it.
    if (count < ok.length && c.shape.size) c.finding.message += ` (${describeShape(c.shape)})`;
    out.push(c.finding);
  }
  out.push(...renderProblems(renders, parsed.template, result.args));
  out.push(...constantIndexes(parsed.template));
  return out;
}

/** Filters whose result is a number: after sqlsafe, what reaches the SQL is that number, not the text. */
const NUMERIC = new Set(['int', 'float', 'length', 'count', 'wordcount', 'abs', 'round']);

interface SqlsafeChain {
  policyAfter: boolean;
  policyBefore: boolean;
  /** A filter after sqlsafe turns the value into a number. */
  numericAfter: boolean;
  /** The `{{ }}` whose printed value this application is part of, if any. */
  output: A.OutputNode | null;
}

/** For each `| sqlsafe` application: the filters around it in its chain, and its `{{ }}`. */
function sqlsafeChains(template: A.TemplateNode): Map<string, SqlsafeChain> {
  const m = new Map<string, SqlsafeChain>();
  visit(template.body, (n, parents) => {
    if (n.kind !== 'Filter' || parents[parents.length - 1]?.kind === 'Filter') return;
    // The printed value: the nearest enclosing {{ }}, unless a comparison or test stands between.
    let output: A.OutputNode | null = null;
    for (let k = parents.length - 1; k >= 0; k--) {
      const p = parents[k]!;
      if (p.kind === 'Output') {
        output = p as A.OutputNode;
        break;
      }
      // A comparison or test prints a boolean; a call hands the value on to be judged where it is printed.
      if (/^(Compare|Test|Unary|Call|If|For|Set|SetBlock|Macro|CallBlock)$/.test(p.kind)) break;
    }
    const { filters } = filterChain(n as A.FilterExpr);
    filters.forEach((f, i) => {
      if (f.name === 'sqlsafe') {
        m.set(spanKey(f.span), {
          policyAfter: filters.slice(i + 1).some(x => POLICY.has(x.name)),
          policyBefore: filters.slice(0, i).some(x => POLICY.has(x.name)),
          numericAfter: filters.slice(i + 1).some(x => NUMERIC.has(x.name)),
          output,
        });
      }
    });
  });
  return m;
}

const spanKey = (s: Span) => `${s.start}:${s.end}`;

function argName(path: string): string {
  return path.replace(/\[\d+\]$/, '');
}

function isSnowflakeTables(path: string): boolean {
  return PROVIDED_TABLES.has(argName(path).replace(/\..*$/, ''));
}

function isTableArg(path: string): boolean {
  return /table/i.test(argName(path));
}

const USE_VERB: Record<string, string> = {
  select: 'selected',
  group: 'grouped by',
  order: 'ordered by',
  on: 'used in a join condition',
  where: 'used in a filter',
  having: 'used in a filter',
  qualify: 'used in a filter',
  from: 'used',
  limit: 'used',
  return: 'returned',
  other: 'used',
};

function judgeRender(r: SymbolicRender, text: string, safeChains: Map<string, SqlsafeChain>, options: FlowOptions): Candidate[] {
  const out: Candidate[] = [];
  const sqlText = r.outcome.output ?? r.outcome.partial;
  const sql = new SqlText(sqlText);
  const passed = new Map<string, Set<string>>();
  for (const c of r.checks) {
    if (c.filter === 'sqlsafe') continue;
    if (!passed.has(c.path)) passed.set(c.path, new Set());
    passed.get(c.path)!.add(c.filter);
  }
  const add = (code: RuleCode, message: string, span: Span, key: string, output: string, fixes?: Parameters<typeof finding>[3]) => {
    out.push({ finding: finding(code, message, span, fixes), shape: r.shape, key, output });
  };

  for (const u of r.uses) {
    const place = sql.placeOf(u.output.start);
    if (!place) continue;
    const checks = passed.get(u.path) ?? new Set<string>();
    const src = u.source;
    const srcText = text.slice(src.start, src.end);
    const outputKey = spanKey(src);
    // `alias.{{ col }}`: the '.' before the value comes from template text, not from the value.
    const valueSeg = segmentAt(r.outcome.segments, u.output.start);
    const valueStart = valueSeg ? valueSeg.start : u.output.start;
    const dotSeg = segmentAt(r.outcome.segments, valueStart - 1);
    const afterAlias = !u.bound && sqlText[valueStart - 1] === '.' && dotSeg?.kind === 'text';
    const consumerSide = afterAlias && /(^|[^A-Za-z0-9_])c\d*\.$/.test(sqlText.slice(Math.max(0, valueStart - 4), valueStart));

    if (u.bound && place.literal && !isTableArg(u.path) && (checks.size > 0 || place.literalAfterDot) && place.clause !== 'limit') {
      const fixes = place.literalAfterDot
        ? undefined
        : [{ title: 'Wrap in IDENTIFIER()', edits: [insertFix(src.start, 'IDENTIFIER('), insertFix(src.end, ')')], isPreferred: true }];
      add(
        'DCR105',
        place.literalAfterDot
          ? `${u.path} is bound, so this renders as an alias followed by a string ('p.'col''), which is not SQL. Pass the alias-qualified column and use IDENTIFIER({{ … }}), or add | sqlsafe before the policy filter.`
          : `${u.path} is a column (it passes ${[...checks].join(', ')}) but renders as the string literal '…' here, not as a column. Wrap it in IDENTIFIER() or use | sqlsafe | ${[...checks][0]}.`,
        src,
        `DCR105:${outputKey}`,
        outputKey,
        fixes,
      );
      continue;
    }
    if (u.bound && place.literal && isTableArg(u.path) && place.clause === 'from') {
      add(
        'DCR105',
        `${u.path} is a table but renders as the string literal '…' here, which Snowflake cannot parse. Wrap it in IDENTIFIER().`,
        src,
        `DCR105:${outputKey}`,
        outputKey,
        [{ title: 'Wrap in IDENTIFIER()', edits: [insertFix(src.start, 'IDENTIFIER('), insertFix(src.end, ')')], isPreferred: true }],
      );
      continue;
    }
    if (!place.identifier || place.table || isTableArg(u.path)) continue;

    const verb = place.activation ? 'activated' : (USE_VERB[place.clause] ?? 'used');
    if (checks.size === 0) {
      if (consumerSide) continue; // the caller's own (consumer) column: no owner policy applies
      const suggested =
        place.clause === 'on'
          ? 'join_policy'
          : place.activation
            ? 'activation_policy'
            : u.path.startsWith('where')
              ? 'join_and_column_policy'
              : 'column_policy';
      const fix = policyFix(text, src, suggested);
      add(
        'DCR101',
        `${u.path} is ${verb} without a policy check: no join_policy, column_policy, activation_policy or join_and_column_policy is applied to it anywhere, so a collaborator can pass any column. Add | ${suggested}.`,
        src,
        `DCR101:${outputKey}:${u.path.replace(/\d+/g, 'N')}`,
        outputKey,
        fix ? [fix] : undefined,
      );
      continue;
    }
    // Only the final result leaves the clean room: a join column projected inside a CTE or a
    // subquery to be joined on is not a leak.
    // Counting an identity column (COUNT(DISTINCT hashed_email)) reveals no value of it.
    const counted = place.functions.some(f => COUNTING.has(f));
    const projection = !counted && (place.activation || place.clause === 'group' || (['select', 'order'].includes(place.clause) && !place.nested));
    const onlyJoin = checks.has('join_policy') && !checks.has('column_policy') && !checks.has('activation_policy') && !checks.has('join_and_column_policy');
    const onlyColumn = checks.has('column_policy') && !checks.has('join_policy') && !checks.has('join_and_column_policy');
    if (projection && onlyJoin) {
      add(
        'DCR102',
        `${u.path} is only checked with join_policy but is ${verb}: an identity column could leave the clean room. Project columns checked with column_policy${place.activation ? ' (activation_policy for activation)' : ''}.`,
        src,
        `DCR102:${outputKey}`,
        outputKey,
      );
    } else if (place.clause === 'on' && onlyColumn) {
      add(
        'DCR102',
        `${u.path} is only checked with column_policy but is used in a join condition: check join columns with join_policy.`,
        src,
        `DCR102:${outputKey}`,
        outputKey,
      );
    } else if (place.activation && !checks.has('activation_policy')) {
      add(
        'DCR102',
        `${u.path} is activated but not checked with activation_policy: activated columns must be in the activation policy.`,
        src,
        `DCR102:${outputKey}`,
        outputKey,
      );
    }
    if (afterAlias && checks.size && srcText.includes('sqlsafe')) {
      add(
        'DCR106',
        `The policy filter sees only the bare column name of ${u.path} because the alias is written outside {{ }}: Snowflake checks it only if the name is unambiguous. Prefer passing 'alias.COLUMN' and IDENTIFIER({{ … }}).`,
        src,
        `DCR106:${outputKey}`,
        outputKey,
      );
    }
  }

  // sqlsafe on a caller value with no policy filter after it: injection.
  for (const c of r.checks) {
    if (c.filter !== 'sqlsafe') continue;
    const chain = safeChains.get(spanKey(c.span));
    // A policy filter before sqlsafe is DCR104's mistake: one mistake, one code.
    if (!chain || chain.policyAfter || chain.policyBefore) continue;
    // Snowflake fills source_table and my_table with tables linked into the clean room; any
    // other argument, whatever its name (results_table), is whatever the caller passes.
    if (isSnowflakeTables(c.path)) continue;
    // Snowflake checks values, not places: a value that passed a policy filter anywhere in the
    // render is a column of that policy wherever else it is written (DCR101/DCR102 judge the use).
    const checked = passed.get(c.path);
    if (checked && [...checked].some(f => POLICY.has(f))) continue;
    // Only raw text that reaches the SQL can inject: not a number made of it (| int, | length),
    // nor a comparison or test of it.
    if (chain.numericAfter) continue;
    const rawUses = r.uses.filter(u => u.path === c.path && !u.bound);
    const written = chain.output
      ? rawUses.some(u => u.source.start <= chain.output!.span.start && u.source.end >= chain.output!.span.end) ||
        rawUses.some(u => u.source.start <= c.span.start && u.source.end >= c.span.end)
      : rawUses.length > 0;
    if (!written) continue;
    add(
      'DCR103',
      `${c.path} is caller-supplied and inserted as raw SQL by sqlsafe with no policy filter after it: a collaborator can inject any SQL here. Add a policy filter after sqlsafe (e.g. | sqlsafe | column_policy).`,
      c.span,
      `DCR103:${spanKey(c.span)}`,
      chain.output ? spanKey(chain.output.span) : spanKey(c.span),
    );
  }

  out.push(...aliasRules(r, sql, text, options));
  out.push(...selectStar(r, sql));
  return out;
}

function policyFix(text: string, src: Span, policy: string) {
  const inner = text.slice(src.start, src.end);
  if (!inner.startsWith('{{') || !inner.endsWith('}}')) return null;
  let end = src.end - 2;
  if (text[end - 1] === '-') end--;
  while (end > src.start && /\s/.test(text[end - 1]!)) end--;
  return { title: `Add | ${policy}`, edits: [insertFix(end, ` | ${policy}`)], isPreferred: true };
}

/** Template offset of an output offset, when the output there is literal template text. */
function templateOffset(r: SymbolicRender, outOffset: number): number | null {
  const seg = segmentAt(r.outcome.segments, outOffset);
  if (!seg || seg.kind !== 'text' || seg.via?.length) return null;
  return seg.source.start + (outOffset - seg.start);
}

/** p/c aliases: no gaps, and not both spellings of the first table. */
function aliasRules(r: SymbolicRender, sql: SqlText, text: string, options: FlowOptions): Candidate[] {
  const out: Candidate[] = [];
  const found = new Map<string, { index: number; offset: number }[]>();
  const toks = sql.tokens;
  for (let k = 1; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.type !== 'ident' || !/^[pc]\d*$/i.test(t.text)) continue;
    const prev = toks[k - 1]!;
    const isAlias =
      /^as$/i.test(prev.text) ||
      prev.text === ')' ||
      (prev.type === 'ident' && toks[k - 2]?.text === '.') ||
      (prev.type === 'ident' && !/^(select|from|join|on|where|and|or|by|,)$/i.test(prev.text) && toks[k + 1]?.text !== '.');
    if (!isAlias || toks[k + 1]?.text === '(') continue;
    const name = t.text.toLowerCase();
    const list = found.get(name[0]!) ?? [];
    list.push({ index: name.length > 1 ? Number(name.slice(1)) : -1, offset: t.start });
    found.set(name[0]!, list);
  }
  for (const [letter, list] of found) {
    const names = new Set(list.map(x => x.index));
    const bare = names.has(-1);
    const firstDup = options.api === 'collaboration' ? 1 : 0;
    if (bare && names.has(firstDup)) {
      const at = list.find(x => x.index === firstDup)!;
      const off = templateOffset(r, at.offset);
      if (off !== null) {
        out.push({
          finding: finding(
            'DCR111',
            `Both '${letter}' and '${letter}${firstDup}' are used: under the ${options.api === 'collaboration' ? 'Collaboration' : 'legacy'} API they name the same table, so columns are checked against the wrong table. Use one spelling.`,
            { start: off, end: off + 1 + String(firstDup).length },
          ),
          shape: r.shape,
          key: `DCR111:dup:${off}`,
        });
      }
    }
    const nums = [...names].map(n => (n === -1 ? (options.api === 'collaboration' ? 1 : 0) : n)).sort((a, b) => a - b);
    const uniq = [...new Set(nums)];
    for (let i = 1; i < uniq.length; i++) {
      if (uniq[i]! !== uniq[i - 1]! + 1) {
        const missing = uniq[i - 1]! + 1;
        const at = list.find(x => x.index === uniq[i]);
        const off = at ? templateOffset(r, at.offset) : null;
        if (off !== null) {
          out.push({
            finding: finding(
              'DCR111',
              `Alias '${letter}${uniq[i]}' follows a gap ('${letter}${missing}' is never used): aliases must be numbered without gaps, or policies are checked against the wrong table.`,
              { start: off, end: off + text.slice(off).search(/[^A-Za-z0-9_]|$/) },
            ),
            shape: r.shape,
            key: `DCR111:gap:${off}`,
          });
        }
        break;
      }
    }
  }
  return out;
}

/** `SELECT *` where a provider table is read. */
function selectStar(r: SymbolicRender, sql: SqlText): Candidate[] {
  const hasProviderTable = r.uses.some(u => argName(u.path) === 'source_table' && sql.placeOf(u.output.start)?.table);
  if (!hasProviderTable) return [];
  const out: Candidate[] = [];
  const toks = sql.tokens;
  for (let k = 1; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.text !== '*') continue;
    const prev = toks[k - 1]!;
    const starCol = /^(select|distinct|,)$/i.test(prev.text) || (prev.text === '.' && toks[k - 2]?.type === 'ident');
    if (!starCol) continue;
    const place = sql.placeOf(t.start);
    if (!place || place.clause !== 'select') continue;
    if (!fromReadsProviderTable(r, sql, k)) continue;
    const off = templateOffset(r, t.start);
    if (off === null) continue;
    out.push({
      finding: finding(
        'DCR113',
        'SELECT * returns every column of the provider tables: no column policy is checked for them. Select the columns you need, each checked with column_policy.',
        { start: off, end: off + 1 },
      ),
      shape: r.shape,
      key: `DCR113:${off}`,
    });
  }
  return out;
}

/** Whether the FROM of the SELECT containing token k lists a provider (source_table) table itself. */
function fromReadsProviderTable(r: SymbolicRender, sql: SqlText, k: number): boolean {
  const toks = sql.tokens;
  let depth = 0;
  let j = k + 1;
  for (; j < toks.length; j++) {
    const t = toks[j]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      if (depth === 0) return false;
      depth--;
    } else if (depth === 0 && /^from$/i.test(t.text)) break;
    else if (t.text === ';') return false;
  }
  const start = toks[j]?.end ?? Infinity;
  depth = 0;
  let end = sql.sql.length;
  for (j++; j < toks.length; j++) {
    const t = toks[j]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      if (depth === 0) {
        end = t.start;
        break;
      }
      depth--;
    } else if (depth === 0 && (/^(where|group|having|qualify|order|limit|union|except|minus|intersect)$/i.test(t.text) || t.text === ';')) {
      end = t.start;
      break;
    }
  }
  return r.uses.some(u => argName(u.path) === 'source_table' && u.output.start >= start && u.output.start < end);
}

/**
 * Render failures: a list printed without inclause is certain; so is a failure in an
 * expression that reads no caller argument (calling an undefined name, `'a' + 1`): no
 * argument can avoid it. Anything else could not be verified.
 */
function renderProblems(renders: SymbolicRender[], template: A.TemplateNode, args: Map<string, string>): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const r of renders) {
    const e = r.outcome.error;
    if (!e || r.outcome.syntaxErrors.length) continue;
    const span = e.span ?? { start: 0, end: 0 };
    const key = `${e.type}:${span.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (e.type === 'MissingInClauseException') {
      out.push(
        finding(
          'DCR005',
          "A list is printed without '| inclause': JinjaSQL refuses to bind a list (MissingInClauseException). Use {{ … | inclause }} for IN lists, or loop over the items.",
          span,
        ),
      );
    } else if (isLoaderTag(template, span)) {
      continue; // DCR003 already says why
    } else if (!readsArgument(template, span, args)) {
      out.push(finding('DCR010', `The template fails to render whatever the arguments: ${e.type}: ${e.message}.`, span));
    } else {
      const f = finding(
        'DCR009',
        `Could not verify the policy flow: the template did not render with sample arguments ${describeShape(r.shape)} (${e.type}: ${e.message}).`,
        span,
      );
      out.push(f);
    }
  }
  return out;
}

function isLoaderTag(template: A.TemplateNode, span: Span): boolean {
  let found = false;
  visit(template.body, n => {
    if (n.kind === 'Loader' && n.span.start === span.start) found = true;
  });
  return found;
}

/** Methods of the values a JSON argument can hold (Python str, list, dict), as Jinja exposes them. */
const VALUE_METHODS = new Set(
  (
    'capitalize casefold center count encode endswith expandtabs find format format_map index isalnum isalpha isascii isdecimal ' +
    'isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip partition removeprefix ' +
    'removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate ' +
    'upper zfill append clear copy extend insert pop remove reverse sort get items keys values setdefault update fromkeys popitem'
  ).split(' '),
);

/** Whether the expression at `span` (the failing one) reads a caller argument. */
function readsArgument(template: A.TemplateNode, span: Span, args: Map<string, string>): boolean {
  let node: { span: Span } | null = null;
  visit(template.body, n => {
    if (n.span.start === span.start && n.span.end === span.end && !node) node = n;
  });
  if (!node) return true;
  // Calling a name nothing defines fails whatever the arguments are.
  const n0 = node as { kind?: string; callee?: A.Expr };
  if (n0.kind === 'Call' && n0.callee?.kind === 'Name' && (args.get(n0.callee.name) ?? 'callable') === 'callable') return false;
  // So does calling a method no argument value has: arguments are JSON (strings, numbers,
  // lists, objects), and `cleanroom.calculate_tax(…)` is SQL written inside {{ }}.
  if (n0.kind === 'Call' && n0.callee?.kind === 'GetAttr' && !VALUE_METHODS.has(n0.callee.attr)) {
    let base: A.Expr = n0.callee.object;
    while (base.kind === 'GetAttr' || base.kind === 'GetItem') base = base.object;
    if (base.kind === 'Name' && args.has(base.name) && args.get(base.name) !== 'callable') return false;
  }
  let reads = false;
  visit(node, n => {
    if (n.kind === 'Name') {
      const shape = args.get((n as A.NameExpr).name);
      if (shape && shape !== 'callable') reads = true;
    }
  });
  return reads;
}

/** `source_table[1]` in a template that loops over source_table: each clean room renders with only its own tables. */
function constantIndexes(template: A.TemplateNode): Finding[] {
  let multi = false;
  visit(template.body, n => {
    if (n.kind === 'For') {
      let it = (n as A.ForNode).iter;
      while (it.kind === 'Slice' || it.kind === 'Filter') it = it.kind === 'Slice' ? it.object : it.value;
      if (it.kind === 'Name' && it.name === 'source_table') multi = true;
    }
  });
  if (!multi) return [];
  // Lists indexed by the loop position of a source_table loop hold one entry per provider.
  const perProvider = new Set<string>(['source_table']);
  visit(template.body, n => {
    if (n.kind !== 'GetItem') return;
    const g = n as A.GetItemExpr;
    let readsLoopIndex = false;
    visit(g.key, k => {
      if (k.kind === 'GetAttr' && (k as A.GetAttrExpr).object.kind === 'Name' && ((k as A.GetAttrExpr).object as A.NameExpr).name === 'loop')
        readsLoopIndex = true;
    });
    if (g.object.kind === 'Name' && readsLoopIndex) perProvider.add(g.object.name);
  });
  const out: Finding[] = [];
  visit(template.body, n => {
    if (n.kind !== 'GetItem') return;
    const g = n as A.GetItemExpr;
    if (g.object.kind === 'Name' && perProvider.has(g.object.name) && g.key.kind === 'Const' && g.key.value.type === 'int' && g.key.value.value >= 1) {
      const what = g.object.name === 'source_table' ? 'tables' : `entries of ${g.object.name} (one per provider)`;
      out.push(
        finding(
          'DCR110',
          `${g.object.name}[${g.key.value.value}] assumes a fixed number of providers, but in a multi-provider analysis each clean room renders the template with only its own tables, where this entry does not line up with the ${what}. Use the loop variable instead.`,
          g.span,
        ),
      );
    }
  });
  return out;
}

export type { SqlPlace };
