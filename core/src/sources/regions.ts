/**
 * Where templates live in a host document, and how offsets inside a template map back to
 * the host: template files (the whole text), SQL worksheets (the template argument of
 * add_custom_sql_template / create_template_request calls) and Collaboration template specs
 * (the `template:` field of YAML with `spec_type: template`).
 */
import type { Span } from '../text/span.js';
import { fileKindOf } from './fileKinds.js';
import { parseDocument as parseYaml, isMap, isScalar, type Scalar } from 'yaml';

export type DocumentKind = 'template' | 'worksheet' | 'spec' | 'other';

export interface TemplateRegion {
  /** The template exactly as the clean room receives it. */
  readonly text: string;
  /** The host range holding the template (inside quotes/delimiters). */
  readonly hostSpan: Span;
  /** Maps a span of `text` to the host document. */
  toHost(s: Span): Span;
  /** Human-readable origin, e.g. "create_template_request('multiprovider_overlap_analysis')". */
  readonly label: string;
  /** What the host says about the template, when it says it. */
  readonly meta: {
    procedure?: string;
    role?: 'provider' | 'consumer' | 'collaboration';
    templateName?: string;
    templateNameSpan?: Span;
    cleanroom?: string;
    cleanroomSpan?: Span;
  };
}


export function detectKind(path?: string, languageId?: string, text?: string): DocumentKind {
  if (languageId === 'jinjasql') return 'template';
  const byName = path ? fileKindOf(path) : null;
  if (byName === 'template') return 'template';
  if (languageId === 'sql' || byName === 'worksheet') return 'worksheet';
  if (languageId === 'yaml' || byName === 'spec') {
    return text === undefined || /^\s*spec_type\s*:\s*['"]?template\b/m.test(text) ? 'spec' : 'other';
  }
  return 'other';
}

export function extractTemplates(text: string, kind: DocumentKind): TemplateRegion[] {
  switch (kind) {
    case 'template':
      return [{ text, hostSpan: { start: 0, end: text.length }, toHost: s => s, label: 'template', meta: {} }];
    case 'worksheet':
      return extractFromWorksheet(text);
    case 'spec':
      return extractFromSpec(text);
    default:
      return [];
  }
}

// ------------------------------------------------------------------ offset maps

/**
 * Maps offsets of a decoded string to offsets of its encoded host form. `hostOf[i]` is the
 * host offset of decoded character i; one extra entry marks the end.
 */
function mappedRegion(decoded: string, hostOf: number[], label: string, meta: TemplateRegion['meta']): TemplateRegion {
  const at = (o: number) => hostOf[Math.max(0, Math.min(o, hostOf.length - 1))]!;
  return {
    text: decoded,
    hostSpan: { start: hostOf[0]!, end: hostOf[hostOf.length - 1]! },
    toHost: s => ({ start: at(s.start), end: Math.max(at(s.start), s.end > s.start ? at(s.end - 1) + 1 : at(s.end)) }),
    label,
    meta,
  };
}

function sliceRegion(host: string, start: number, end: number, label: string, meta: TemplateRegion['meta']): TemplateRegion {
  return { text: host.slice(start, end), hostSpan: { start, end }, toHost: s => ({ start: s.start + start, end: s.end + start }), label, meta };
}

// ------------------------------------------------------------------ SQL worksheets

const PROCEDURES: Record<string, { role: 'provider' | 'consumer'; templateArg: number; nameArg: number }> = {
  add_custom_sql_template: { role: 'provider', templateArg: 2, nameArg: 1 },
  create_template_request: { role: 'consumer', templateArg: 2, nameArg: 1 },
};

interface SqlArg {
  start: number;
  end: number;
  /** A string literal argument, decoded, with its host offsets. */
  literal?: { value: string; hostOf: number[]; dollar: boolean; contentStart: number; contentEnd: number };
}

function extractFromWorksheet(text: string): TemplateRegion[] {
  const regions: TemplateRegion[] = [];
  let i = 0;
  while (i < text.length) {
    const skip = skipNonCode(text, i);
    if (skip !== i) {
      i = skip;
      continue;
    }
    const c = text[i]!;
    if (/[a-z_"]/i.test(c)) {
      const ident = readIdentifier(text, i);
      const name = ident.name.toLowerCase();
      const proc = PROCEDURES[name];
      if (proc) {
        const j = skipSpace(text, ident.end);
        if (text[j] === '(') {
          const args = readArgs(text, j);
          const tpl = args[proc.templateArg];
          const nameArg = args[proc.nameArg];
          const cleanroomArg = args[0];
          if (tpl?.literal) {
            const meta: TemplateRegion['meta'] = { procedure: name, role: proc.role };
            if (nameArg?.literal) {
              meta.templateName = nameArg.literal.value;
              meta.templateNameSpan = { start: nameArg.literal.contentStart, end: nameArg.literal.contentEnd };
            }
            if (cleanroomArg?.literal) {
              meta.cleanroom = cleanroomArg.literal.value;
              meta.cleanroomSpan = { start: cleanroomArg.literal.contentStart, end: cleanroomArg.literal.contentEnd };
            }
            const label = `${name}(${meta.templateName ? `'${meta.templateName}'` : '…'})`;
            regions.push(
              tpl.literal.dollar
                ? sliceRegion(text, tpl.literal.contentStart, tpl.literal.contentEnd, label, meta)
                : mappedRegion(tpl.literal.value, tpl.literal.hostOf, label, meta),
            );
          }
          i = args.length ? args[args.length - 1]!.end : j + 1;
          continue;
        }
      }
      i = ident.end;
      continue;
    }
    i++;
  }
  return regions;
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const j = skipNonCode(text, i, true);
    if (j === i) return i;
    i = j;
  }
}

/** Skips whitespace and comments (and, unless onlyTrivia, string literals). */
function skipNonCode(text: string, i: number, onlyTrivia = false): number {
  const c = text[i];
  if (c === undefined) return i;
  if (/\s/.test(c)) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    return i;
  }
  if (c === '-' && text[i + 1] === '-') {
    const nl = text.indexOf('\n', i);
    return nl < 0 ? text.length : nl + 1;
  }
  if (c === '/' && text[i + 1] === '*') {
    const e = text.indexOf('*/', i + 2);
    return e < 0 ? text.length : e + 2;
  }
  if (onlyTrivia) return i;
  if (c === "'" || (c === '$' && text[i + 1] === '$')) return readLiteral(text, i).end;
  return i;
}

function readIdentifier(text: string, i: number): { name: string; end: number } {
  // Dotted, optionally quoted parts: samooha_by_snowflake_local_db."CONSUMER".create_template_request
  let name = '';
  let j = i;
  for (;;) {
    if (text[j] === '"') {
      const e = text.indexOf('"', j + 1);
      if (e < 0) return { name, end: text.length };
      name = text.slice(j + 1, e);
      j = e + 1;
    } else {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(j, j + 256));
      if (!m) return { name, end: Math.max(j, i + 1) };
      name = m[0];
      j += m[0].length;
    }
    if (text[j] === '.') j++;
    else return { name, end: j };
  }
}

function readLiteral(text: string, i: number): { end: number; literal: NonNullable<SqlArg['literal']> } {
  if (text[i] === '$') {
    const close = text.indexOf('$$', i + 2);
    const contentEnd = close < 0 ? text.length : close;
    const hostOf: number[] = [];
    return {
      end: close < 0 ? text.length : close + 2,
      literal: { value: text.slice(i + 2, contentEnd), hostOf, dollar: true, contentStart: i + 2, contentEnd },
    };
  }
  // Snowflake single-quoted strings: '' and backslash escapes.
  let value = '';
  const hostOf: number[] = [];
  let j = i + 1;
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0', "'": "'", '"': '"', '\\': '\\' };
  while (j < text.length) {
    const c = text[j]!;
    if (c === "'") {
      if (text[j + 1] === "'") {
        hostOf.push(j);
        value += "'";
        j += 2;
        continue;
      }
      break;
    }
    if (c === '\\' && j + 1 < text.length) {
      const n = text[j + 1]!;
      hostOf.push(j);
      value += escapes[n] ?? n;
      j += 2;
      continue;
    }
    hostOf.push(j);
    value += c;
    j++;
  }
  hostOf.push(j);
  return { end: Math.min(j + 1, text.length), literal: { value, hostOf, dollar: false, contentStart: i + 1, contentEnd: j } };
}

/** Reads `( a, b, ... )` starting at the `(`; stops at the matching `)` or a `;`. */
function readArgs(text: string, open: number): SqlArg[] {
  const args: SqlArg[] = [];
  let depth = 0;
  let i = open + 1;
  let argStart = i;
  let literal: SqlArg['literal'];
  let other = false;
  const finish = (end: number) => {
    const a: SqlArg = { start: argStart, end };
    if (literal && !other) a.literal = literal;
    args.push(a);
    literal = undefined;
    other = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    const trivia = skipNonCode(text, i, true);
    if (trivia !== i) {
      i = trivia;
      continue;
    }
    if (c === "'" || (c === '$' && text[i + 1] === '$')) {
      const r = readLiteral(text, i);
      if (depth === 0 && !literal && !other) literal = r.literal;
      else other = true;
      i = r.end;
      continue;
    }
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (depth === 0) {
        finish(i);
        return args;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      finish(i);
      argStart = i + 1;
      i++;
      continue;
    } else if (c === ';' && depth === 0) {
      finish(i);
      return args;
    } else other = true;
    i++;
  }
  finish(text.length);
  return args;
}

// ------------------------------------------------------------------ template specs (YAML)

function extractFromSpec(text: string): TemplateRegion[] {
  let doc;
  try {
    doc = parseYaml(text, { keepSourceTokens: true, strict: false });
  } catch {
    return [];
  }
  const root = doc.contents;
  if (!isMap(root)) return [];
  const pair = root.items.find(p => isScalar(p.key) && p.key.value === 'template');
  if (!pair || !isScalar(pair.value) || typeof pair.value.value !== 'string') return [];
  const scalar = pair.value as Scalar<string>;
  const nameNode = root.items.find(p => isScalar(p.key) && p.key.value === 'name')?.value;
  const meta: TemplateRegion['meta'] = { role: 'collaboration' };
  if (isScalar(nameNode) && typeof nameNode.value === 'string') {
    meta.templateName = nameNode.value;
    if (nameNode.range) meta.templateNameSpan = { start: nameNode.range[0], end: nameNode.range[1] };
  }
  const [start, valueEnd] = scalar.range ?? [0, 0];
  const value = scalar.value;
  const label = `template spec${meta.templateName ? ` '${meta.templateName}'` : ''}`;
  if (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED') {
    return [mappedRegion(value, mapBlockScalar(text, start, valueEnd, value), label, meta)];
  }
  if (scalar.type === 'PLAIN') return [sliceRegion(text, start, start + value.length, label, meta)];
  // Quoted scalars: map character by character where the source matches, else approximate.
  const hostOf: number[] = [];
  let h = start + 1;
  for (let k = 0; k < value.length; k++) {
    while (h < valueEnd && text[h] !== value[k] && text[h] === '\\') h++;
    hostOf.push(Math.min(h, valueEnd));
    h++;
  }
  hostOf.push(Math.min(h, valueEnd));
  return [mappedRegion(value, hostOf, label, meta)];
}

/**
 * A literal block scalar is the source lines with their common indentation removed, so each
 * value line maps to its source line shifted by the indentation.
 */
function mapBlockScalar(text: string, start: number, end: number, value: string): number[] {
  const headerEnd = text.indexOf('\n', start);
  const body = headerEnd < 0 ? end : headerEnd + 1;
  const lines: { start: number; text: string }[] = [];
  let p = body;
  while (p < end) {
    const nl = text.indexOf('\n', p);
    const e = nl < 0 || nl > end ? end : nl;
    lines.push({ start: p, text: text.slice(p, e) });
    p = e + 1;
  }
  const indents = lines.filter(l => l.text.trim()).map(l => /^ */.exec(l.text)![0].length);
  const indent = indents.length ? Math.min(...indents) : 0;
  const hostOf: number[] = [];
  let li = 0;
  let col = 0;
  for (let k = 0; k < value.length; k++) {
    const line = lines[li];
    if (!line) {
      hostOf.push(end);
      continue;
    }
    hostOf.push(line.start + Math.min(indent, line.text.length) + col);
    if (value[k] === '\n') {
      li++;
      col = 0;
    } else col++;
  }
  const lastLine = lines[li];
  hostOf.push(lastLine ? lastLine.start + Math.min(indent, lastLine.text.length) + col : end);
  return hostOf;
}
