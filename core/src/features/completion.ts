/**
 * Completion inside Jinja only (`{{ }}` and `{% %}`): filters after `|` (clean room policy
 * filters first), tests after `is`, tag names after `{%`, loop attributes after `loop.`,
 * and in expressions the names in scope, the template's caller arguments and the reserved
 * clean room variables. The context comes from the lexer's tokens, which survive the
 * half-typed tags a user is in the middle of.
 */
import type { DocumentModel, ParsedRegion } from '../analysis/model.js';
import type * as A from '../jinja/ast.js';
import type { Token } from '../jinja/ast.js';
import { freeVariables } from '../jinja/symbolic.js';
import type { Span } from '../text/span.js';
import { END_TAG, FILTER_FACTS, GLOBAL_FACTS, LOOP_ATTRIBUTES, LOOP_DOC, RESERVED_FACTS, TAG_FACTS, TEST_FACTS } from './facts.js';
import { locate, visit } from './locate.js';
import { enclosingLoop, scopeAt, scopesOf, visibleDecls, type Decl } from './scopes.js';

export type CompletionKind = 'filter' | 'test' | 'keyword' | 'variable' | 'argument' | 'reserved' | 'macro' | 'property' | 'function';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  sortText: string;
}

export interface CompletionResult {
  items: CompletionEntry[];
  /** Host range the chosen item replaces (the partly typed word, or empty). */
  span: Span;
}

const BEGIN = new Set(['variable_begin', 'block_begin']);
const END = new Set(['variable_end', 'block_end']);
/** After these a new operand starts, so names make sense. */
const EXPR_KEYWORDS = new Set(['in', 'not', 'and', 'or', 'if', 'elif', 'else', 'is']);
const OPERAND_END = new Set([')', ']', '}']);
/** Tags whose next word is a new name (or nothing), never an existing one. */
const DECLARING_TAGS = new Set(['for', 'set', 'macro', 'block', 'raw', 'endraw', ...Object.values(END_TAG), 'else']);

export function doComplete(model: DocumentModel, hostOffset: number): CompletionResult | null {
  const at = locate(model, hostOffset);
  if (!at) return null;
  const { template, offset } = at;
  const ctx = tagContext(template.parse.tokens, offset);
  if (!ctx) return null;
  const span = template.region.toHost(ctx.word ?? { start: offset, end: offset });
  const items = entriesFor(template, offset, ctx);
  return items ? { items, span } : null;
}

interface TagContext {
  kind: 'variable' | 'block';
  /** Tokens of the tag before the cursor (without the begin token and the word being typed). */
  before: Token[];
  /** The name being typed, when the cursor is in or right after one. */
  word: Span | null;
}

function tagContext(tokens: readonly Token[], offset: number): TagContext | null {
  let open = -1;
  let i = 0;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.span.start >= offset && !(BEGIN.has(t.type) && t.span.end === offset)) break;
    if (BEGIN.has(t.type)) open = t.span.end <= offset ? i : -1;
    // A zero-width end is the lexer closing a tag left open at the end of the text.
    else if (END.has(t.type) && t.span.end > t.span.start) open = -1;
    else if (t.type === 'data' || t.type === 'comment' || t.type === 'raw') open = -1;
  }
  if (open < 0) return null;
  let before = tokens.slice(open + 1, i);
  let word: Span | null = null;
  const last = before[before.length - 1];
  if (last && last.span.end >= offset) {
    if (last.type === 'string' || last.type === 'integer' || last.type === 'float') return null;
    if (last.type === 'name') {
      word = last.span;
      before = before.slice(0, -1);
    }
  }
  return { kind: tokens[open]!.type === 'block_begin' ? 'block' : 'variable', before, word };
}

function entriesFor(template: ParsedRegion, offset: number, ctx: TagContext): CompletionEntry[] | null {
  const { before } = ctx;
  const prev = before[before.length - 1];
  const prev2 = before[before.length - 2];
  if (!prev) return ctx.kind === 'block' ? tagEntries(template.parse.template, offset) : expressionEntries(template, offset, ctx.word);
  const tagName = ctx.kind === 'block' && before[0]?.type === 'name' ? before[0].value : null;
  if (prev.type === 'operator' && prev.value === '|') return filterEntries();
  if (prev === before[0] && tagName === 'filter') return filterEntries();
  if (prev.type === 'name' && prev.value === 'is' && prev !== before[0]) return testEntries();
  if (prev.type === 'name' && prev.value === 'not' && prev2?.type === 'name' && prev2.value === 'is') return testEntries();
  if (prev.type === 'operator' && prev.value === '.') {
    if (prev2?.type === 'name' && prev2.value === 'loop') return loopEntries();
    return null;
  }
  if (prev === before[0] && tagName && DECLARING_TAGS.has(tagName)) return null;
  if (tagName === 'for' && !before.some(t => t.type === 'name' && t.value === 'in')) return null;
  if (prev.type === 'name' && !EXPR_KEYWORDS.has(prev.value) && !(tagName && prev === before[0])) return null;
  if (prev.type === 'operator' && OPERAND_END.has(prev.value)) return null;
  if (prev.type === 'string' || prev.type === 'integer' || prev.type === 'float') return null;
  return expressionEntries(template, offset, ctx.word);
}

// ------------------------------------------------------------------ entry lists

const GROUP_SORT = { policy: '0', jinjasql: '1', jinja: '2' } as const;
const GROUP_DETAIL = { policy: 'clean room policy filter', jinjasql: 'JinjaSQL filter', jinja: 'Jinja filter' } as const;

function filterEntries(): CompletionEntry[] {
  return FILTER_FACTS.map(f => ({
    label: f.name,
    kind: 'filter',
    detail: `${f.signature} (${GROUP_DETAIL[f.group]})`,
    documentation: f.doc,
    sortText: `${GROUP_SORT[f.group]}_${f.name}`,
  }));
}

function testEntries(): CompletionEntry[] {
  return TEST_FACTS.map(t => ({ label: t.name, kind: 'test', detail: 'Jinja test', documentation: t.doc, sortText: `0_${t.name}` }));
}

function loopEntries(): CompletionEntry[] {
  return LOOP_ATTRIBUTES.map((a, i) => ({
    label: a.name,
    kind: 'property',
    detail: `loop.${a.name}`,
    documentation: a.doc,
    sortText: `0_${String(i).padStart(2, '0')}`,
  }));
}

function tagEntries(root: A.TemplateNode, offset: number): CompletionEntry[] {
  // The end tags of the blocks around the cursor come first, innermost first.
  const open: string[] = [];
  visit(root, n => {
    const end = END_TAG[n.kind];
    if (end && 'tag' in n && n.tag.end <= offset && offset <= n.span.end) open.unshift(end);
  });
  return TAG_FACTS.map(t => {
    const rank = open.indexOf(t.name);
    return { label: t.name, kind: 'keyword' as const, detail: 'tag', documentation: t.doc, sortText: rank >= 0 ? `0_${rank}` : `1_${t.name}` };
  });
}

function expressionEntries(template: ParsedRegion, offset: number, word: Span | null): CompletionEntry[] {
  const root = template.parse.template;
  const info = scopesOf(root);
  const scope = scopeAt(info, offset);
  const items: CompletionEntry[] = [];
  const seen = new Set<string>();
  const add = (e: CompletionEntry) => {
    if (seen.has(e.label)) return;
    seen.add(e.label);
    items.push(e);
  };
  for (const d of visibleDecls(scope)) add(declEntry(template, d));
  if (enclosingLoop(scope)) add({ label: 'loop', kind: 'variable', detail: 'loop state', documentation: LOOP_DOC, sortText: '0_loop' });
  if (scope.kind === 'macro' || hasMacroAncestor(scope)) add({ label: 'caller', kind: 'function', detail: 'body of the {% call %}', sortText: '4_caller' });
  // The word being typed reads as a free name too; it is not an argument yet.
  const typed = info.reads.filter(r => !(word && r.span.start === word.start));
  const used = new Set(typed.map(r => r.name));
  const reserved = new Map(RESERVED_FACTS.map(r => [r.name, r]));
  for (const name of [...freeVariables(root)].sort()) {
    if (!used.has(name) || reserved.has(name)) continue;
    add({
      label: name,
      kind: 'argument',
      detail: 'caller-supplied argument',
      documentation: 'Passed by the analysis run; nothing in the template assigns it.',
      sortText: `1_${name}`,
    });
  }
  for (const r of RESERVED_FACTS)
    add({ label: r.name, kind: 'reserved', detail: `reserved clean room variable (${r.shape})`, documentation: r.doc, sortText: `2_${r.name}` });
  for (const g of GLOBAL_FACTS) add({ label: g.name, kind: 'function', detail: 'Jinja global', documentation: g.doc, sortText: `3_${g.name}` });
  for (const k of ['true', 'false', 'none', 'not']) add({ label: k, kind: 'keyword', sortText: `5_${k}` });
  return items;
}

function hasMacroAncestor(scope: ReturnType<typeof scopeAt>): boolean {
  for (let s: typeof scope | null = scope; s; s = s.parent) if (s.kind === 'macro') return true;
  return false;
}

function declEntry(template: ParsedRegion, d: Decl): CompletionEntry {
  if (d.kind === 'macro') {
    const m = d.node as A.MacroNode;
    const sig = m.params.map(p => template.region.text.slice(p.span.start, p.span.end)).join(', ');
    return { label: d.name, kind: 'macro', detail: `macro ${d.name}(${sig})`, sortText: `0_${d.name}` };
  }
  const detail = { set: 'template variable', param: 'macro parameter', loop: 'loop variable', with: 'with variable' }[d.kind];
  return { label: d.name, kind: 'variable', detail, sortText: `0_${d.name}` };
}
