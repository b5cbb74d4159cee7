/**
 * Hover: what a filter, test, tag, reserved variable, table alias or caller argument means
 * here. For caller arguments it says what the symbolic render saw: the policy checks each
 * element passed and where it landed in the SQL, or honestly that it could not verify.
 */
import type { DocumentModel, ParsedRegion } from '../analysis/model.js';
import type * as A from '../jinja/ast.js';
import type { Span } from '../text/span.js';
import { argumentFlow, type ArgumentFlow, type ArgumentLanding } from './argumentFlow.js';
import { FILTERS_BY_NAME, GLOBAL_FACTS, LOOP_ATTRIBUTES, LOOP_DOC, RESERVED_BY_NAME, TAG_FACTS, TESTS_BY_NAME, aliasIndex } from './facts.js';
import { inSpan, locate, visit, wordAt, type AnyNode } from './locate.js';
import { ruleLink, type FeatureOptions } from './options.js';
import { enclosingLoop, resolve, scopeAt, scopesOf, type Decl } from './scopes.js';

export interface HoverResult {
  /** Markdown. */
  contents: string;
  /** Host range the hover is about. */
  span: Span;
}

type Target =
  | { kind: 'filter'; name: string; span: Span }
  | { kind: 'test'; name: string; span: Span }
  | { kind: 'name'; name: string; span: Span }
  | { kind: 'loopAttr'; name: string; span: Span }
  | { kind: 'decl'; name: string; span: Span }
  | { kind: 'text'; span: Span };

export function doHover(model: DocumentModel, hostOffset: number, options: FeatureOptions = {}): HoverResult | null {
  const at = locate(model, hostOffset);
  if (!at) return null;
  const { template, offset } = at;
  const ctx: Ctx = { model, template, options, lineOf: s => model.lines.positionAt(template.region.toHost(s).start).line + 1 };
  const tag = tagKeywordAt(template, offset);
  if (tag) return { contents: tag.contents, span: template.region.toHost(tag.span) };
  const target = targetAt(template.parse.template, offset);
  if (!target) return null;
  let contents: string | null = null;
  switch (target.kind) {
    case 'filter':
      contents = filterHover(target.name, options);
      break;
    case 'test':
      contents = testHover(target.name, options);
      break;
    case 'loopAttr':
      contents = loopAttrHover(target.name);
      break;
    case 'name':
    case 'decl':
      contents = nameHover(ctx, target.name, target.span);
      break;
    case 'text': {
      const alias = aliasAt(template.region.text, offset);
      if (alias) return { contents: aliasHover(alias.word, options), span: template.region.toHost(alias.span) };
      return null;
    }
  }
  return contents ? { contents, span: template.region.toHost(target.span) } : null;
}

interface Ctx {
  model: DocumentModel;
  template: ParsedRegion;
  options: FeatureOptions;
  lineOf: (s: Span) => number;
}

// ------------------------------------------------------------------ what is under the cursor

function targetAt(root: A.TemplateNode, offset: number): Target | null {
  let best: Target | null = null;
  const consider = (t: Target) => {
    if (!inSpan(t.span, offset)) return;
    if (!best || t.span.end - t.span.start <= best.span.end - best.span.start) best = t;
  };
  visit(
    root,
    (n: AnyNode) => {
      switch (n.kind) {
        case 'Name':
          consider({ kind: 'name', name: n.name, span: n.span });
          break;
        case 'NameTarget':
          consider({ kind: 'decl', name: n.name, span: n.span });
          break;
        case 'AttrTarget':
          consider({ kind: 'name', name: n.object, span: n.objectSpan });
          break;
        case 'Test':
          consider({ kind: 'test', name: n.name, span: n.nameSpan });
          break;
        case 'GetAttr':
          if (n.object.kind === 'Name' && n.object.name === 'loop') consider({ kind: 'loopAttr', name: n.attr, span: n.attrSpan });
          break;
        case 'Macro':
          consider({ kind: 'decl', name: n.name, span: n.nameSpan });
          for (const p of n.params) consider({ kind: 'decl', name: p.name, span: { start: p.span.start, end: p.span.start + p.name.length } });
          break;
        case 'CallBlock':
          for (const p of n.params) consider({ kind: 'decl', name: p.name, span: { start: p.span.start, end: p.span.start + p.name.length } });
          break;
        case 'Text':
          consider({ kind: 'text', span: n.span });
          break;
      }
    },
    f => consider({ kind: 'filter', name: f.name, span: f.nameSpan }),
  );
  return best;
}

/** The tag name right after `{%` (`for`, `endif`…). */
function tagKeywordAt(template: ParsedRegion, offset: number): { contents: string; span: Span } | null {
  const tokens = template.parse.tokens;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.span.start > offset) break;
    if (t.type !== 'name' || !inSpan(t.span, offset) || tokens[i - 1]!.type !== 'block_begin') continue;
    const fact = TAG_FACTS.find(f => f.name === t.value);
    return fact ? { contents: `**\`{% ${fact.name} %}\`** tag\n\n${fact.doc}`, span: t.span } : null;
  }
  return null;
}

// ------------------------------------------------------------------ filters, tests, loop

function filterHover(name: string, options: FeatureOptions): string {
  const fact = FILTERS_BY_NAME.get(name);
  if (!fact)
    return `**\`${name}\`**: unknown filter. Neither Jinja, JinjaSQL nor the clean room defines it, so the template fails to render (${ruleLink(options, 'DCR002')}).`;
  const group = fact.group === 'policy' ? 'clean room policy filter' : fact.group === 'jinjasql' ? 'JinjaSQL filter' : 'Jinja filter';
  const rules = fact.rules?.length ? `\n\nSee ${fact.rules.map(c => ruleLink(options, c)).join(', ')}.` : '';
  return `**\`| ${fact.signature}\`**: ${group}\n\n${fact.doc}${rules}`;
}

function testHover(name: string, options: FeatureOptions): string {
  const fact = TESTS_BY_NAME.get(name);
  if (!fact) return `**\`${name}\`**: unknown test (${ruleLink(options, 'DCR002')}).`;
  return `**\`is ${fact.name}\`**: Jinja test\n\n${fact.doc}`;
}

function loopAttrHover(name: string): string | null {
  const fact = LOOP_ATTRIBUTES.find(a => a.name === name);
  return fact ? `**\`loop.${fact.name}\`**\n\n${fact.doc}` : null;
}

// ------------------------------------------------------------------ names

function nameHover(ctx: Ctx, name: string, span: Span): string | null {
  const { template } = ctx;
  const info = scopesOf(template.parse.template);
  const read = info.reads.find(r => r.span.start === span.start && r.name === name);
  const decl = info.decls.find(d => d.span.start === span.start && d.name === name);
  const scope = read?.scope ?? decl?.scope ?? scopeAt(info, span.start);
  const decls = decl ? [decl] : resolve(name, scope);
  if (decls.length) return declHover(ctx, decls);
  if (name === 'loop' && enclosingLoop(scope)) return `**\`loop\`**\n\n${LOOP_DOC}`;
  const global = GLOBAL_FACTS.find(g => g.name === name);
  if (global) return `**\`${name}\`**: Jinja global function\n\n${global.doc}`;
  if (name === 'caller') return '**`caller`**: inside a macro called with `{% call %}`, renders the body of the call.';
  return argumentHover(ctx, name);
}

function declHover(ctx: Ctx, decls: Decl[]): string {
  const d = decls[0]!;
  const where = decls.map(x => `line ${ctx.lineOf(x.span)}`).join(', ');
  const reserved = RESERVED_BY_NAME.has(d.name)
    ? `\n\n\`${d.name}\` is reserved by the clean room; assigning it hides the caller's value (${ruleLink(ctx.options, 'DCR112')}).`
    : '';
  switch (d.kind) {
    case 'macro': {
      const m = d.node as A.MacroNode;
      const sig = m.params.map(p => ctx.template.region.text.slice(p.span.start, p.span.end)).join(', ');
      return `\`\`\`jinja\n{% macro ${m.name}(${sig}) %}\n\`\`\`\nMacro defined at ${where}. Its output is raw SQL: values bound inside stay bound, and the output is not bound again.`;
    }
    case 'param':
      return `**\`${d.name}\`**: parameter of ${d.node.kind === 'Macro' ? `macro \`${(d.node as A.MacroNode).name}\`` : 'the `call` block'} (${where}).${reserved}`;
    case 'loop': {
      const f = d.node as A.ForNode;
      const iter = ctx.template.region.text.slice(f.iter.span.start, f.iter.span.end);
      let text = `**\`${d.name}\`**: loop variable of \`{% for … in ${iter} %}\` (${where}).${reserved}`;
      // The elements of a caller list are what policy checks are about: show their flow.
      if (f.iter.kind === 'Name' && f.target.kind === 'NameTarget' && !resolve(f.iter.name, d.scope.parent ?? d.scope).length) {
        text += `\n\nIts values are the elements of the caller argument \`${f.iter.name}\`.\n\n${flowMarkdown(ctx, argumentFlow(ctx.template, f.iter.name, ctx.options.allowRender !== false))}`;
      }
      return text;
    }
    case 'with':
      return `**\`${d.name}\`**: variable of a \`{% with %}\` block (${where}).${reserved}`;
    case 'set': {
      const scope = d.scope.kind === 'template' ? 'template variable' : `variable local to the enclosing \`${d.scope.kind}\``;
      const loopNote = d.scope.kind === 'for' ? ' It is reset on every iteration and is undefined after the loop; use `namespace()` to carry a value out.' : '';
      return `**\`${d.name}\`**: ${scope}, set at ${where}.${loopNote}${reserved}`;
    }
  }
}

function argumentHover(ctx: Ctx, name: string): string {
  const reserved = RESERVED_BY_NAME.get(name);
  const head = reserved
    ? `**\`${name}\`**: reserved clean room variable, supplied by the caller\n\n${reserved.doc}`
    : `**\`${name}\`**: caller-supplied argument\n\nNothing in the template assigns it: the analysis run passes it, so treat its value as untrusted input.`;
  if (name === 'privacy' || name === 'preset_tables') return head;
  return `${head}\n\n${flowMarkdown(ctx, argumentFlow(ctx.template, name, ctx.options.allowRender !== false))}`;
}

function flowMarkdown(ctx: Ctx, flow: ArgumentFlow): string {
  if (flow.status === 'disabled') {
    return '_Renders are disabled in Restricted Mode: trust the workspace to see which policy checks this argument passes and where it lands in the SQL._';
  }
  if (flow.status === 'unrendered') {
    const at = flow.span ? ` (line ${ctx.lineOf(flow.span)})` : '';
    return `**Could not verify** its policy checks or where it lands: ${flow.reason}${at}.`;
  }
  const lines: string[] = [];
  if (flow.status === 'partial') {
    const at = flow.span ? ` at line ${ctx.lineOf(flow.span)}` : '';
    lines.push(`**Could not verify** every use: the sample render stopped${at} (${flow.reason}). What it saw before stopping:`);
  } else {
    lines.push(`In a sample render (lists of ${flow.listLength}):`);
  }
  if (flow.checks.length) {
    lines.push('', '**Policy checks**');
    for (const c of flow.checks)
      lines.push(`- \`${c.filter}\` on ${c.paths.map(p => `\`${p}\``).join(', ')} (${c.raw ? 'raw SQL' : 'bound value'}), line ${ctx.lineOf(c.span)}`);
  } else {
    lines.push('', '**Policy checks**: none.');
  }
  lines.push('', '**Lands in the SQL**');
  if (!flow.landings.length) lines.push('- nowhere: it only steers template logic.');
  for (const [text, paths] of groupLandings(ctx, flow.landings)) lines.push(`- ${text}: ${paths.map(p => `\`${p}\``).join(', ')}`);
  const checked = new Set(flow.checks.flatMap(c => c.paths));
  const unchecked = flow.landings.filter(l => !checked.has(l.path) && (!l.bound || l.inIdentifier));
  if (unchecked.length) {
    lines.push(
      '',
      `⚠ ${[...new Set(unchecked.map(l => `\`${l.path}\``))].join(', ')} reach${unchecked.length === 1 ? 'es' : ''} the SQL as a name or raw SQL with no policy filter (${ruleLink(ctx.options, 'DCR101')}).`,
    );
  }
  return lines.join('\n');
}

function groupLandings(ctx: Ctx, landings: ArgumentLanding[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const l of landings) {
    const how = l.bound ? 'bound string literal' : 'raw SQL';
    const ident = l.inIdentifier ? 'inside `IDENTIFIER()`' : ', not inside `IDENTIFIER()`';
    const clause = l.clause ? `, after \`${l.clause}\`` : '';
    const via = l.via.length ? ` (through a macro call on line ${ctx.lineOf(l.via[l.via.length - 1]!)})` : '';
    const key = `line ${ctx.lineOf(l.source)}: ${how}${l.inIdentifier ? ' ' : ''}${ident}${clause}${via}`;
    const paths = groups.get(key) ?? [];
    if (!paths.includes(l.path)) paths.push(l.path);
    groups.set(key, paths);
  }
  return groups;
}

// ------------------------------------------------------------------ aliases in SQL text

function aliasAt(text: string, offset: number): { word: string; span: Span } | null {
  const span = wordAt(text, offset);
  if (!span || !inSpan(span, offset)) return null;
  const word = text.slice(span.start, span.end);
  if (!/^[pc]\d*$/i.test(word)) return null;
  const before = text.slice(Math.max(0, span.start - 40), span.start);
  const after = text[span.end];
  // A lone `p`/`c1` word is an alias when it qualifies a column or follows a table.
  if (after === '.' || /(\bAS\s+|\)\s*|[\w"]\s+)$/i.test(before)) return { word, span };
  return null;
}

function aliasHover(word: string, options: FeatureOptions): string {
  const api = options.api ?? 'legacy';
  const other = api === 'legacy' ? 'collaboration' : 'legacy';
  const here = aliasIndex(word, api);
  const there = aliasIndex(word, other);
  const lower = word.toLowerCase();
  const list = lower.startsWith('p') ? 'source_table' : 'my_table';
  const convention =
    api === 'legacy'
      ? `legacy (P&C) convention: \`${lower[0]}\`/\`${lower[0]}0\` = \`${list}[0]\`, \`${lower[0]}N\` = \`${list}[N]\``
      : `Collaboration convention: \`${lower[0]}\`/\`${lower[0]}1\` = \`${list}[0]\`, \`${lower[0]}N\` = \`${list}[N-1]\``;
  const lines = [
    here ? `**\`${word}\`**: table alias for \`${here.list}[${here.index}]\` (${convention}).` : `**\`${word}\`**: not an alias of the ${convention}.`,
    '',
    there
      ? `Under the ${other === 'legacy' ? 'legacy (P&C)' : 'Collaboration'} convention it means \`${there.list}[${there.index}]\`.`
      : `The ${other === 'legacy' ? 'legacy (P&C)' : 'Collaboration'} convention does not use it.`,
    '',
    list === 'source_table'
      ? `Policy filters check columns qualified with \`${lower}.\` against the policies of that table's owner.`
      : api === 'collaboration'
        ? `Columns of \`my_table\` are the runner's own local data: Collaboration does not check policies on them.`
        : `Policy filters check columns qualified with \`${lower}.\` against the consumer's policies.`,
  ];
  if (word !== lower) lines.push('', `Use lower case: the clean room resolves \`${lower}.column\`.`);
  lines.push('', `See ${ruleLink(options, 'DCR111')}.`);
  return lines.join('\n');
}
