/**
 * Rules decided from the syntax tree alone (no render): JinjaSQL usage traps and filter
 * order. Spans are template offsets; the caller maps them to the host document.
 */
import type * as A from '../jinja/ast.js';
import type { Finding } from '../findings.js';
import { TESTS } from '../jinja/runtime/index.js';
import { isKnownFilter } from './filters.js';
import { POLICY_FILTERS } from '../jinja/evaluate.js';
import { finding, replaceFix } from './finding.js';
import { freeVariables } from '../jinja/symbolic.js';
import { visit } from '../jinja/visit.js';
import { PROVIDED_VARIABLES } from '../provided.js';

const POLICY = new Set<string>(POLICY_FILTERS);
const RESERVED_ALIAS = /^[pc]\d*$/;
/** Names a template must not assign: what Snowflake provides, and Jinja's loop. */
const RESERVED_VARIABLES = new Set([...PROVIDED_VARIABLES, 'loop']);
const HTML_SPECIAL = /['"<>&]/;

/** The filters of a chain `x | f1 | f2`, innermost (applied first) first. */
export function filterChain(e: A.Expr): { base: A.Expr; filters: A.FilterApplication[] } {
  const filters: A.FilterApplication[] = [];
  let x = e;
  while (x.kind === 'Filter') {
    filters.unshift(x.filter);
    x = x.value;
  }
  return { base: x, filters };
}

export function staticRules(template: A.TemplateNode, text: string): Finding[] {
  const out: Finding[] = [];
  const args = freeVariables(template);
  const reported = new Set<string>();
  visit(template.body, (n, parents) => {
    switch (n.kind) {
      case 'Filter': {
        const f = (n as A.FilterExpr).filter;
        if (!isKnownFilter(f.name)) out.push(finding('DCR002', `No filter named '${f.name}'. Snowflake fails the template when it reaches it.`, f.nameSpan));
        if (f.name === 'bind' && f.args.length === 0 && !f.dynArgs && !f.dynKwargs) {
          out.push(finding('DCR004', "'bind' needs a parameter name, e.g. bind('value'); without one JinjaSQL raises TypeError.", f.span));
        }
        // Only the outermost Filter of a chain judges the chain.
        const parent = parents[parents.length - 1];
        if (parent?.kind !== 'Filter') out.push(...filterOrder(n as A.FilterExpr));
        break;
      }
      case 'Test': {
        const t = n as A.TestExpr;
        if (!TESTS.has(t.name)) out.push(finding('DCR002', `No test named '${t.name}'.`, t.nameSpan));
        break;
      }
      case 'FilterBlock':
        for (const f of (n as A.FilterBlockNode).filters) if (!isKnownFilter(f.name)) out.push(finding('DCR002', `No filter named '${f.name}'.`, f.nameSpan));
        break;
      case 'Loader': {
        const l = n as A.LoaderStmt;
        out.push(
          finding(
            'DCR003',
            `'${l.tagName}' needs other template files, but a clean room template is a single string rendered without a loader: it fails every run.`,
            l.tag,
          ),
        );
        break;
      }
      case 'Output': {
        const o = n as A.OutputNode;
        out.push(...literalInOutput(o, text));
        out.push(...inclauseParens(o, text));
        break;
      }
      case 'Concat':
        out.push(...markupConcat(n as A.ConcatExpr));
        break;
      case 'Name': {
        const name = (n as A.NameExpr).name;
        if (args.has(name) && RESERVED_ALIAS.test(name) && !reported.has(name)) {
          reported.add(name);
          out.push(
            finding('DCR112', `'${name}' is a reserved table alias (p, c, pN, cN); an argument with that name cannot be told apart from the alias.`, n.span),
          );
        }
        break;
      }
      case 'SetBlock':
        for (const f of (n as A.SetBlockNode).filters) if (!isKnownFilter(f.name)) out.push(finding('DCR002', `No filter named '${f.name}'.`, f.nameSpan));
        out.push(...reservedTargets((n as A.SetBlockNode).target));
        break;
      case 'Set':
        // Loop variables are local to the loop (`{% for c in dimensions %}` is a common idiom);
        // only assignments can shadow a table alias or a caller argument.
        out.push(...reservedTargets((n as A.SetNode).target));
        break;
    }
  });
  return out;
}

/** The bind decision for an output node, as JinjaSQL makes it. */
export function isAutoBound(o: A.OutputNode): boolean {
  return o.lastToken !== null && !(o.lastToken.type === 'name' && ['bind', 'inclause', 'sqlsafe'].includes(o.lastToken.value));
}

function filterOrder(e: A.FilterExpr): Finding[] {
  const { filters } = filterChain(e);
  const out: Finding[] = [];
  const firstPolicy = filters.findIndex(f => POLICY.has(f.name));
  const safe = filters.findIndex(f => f.name === 'sqlsafe');
  if (firstPolicy >= 0 && safe > firstPolicy) {
    const policy = filters[firstPolicy]!;
    const safeF = filters[safe]!;
    // Swap the two applications' texts: `| column_policy | sqlsafe` -> `| sqlsafe | column_policy`.
    out.push(
      finding(
        'DCR104',
        `'${policy.name}' runs before 'sqlsafe', so it checks the value as a plain string and Snowflake rejects the check. Put the policy filter after sqlsafe: | sqlsafe | ${policy.name}.`,
        safeF.span,
        [
          {
            title: `Move '| sqlsafe' before '| ${policy.name}'`,
            edits: [replaceFix(policy.span, '| sqlsafe'), replaceFix(safeF.span, `| ${policy.name}`)],
            isPreferred: true,
          },
        ],
      ),
    );
  }
  return out;
}

/** `{{ ',' }}`, `{{ ' UNION ALL ' }}`, `{{ ',' if not loop.last }}`: text that gets bound. */
function literalInOutput(o: A.OutputNode, text: string): Finding[] {
  if (!isAutoBound(o)) return [];
  const e = o.expr;
  const isStrConst = (x: A.Expr | null): x is A.ConstExpr => !!x && x.kind === 'Const' && x.value.type === 'str';
  if (isStrConst(e)) {
    const v = (e.value as { value: string }).value;
    return [
      finding(
        'DCR006',
        `${JSON.stringify(v)} is bound as a string value, so the SQL gets the literal '${v}' instead of the text. Write it outside {{ }}.`,
        o.span,
        [{ title: 'Write the text directly', edits: [replaceFix(o.span, v)], isPreferred: true }],
      ),
    ];
  }
  if (e.kind === 'Cond' && isStrConst(e.then) && (e.else === null || isStrConst(e.else))) {
    const then = (e.then.value as { value: string }).value;
    const other = e.else ? (e.else.value as { value: string }).value : null;
    const cond = text.slice(e.test.span.start, e.test.span.end);
    const replacement = other === null ? `{% if ${cond} %}${then}{% endif %}` : `{% if ${cond} %}${then}{% else %}${other}{% endif %}`;
    return [
      finding(
        'DCR006',
        `${JSON.stringify(then)} is bound as a string value (and when the condition is false, an empty value is bound). Use {% if %} around plain text.`,
        o.span,
        [{ title: 'Use {% if %} around the text', edits: [replaceFix(o.span, replacement)], isPreferred: true }],
      ),
    ];
  }
  return [];
}

/** `IN ({{ xs | inclause }})`: inclause already adds the parentheses. */
function inclauseParens(o: A.OutputNode, text: string): Finding[] {
  if (o.lastToken?.value !== 'inclause') return [];
  let b = o.span.start - 1;
  while (b >= 0 && /\s/.test(text[b]!)) b--;
  let a = o.span.end;
  while (a < text.length && /\s/.test(text[a]!)) a++;
  if (text[b] !== '(' || text[a] !== ')') return [];
  return [
    finding('DCR007', "'inclause' already writes the parentheses: this renders IN ((?, ?)), a single row value.", { start: b, end: a + 1 }, [
      { title: 'Remove the extra parentheses', edits: [replaceFix({ start: b, end: b + 1 }, ''), replaceFix({ start: a, end: a + 1 }, '')], isPreferred: true },
    ]),
  ];
}

/** `(col | sqlsafe) ~ "'"`: Markup joined with text HTML-escapes the text. */
function markupConcat(c: A.ConcatExpr): Finding[] {
  const raw = c.items.some(i => filterChain(i).filters.some(f => f.name === 'sqlsafe'));
  if (!raw) return [];
  const bad = c.items.find(i => i.kind === 'Const' && i.value.type === 'str' && HTML_SPECIAL.test(i.value.value));
  if (!bad) return [];
  const v = ((bad as A.ConstExpr).value as { value: string }).value;
  return [
    finding(
      'DCR008',
      `Joining raw SQL (sqlsafe) with ${JSON.stringify(v)} HTML-escapes the text: the SQL gets ${escapeHtml(v)}. Write the text outside {{ }}.`,
      c.span,
    ),
  ];
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

function reservedTargets(t: A.Target): Finding[] {
  if (t.kind === 'TupleTarget') return t.items.flatMap(reservedTargets);
  if (t.kind !== 'NameTarget') return [];
  if (RESERVED_ALIAS.test(t.name)) {
    return [
      finding('DCR112', `'${t.name}' is a reserved table alias (p, c, pN, cN); using it as a variable confuses which table a column belongs to.`, t.span),
    ];
  }
  if (RESERVED_VARIABLES.has(t.name)) {
    return [finding('DCR112', `'${t.name}' is set by Snowflake when the template runs; assigning it hides the caller's value.`, t.span)];
  }
  return [];
}
