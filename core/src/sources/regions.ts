/**
 * Where templates live in a host document, and how offsets inside a template map back to
 * the host: template files (the whole text), SQL worksheets (the template argument of
 * add_custom_sql_template / create_template_request / get_sql_jinja calls, and the spec of
 * REGISTER_TEMPLATE and any other call given a template spec) and Collaboration template specs
 * (the `template:` field of YAML with `spec_type: template`, also inside a worksheet string).
 * What cannot be read is reported as a notice, never passed over in silence.
 */
import type { Span } from '../text/span.js';
import { fileKindOf } from './fileKinds.js';
import { findCalls, type SqlCall, type SqlLiteral, type SqlArgument } from './sqlCalls.js';
import { readSpecTemplate, specDocuments } from './specTemplate.js';

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
    /** The API generation the host implies (a legacy procedure, or a Collaboration spec). */
    api?: 'legacy' | 'collaboration';
    templateName?: string;
    templateNameSpan?: Span;
    cleanroom?: string;
    cleanroomSpan?: Span;
    /** For a template inside a spec: the spec text, and maps from spec and template offsets. */
    spec?: { text: string; toHost(s: Span): Span; fromTemplate(s: Span): Span };
  };
}

/** Something in the host that should hold a checkable template but does not, or cannot be read. */
export interface SourceNotice {
  span: Span;
  message: string;
}

export interface ExtractedSources {
  regions: TemplateRegion[];
  notices: SourceNotice[];
}

export function detectKind(path?: string, languageId?: string, text?: string): DocumentKind {
  if (languageId === 'jinjasql') return 'template';
  const byName = path ? fileKindOf(path) : null;
  if (byName === 'template') return 'template';
  if (languageId === 'sql' || byName === 'worksheet') return 'worksheet';
  if (languageId === 'yaml' || byName === 'spec') {
    if (text === undefined || /^\s*spec_type\s*:\s*['"]?template\b/m.test(text)) return 'spec';
    // A spec that forgot spec_type is still a spec: REGISTER_TEMPLATE will say so (DCR404).
    return /^template\s*:/m.test(text) && /^(api_version\s*:|type\s*:\s*['"]?sql_(analysis|activation)\b)/m.test(text) && !/^spec_type\s*:/m.test(text)
      ? 'spec'
      : 'other';
  }
  return 'other';
}

export function extractTemplates(text: string, kind: DocumentKind): TemplateRegion[] {
  return extractSources(text, kind).regions;
}

export function extractSources(text: string, kind: DocumentKind): ExtractedSources {
  switch (kind) {
    case 'template': {
      if (!text.trim())
        return { regions: [], notices: [{ span: { start: 0, end: 0 }, message: 'This template file is empty: there is no template to check.' }] };
      return { regions: [{ text, hostSpan: { start: 0, end: text.length }, toHost: s => s, label: 'template', meta: {} }], notices: [] };
    }
    case 'worksheet':
      return extractFromWorksheet(text);
    case 'spec':
      return extractFromSpecFile(text);
    default:
      return { regions: [], notices: [] };
  }
}

// ------------------------------------------------------------------ offset maps

/** `hostOf[i]` is the host offset of template character i; one extra entry marks the end. */
function mappedRegion(host: string, decoded: string, hostOf: number[], label: string, meta: TemplateRegion['meta']): TemplateRegion {
  const toHost = spanMapper(hostOf, host);
  return { text: decoded, hostSpan: { start: hostOf[0]!, end: hostOf[hostOf.length - 1]! }, toHost, label, meta };
}

/**
 * Maps spans through `hostOf`. A span ends after the host text of its last character: one
 * character, or the whole escape (`\n`, `''`, `\x41`) that produced it.
 */
function spanMapper(hostOf: number[], host: string): (s: Span) => Span {
  const n = hostOf.length - 1;
  const at = (o: number) => hostOf[Math.max(0, Math.min(o, n))]!;
  const endOf = (k: number) => {
    const h = at(k);
    const next = k + 1 <= n ? at(k + 1) : h + 1;
    return (host[h] === '\\' || (host[h] === "'" && host[h + 1] === "'")) && next > h ? next : h + 1;
  };
  return s => ({ start: at(s.start), end: Math.max(at(s.start), s.end > s.start ? endOf(s.end - 1) : at(s.end)) });
}

// ------------------------------------------------------------------ SQL worksheets

interface Procedure {
  role: 'provider' | 'consumer';
  /** Argument names as the reference pages give them, in order. */
  params: string[];
  template: string;
  name?: string;
  cleanroom?: string;
}

/** Legacy procedures whose argument is a template (PROVIDER / CONSUMER reference pages). */
const TEMPLATE_PROCEDURES: Record<string, Procedure> = {
  add_custom_sql_template: {
    role: 'provider',
    params: ['cleanroom_name', 'template_name', 'template', 'sensitivity', 'consumer_locators', 'is_obfuscated'],
    template: 'template',
    name: 'template_name',
    cleanroom: 'cleanroom_name',
  },
  create_template_request: {
    role: 'consumer',
    params: ['cleanroom_name', 'template_name', 'template_definition'],
    template: 'template_definition',
    name: 'template_name',
    cleanroom: 'cleanroom_name',
  },
  get_sql_jinja: { role: 'consumer', params: ['template_string', 'arguments'], template: 'template_string' },
};

/** Collaboration procedures that take a template spec (REGISTRY reference page). */
const SPEC_PROCEDURES = new Set(['register_template']);

/** Clean room procedures: a worksheet calling them but yielding no template is said so. */
const CLEANROOM_SCHEMAS = new Set(['provider', 'consumer', 'collaboration', 'registry']);
const CLEANROOM_PROCEDURES =
  /^(add_template_request|run_analysis|run_activation|register_\w+|add_templates?|view_template_definition|view_templates|view_registered_templates|approve_template_request|list_template_requests|prepare_multiprovider_flow|link_data_offering|initialize|cleanroom_init|set_join_policy|set_column_policy|set_activation_policy)$/;

function argument(call: SqlCall, proc: Procedure, param: string): SqlArgument | undefined {
  const named = call.args.find(a => a.name === param);
  if (named) return named;
  const index = proc.params.indexOf(param);
  const positional = call.args.filter(a => a.name === undefined);
  // Snowflake accepts either all-positional or all-named arguments.
  return call.args.some(a => a.name !== undefined) ? undefined : positional[index];
}

function extractFromWorksheet(text: string): ExtractedSources {
  const regions: TemplateRegion[] = [];
  const notices: SourceNotice[] = [];
  const calls = findCalls(text);
  let cleanroomCall: SqlCall | undefined;
  for (const call of calls) {
    const proc = TEMPLATE_PROCEDURES[call.name];
    if (proc) {
      const tpl = argument(call, proc, proc.template);
      if (!tpl?.literal) {
        notices.push({ span: call.nameSpan, message: unreadable(call.name, tpl, proc.template) });
        continue;
      }
      if (!tpl.literal.value.trim()) {
        notices.push({ span: call.nameSpan, message: `The template of this ${call.name} call is empty: there is nothing to check.` });
        continue;
      }
      const meta: TemplateRegion['meta'] = { procedure: call.name, role: proc.role, api: 'legacy' };
      const nameArg = proc.name ? argument(call, proc, proc.name) : undefined;
      if (nameArg?.literal) {
        meta.templateName = nameArg.literal.value;
        meta.templateNameSpan = { start: nameArg.literal.contentStart, end: nameArg.literal.contentEnd };
      }
      const roomArg = proc.cleanroom ? argument(call, proc, proc.cleanroom) : undefined;
      if (roomArg?.literal) {
        meta.cleanroom = roomArg.literal.value;
        meta.cleanroomSpan = { start: roomArg.literal.contentStart, end: roomArg.literal.contentEnd };
      }
      const label = `${call.name}(${meta.templateName ? `'${meta.templateName}'` : '…'})`;
      regions.push(mappedRegion(text, tpl.literal.value, tpl.literal.hostOf, label, meta));
      continue;
    }
    // Any call given a template spec: REGISTER_TEMPLATE, and whatever else takes one.
    let found = false;
    for (const arg of call.args) {
      if (!arg.literal || !looksLikeSpec(arg.literal.value)) continue;
      found = true;
      const inner = fromSpecText(text, arg.literal.value, arg.literal, call.nameSpan);
      regions.push(...inner.regions);
      notices.push(...inner.notices);
    }
    if (!found && SPEC_PROCEDURES.has(call.name)) {
      // The spec is the last argument (an optional registry name comes first).
      const arg = call.args.find(a => a.name === 'template_spec') ?? call.args[call.args.length - 1];
      if (arg?.literal) {
        const inner = fromSpecText(text, arg.literal.value, arg.literal, call.nameSpan);
        regions.push(...inner.regions);
        notices.push(...inner.notices);
      } else notices.push({ span: call.nameSpan, message: unreadable(call.name, arg, 'template_spec') });
      continue;
    }
    if (!found && !cleanroomCall && isCleanroomCall(call)) cleanroomCall = call;
  }
  if (!regions.length && !notices.length && !cleanroomCall && isTemplateInSqlFile(text)) {
    // Repositories often keep a template in a plain .sql file: Jinja outside any string, using
    // what only a clean room template uses. No worksheet can hold that, so it is a template.
    return { regions: [{ text, hostSpan: { start: 0, end: text.length }, toHost: s => s, label: 'template', meta: {} }], notices: [] };
  }
  if (!regions.length && !notices.length && cleanroomCall) {
    notices.push({
      span: cleanroomCall.nameSpan,
      message:
        'No template found in this worksheet: its clean room calls carry none (templates are read from add_custom_sql_template, create_template_request, get_sql_jinja and REGISTER_TEMPLATE calls).',
    });
  }
  return { regions, notices };
}

const CLEANROOM_JINJA = /\b(source_table|my_table)\b|\|\s*(sqlsafe|join_policy|column_policy|activation_policy|join_and_column_policy)\b/;

function isTemplateInSqlFile(text: string): boolean {
  if (!/\{\{|\{%/.test(text)) return false;
  // Jinja outside SQL strings and comments (a worksheet can only carry it inside strings).
  const code = sqlCodeOnly(text);
  return /\{\{|\{%/.test(code) && CLEANROOM_JINJA.test(code);
}

/** The text with SQL string literals and comments blanked out, in one linear pass. */
function sqlCodeOnly(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    let end = -1;
    if (two === '$$') end = (text.indexOf('$$', i + 2) + 1 || text.length - 1) + 1;
    else if (two === '--' || two === '//') end = (text.indexOf('\n', i) + 1 || text.length + 1) - 1;
    else if (two === '/*') end = (text.indexOf('*/', i + 2) + 1 || text.length - 1) + 1;
    else if (c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      // '' inside a string is an escaped quote: the string goes on.
      while (text[j + 1] === "'") {
        j += 2;
        while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      }
      end = Math.min(j + 1, text.length);
    }
    if (end > i) {
      out += ' ';
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function isCleanroomCall(call: SqlCall): boolean {
  if (call.path.length > 1 && call.path.slice(0, -1).some(p => p === 'samooha_by_snowflake_local_db')) return true;
  return call.path.length > 1 && CLEANROOM_SCHEMAS.has(call.path[call.path.length - 2]!) && CLEANROOM_PROCEDURES.test(call.name);
}

function unreadable(procedure: string, arg: SqlArgument | undefined, param: string): string {
  if (!arg) return `Could not read the template of this ${procedure} call: it has no '${param}' argument.`;
  if (arg.variable)
    return `Could not read the template of this ${procedure} call: '$${arg.variable}' is a session variable not set to a string literal in this worksheet.`;
  return `Could not read the template of this ${procedure} call: its '${param}' argument (${clip(arg.text)}) is not a string literal.`;
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}…` : s);

/** A spec text: a YAML mapping with a top-level spec_type or template key. */
function looksLikeSpec(value: string): boolean {
  return (
    /^\s*spec_type\s*:\s*['"]?template\b/m.test(value) ||
    (/^\s*template\s*:/m.test(value) && /^\s*(api_version|name)\s*:/m.test(value) && !/^\s*spec_type\s*:/m.test(value))
  );
}

// ------------------------------------------------------------------ template specs (YAML)

function extractFromSpecFile(text: string): ExtractedSources {
  const identity = (from: number, to: number) => {
    const hostOf: number[] = [];
    for (let k = from; k <= to; k++) hostOf.push(k);
    return hostOf;
  };
  const docs = specDocuments(text);
  if (!docs) return fromSpecText(text, text, { hostOf: identity(0, text.length) }, { start: 0, end: 0 });
  if (!docs.length)
    return {
      regions: [],
      notices: [{ span: { start: 0, end: 0 }, message: "None of the YAML documents in this file has a 'template' field, so there is no template to check." }],
    };
  // Several specs in one file (`---`): each document is a spec of its own.
  const out: ExtractedSources = { regions: [], notices: [] };
  for (const [start, end] of docs) {
    const one = fromSpecText(text, text.slice(start, end), { hostOf: identity(start, end) }, { start, end: start });
    out.regions.push(...one.regions);
    out.notices.push(...one.notices);
  }
  return out;
}

/** The template of a spec whose characters sit at `outer.hostOf` in the host. */
function fromSpecText(host: string, spec: string, outer: Pick<SqlLiteral, 'hostOf'>, anchor: Span): ExtractedSources {
  const specToHost = spanMapper(outer.hostOf, host);
  const read = readSpecTemplate(spec);
  if ('problem' in read) {
    const span = read.at ? specToHost(read.at) : anchor;
    return { regions: [], notices: [{ span, message: read.problem }] };
  }
  if (!read.value.trim()) {
    const at = read.name ? specToHost(read.name.span) : anchor;
    return { regions: [], notices: [{ span: at, message: "This spec's template is empty: there is nothing to check." }] };
  }
  const hostOf = read.hostOf.map(o => outer.hostOf[Math.max(0, Math.min(o, outer.hostOf.length - 1))]!);
  const meta: TemplateRegion['meta'] = { role: 'collaboration', api: 'collaboration' };
  if (read.name !== undefined) {
    meta.templateName = read.name.value;
    meta.templateNameSpan = specToHost(read.name.span);
  }
  const fromTemplate = spanMapper(read.hostOf, spec);
  meta.spec = { text: spec, toHost: specToHost, fromTemplate };
  const label = `template spec${meta.templateName ? ` '${meta.templateName}'` : ''}`;
  const notices = read.yamlError ? [{ span: specToHost(read.yamlError.at), message: read.yamlError.message }] : [];
  return { regions: [mappedRegion(host, read.value, hostOf, label, meta)], notices };
}

export type { SqlArgument };
