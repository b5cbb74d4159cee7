/**
 * Reads a `cleanrooms.json` profile (schemas/cleanrooms.schema.json; docs/architecture.md). Tolerant: comments and trailing commas
 * are accepted (users paste and annotate), every problem becomes a DCR301 finding at its
 * exact place in the profile text, and the invalid part is skipped so the rest still works.
 *
 * `ProfileSide.spans` keys: `tables/<TABLE>`, `tables/<TABLE>/<COLUMN>`, `<policy>` (the key),
 * `<policy>/<entry>` where <policy> is joinPolicy, columnPolicy or activationPolicy.
 */
import { templateBaseName } from '../sources/fileKinds.js';
import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
import type { Finding, Severity } from '../findings.js';
import type { Span } from '../text/span.js';
import { PyDict, PyFloat, type PyValue } from '../jinja/runtime/values.js';
import { finding } from '../rules/finding.js';
import type { Profile, ProfileAnalysis, ProfileCleanRoom, ProfileSide } from './types.js';
import { PROVIDED_TABLE_LISTS } from '../provided.js';

export type PolicyKey = 'joinPolicy' | 'columnPolicy' | 'activationPolicy';
export const POLICY_KEYS: readonly PolicyKey[] = ['joinPolicy', 'columnPolicy', 'activationPolicy'];

/** Who runs the analysis; policies are never checked on the runner's own data. */
export type Runner = 'consumer' | 'provider';

/** Extra, optional facts kept beside the contract's fields. */
export interface ProfileAnalysisExtra {
  templateSpan?: Span;
  templateNameExplicit?: boolean;
  /** Span of each `cleanrooms` entry, in order. */
  cleanroomSpans?: Span[];
  /** Span of every argument value by path: `dimensions`, `dimensions[1]`, `a.b`. */
  argumentValueSpans?: Map<string, Span>;
  runAs?: Runner;
}

export interface ProfileCleanRoomExtra {
  templateSpans?: Map<string, Span>;
}

const PART = String.raw`(?:"[^"]+"|[^.:"\s]+)`;
const TABLE_RE = new RegExp(`^${PART}\\.${PART}\\.${PART}$`);
const JOIN_RE = new RegExp(`^${PART}\\.${PART}\\.${PART}:${PART}$`);
const COLUMN_RE = new RegExp(`^[^:\\s][^:]*:${PART}\\.${PART}\\.${PART}:${PART}$`);

export { templateBaseName };

const spanOf = (n: Node): Span => ({ start: n.offset, end: n.offset + n.length });

function emptySide(): ProfileSide {
  return { tables: null, joinPolicy: null, columnPolicy: null, activationPolicy: null, spans: new Map() };
}

/** Deeper than any profile a person writes, far below what the stack can take. */
export const MAX_DEPTH = 256;

/** Offset of the first `{` or `[` that opens level `max + 1`, or null. */
function firstTooDeep(text: string, max: number): number | null {
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let t = scanner.scan(); t !== SyntaxKind.EOF; t = scanner.scan()) {
    if (t === SyntaxKind.OpenBraceToken || t === SyntaxKind.OpenBracketToken) {
      if (++depth > max) return scanner.getTokenOffset();
    } else if (t === SyntaxKind.CloseBraceToken || t === SyntaxKind.CloseBracketToken) depth = Math.max(0, depth - 1);
  }
  return null;
}

export function parseProfile(text: string): Profile {
  const problems: Finding[] = [];
  const problem = (message: string, span: Span, severity: Severity = 'error') => {
    const f = finding('DCR301', message, span);
    f.severity = severity;
    problems.push(f);
  };
  /** A problem that leaves nothing of the profile usable: 'syntax' (not JSON), 'limit', 'shape' (not an object). */
  const unreadable = (message: string, span: Span, why: 'syntax' | 'limit' | 'shape') => {
    problem(message, span);
    problems[problems.length - 1]!.data = { unreadable: why };
  };
  const profile: Profile = { api: 'legacy', cleanrooms: new Map(), analyses: new Map(), problems };
  // The JSON tree is built recursively: a hostile profile nested 100,000 levels deep would
  // overflow the stack, so depth is measured first with the (iterative) scanner.
  const tooDeep = firstTooDeep(text, MAX_DEPTH);
  if (tooDeep !== null) {
    unreadable(
      `Invalid profile: nested more than ${MAX_DEPTH} levels deep; a clean room profile needs a handful`,
      { start: tooDeep, end: tooDeep + 1 },
      'limit',
    );
    return profile;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors)
    unreadable(`Invalid profile: ${describeParseError(printParseErrorCode(e.error))}`, { start: e.offset, end: e.offset + Math.max(e.length, 0) }, 'syntax');
  if (!root) return profile;
  if (root.type !== 'object') {
    unreadable('Invalid profile: cleanrooms.json must hold a JSON object', spanOf(root), 'shape');
    return profile;
  }
  let analysesNode: Node | null = null;
  for (const [key, keyNode, value] of properties(root)) {
    if (key === '$schema') continue;
    if (key === 'api') {
      if (value && value.type === 'string' && (value.value === 'legacy' || value.value === 'collaboration')) {
        profile.api = value.value;
        profile.apiExplicit = true;
      } else problem(`Invalid profile: "api" must be "legacy" or "collaboration"; using "legacy"`, value ? spanOf(value) : spanOf(keyNode));
    } else if (key === 'cleanrooms') {
      if (!value || value.type !== 'object') {
        problem('Invalid profile: "cleanrooms" must be an object of clean rooms by name', value ? spanOf(value) : spanOf(keyNode));
        continue;
      }
      for (const [name, nameNode, roomNode] of properties(value)) {
        const room = parseRoom(name, nameNode, roomNode, problem);
        if (!room) continue;
        if (profile.cleanrooms.has(name)) problem(`Invalid profile: clean room '${name}' is defined twice; the later one is used`, spanOf(nameNode), 'warning');
        profile.cleanrooms.set(name, room);
      }
    } else if (key === 'analyses') {
      if (!value || value.type !== 'object')
        problem('Invalid profile: "analyses" must be an object of analyses by name', value ? spanOf(value) : spanOf(keyNode));
      else analysesNode = value;
    } else {
      problem(`Invalid profile: unknown key "${key}" is ignored (expected api, cleanrooms, analyses)`, spanOf(keyNode), 'warning');
    }
  }
  // Analyses last: they refer to clean rooms, which may be written after them.
  if (analysesNode) {
    for (const [name, nameNode, node] of properties(analysesNode)) {
      const a = parseAnalysis(name, nameNode, node, profile, problem, text);
      if (a) profile.analyses.set(name, a);
    }
  }
  return profile;
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'a property name in double quotes was expected',
    ValueExpected: 'a value was expected',
    ColonExpected: "':' was expected",
    CommaExpected: "',' was expected",
    CloseBraceExpected: "'}' was expected",
    CloseBracketExpected: "']' was expected",
    EndOfFileExpected: 'end of file was expected',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  return words[code] ?? code;
}

/** [key, key node, value node] of an object node; properties with no value give null. */
function properties(obj: Node): [string, Node, Node | null][] {
  const out: [string, Node, Node | null][] = [];
  for (const p of obj.children ?? []) {
    const k = p.children?.[0];
    if (!k || k.type !== 'string') continue;
    out.push([String(k.value), k, p.children?.[1] ?? null]);
  }
  return out;
}

type Problem = (message: string, span: Span, severity?: Severity) => void;

function parseRoom(name: string, nameNode: Node, node: Node | null, problem: Problem): (ProfileCleanRoom & ProfileCleanRoomExtra) | null {
  if (!node || node.type !== 'object') {
    problem(`Invalid profile: clean room '${name}' must be an object with provider, consumer and templates`, node ? spanOf(node) : spanOf(nameNode));
    return null;
  }
  const room: ProfileCleanRoom & ProfileCleanRoomExtra = { name, nameSpan: spanOf(nameNode), provider: emptySide(), consumer: emptySide(), templates: null };
  for (const [key, keyNode, value] of properties(node)) {
    if (key === 'provider' || key === 'consumer') {
      if (!value || value.type !== 'object')
        problem(`Invalid profile: "${key}" of clean room '${name}' must be an object`, value ? spanOf(value) : spanOf(keyNode));
      else room[key] = parseSide(value, `${key} of clean room '${name}'`, problem);
    } else if (key === 'templates') {
      if (!value || value.type !== 'array') {
        problem(`Invalid profile: "templates" of clean room '${name}' must be an array of template names`, value ? spanOf(value) : spanOf(keyNode));
        continue;
      }
      room.templates = [];
      room.templateSpans = new Map();
      for (const t of value.children ?? []) {
        if (t.type !== 'string' || !t.value) problem('Invalid profile: a template name must be a non-empty string', spanOf(t));
        else {
          room.templates.push(t.value);
          room.templateSpans.set(t.value, spanOf(t));
        }
      }
    } else
      problem(`Invalid profile: unknown key "${key}" in clean room '${name}' is ignored (expected provider, consumer, templates)`, spanOf(keyNode), 'warning');
  }
  return room;
}

function parseSide(node: Node, where: string, problem: Problem): ProfileSide {
  const side = emptySide();
  for (const [key, keyNode, value] of properties(node)) {
    if (key === 'tables') {
      if (!value || value.type !== 'object') {
        problem(`Invalid profile: "tables" of the ${where} must be an object of "DB.SCHEMA.TABLE": [columns]`, value ? spanOf(value) : spanOf(keyNode));
        continue;
      }
      side.tables = new Map();
      side.spans.set('tables', spanOf(keyNode));
      for (const [table, tableNode, cols] of properties(value)) {
        if (!TABLE_RE.test(table)) {
          problem(`Invalid profile: "${table}" is not a fully qualified table name DB.SCHEMA.TABLE`, spanOf(tableNode));
          continue;
        }
        if (!cols || cols.type !== 'array') {
          problem(`Invalid profile: the columns of ${table} must be an array of column names`, cols ? spanOf(cols) : spanOf(tableNode));
          continue;
        }
        const names: string[] = [];
        for (const c of cols.children ?? []) {
          if (c.type !== 'string' || !c.value) {
            problem('Invalid profile: a column name must be a non-empty string', spanOf(c));
            continue;
          }
          names.push(normIdent(c.value));
          side.spans.set(`tables/${table}/${normIdent(c.value)}`, spanOf(c));
        }
        side.tables.set(table, names);
        side.spans.set(`tables/${table}`, spanOf(tableNode));
      }
    } else if ((POLICY_KEYS as readonly string[]).includes(key)) {
      const policy = key as PolicyKey;
      if (!value || value.type !== 'array') {
        problem(`Invalid profile: "${key}" of the ${where} must be an array of strings; treated as unknown`, value ? spanOf(value) : spanOf(keyNode));
        continue;
      }
      const re = policy === 'joinPolicy' ? JOIN_RE : COLUMN_RE;
      const form = policy === 'joinPolicy' ? 'DB.SCHEMA.TABLE:COLUMN' : 'template_name:DB.SCHEMA.TABLE:COLUMN';
      const entries: string[] = [];
      side.spans.set(policy, spanOf(keyNode));
      for (const e of value.children ?? []) {
        if (e.type !== 'string' || !re.test(String(e.value).trim())) {
          problem(`Invalid profile: ${key} entry must be '${form}' (note '.' versus ':'); this entry is ignored`, spanOf(e));
          continue;
        }
        const entry = String(e.value).trim();
        entries.push(entry);
        side.spans.set(`${policy}/${entry}`, spanOf(e));
      }
      side[policy] = entries;
    } else
      problem(
        `Invalid profile: unknown key "${key}" in the ${where} is ignored (expected tables, joinPolicy, columnPolicy, activationPolicy)`,
        spanOf(keyNode),
        'warning',
      );
  }
  return side;
}

function parseAnalysis(
  name: string,
  nameNode: Node,
  node: Node | null,
  profile: Profile,
  problem: Problem,
  text: string,
): (ProfileAnalysis & ProfileAnalysisExtra) | null {
  if (!node || node.type !== 'object') {
    problem(`Invalid profile: analysis '${name}' must be an object with template, cleanrooms and arguments`, node ? spanOf(node) : spanOf(nameNode));
    return null;
  }
  let template: string | null = null;
  let templateSpan: Span | undefined;
  let templateName: string | null = null;
  const cleanrooms: string[] = [];
  const cleanroomSpans: Span[] = [];
  let sawCleanrooms = false;
  let args = new PyDict();
  const argumentSpans = new Map<string, Span>();
  const argumentValueSpans = new Map<string, Span>();
  let runAs: Runner | undefined;
  for (const [key, keyNode, value] of properties(node)) {
    const at = value ? spanOf(value) : spanOf(keyNode);
    if (key === 'template') {
      if (value?.type === 'string' && value.value) {
        template = value.value;
        templateSpan = at;
      } else problem(`Invalid profile: "template" of analysis '${name}' must be the template file's path`, at);
    } else if (key === 'templateName') {
      if (value?.type === 'string' && value.value) templateName = value.value;
      else problem(`Invalid profile: "templateName" of analysis '${name}' must be a non-empty string`, at);
    } else if (key === 'cleanrooms') {
      sawCleanrooms = true;
      if (value?.type !== 'array') {
        problem(`Invalid profile: "cleanrooms" of analysis '${name}' must be an array of clean room names`, at);
        continue;
      }
      for (const c of value.children ?? []) {
        if (c.type !== 'string') problem('Invalid profile: a clean room name must be a string', spanOf(c));
        else if (!profile.cleanrooms.has(c.value)) problem(`Invalid profile: clean room '${c.value}' is not defined in "cleanrooms"`, spanOf(c));
        else if (cleanrooms.includes(c.value)) problem(`Invalid profile: clean room '${c.value}' is listed twice`, spanOf(c), 'warning');
        else {
          cleanrooms.push(c.value);
          cleanroomSpans.push(spanOf(c));
        }
      }
    } else if (key === 'arguments') {
      if (value?.type !== 'object') {
        problem(`Invalid profile: "arguments" of analysis '${name}' must be an object`, at);
        continue;
      }
      args = toPy(value, '', argumentValueSpans, text) as PyDict;
      for (const [k, kn] of properties(value)) argumentSpans.set(k, spanOf(kn));
      for (const t of PROVIDED_TABLE_LISTS) {
        const v = args.get(t);
        if (v !== undefined && !(Array.isArray(v) && v.every(x => typeof x === 'string'))) {
          problem(`Invalid profile: "${t}" must be an array of table names`, argumentValueSpans.get(t) ?? at);
        }
      }
    } else if (key === 'runAs') {
      if (value?.type === 'string' && (value.value === 'consumer' || value.value === 'provider')) runAs = value.value;
      else problem(`Invalid profile: "runAs" must be "consumer" or "provider"`, at);
    } else
      problem(
        `Invalid profile: unknown key "${key}" in analysis '${name}' is ignored (expected template, templateName, cleanrooms, arguments)`,
        spanOf(keyNode),
        'warning',
      );
  }
  if (template === null) {
    if (!properties(node).some(([k]) => k === 'template'))
      problem(`Invalid profile: analysis '${name}' needs "template" (the template file's path)`, spanOf(nameNode));
    return null;
  }
  if (!cleanrooms.length) {
    if (!sawCleanrooms) problem(`Invalid profile: analysis '${name}' needs "cleanrooms" (the clean rooms it runs in)`, spanOf(nameNode));
    return null;
  }
  const a: ProfileAnalysis & ProfileAnalysisExtra = {
    name,
    nameSpan: spanOf(nameNode),
    template,
    templateName: templateName ?? templateBaseName(template),
    cleanrooms,
    arguments: args,
    argumentSpans,
    templateSpan,
    templateNameExplicit: templateName !== null,
    cleanroomSpans,
    argumentValueSpans,
  };
  if (runAs) a.runAs = runAs;
  return a;
}

/** JSON node to a Python value; numbers keep int versus float from their source text. */
function toPy(n: Node, path: string, spans: Map<string, Span>, text: string): PyValue {
  if (path) spans.set(path, spanOf(n));
  switch (n.type) {
    case 'object': {
      const d = new PyDict();
      for (const [k, , v] of properties(n)) d.set(k, v ? toPy(v, path ? `${path}.${k}` : k, spans, text) : null);
      return d;
    }
    case 'array':
      return (n.children ?? []).map((c, i) => toPy(c, `${path}[${i}]`, spans, text));
    case 'number': {
      // jsonc-parser gives the number; the raw text tells 3.0 (float) from 3 (int).
      return typeof n.value === 'number' && !Number.isNaN(n.value) && /[.eE]/.test(text.slice(n.offset, n.offset + n.length))
        ? new PyFloat(n.value)
        : (n.value as number);
    }
    case 'string':
    case 'boolean':
      return n.value as PyValue;
    default:
      return null;
  }
}

/** Snowflake folds unquoted identifiers to upper case; quoted ones keep their case. */
export function normIdent(name: string): string {
  return name
    .trim()
    .split(/\.(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map(p => (p.startsWith('"') && p.endsWith('"') && p.length >= 2 ? p.slice(1, -1) : p.toUpperCase()))
    .join('.');
}
