/**
 * The procedure calls of a Snowflake SQL worksheet, with their arguments: positional or named
 * (`name => value`), string literals decoded with a map back to the worksheet ('' and
 * backslash escapes, `$$…$$`), session variables (`$name`, resolved from earlier
 * `SET name = <literal>` statements), and `--`, `//` and `/* *\/` comments anywhere between
 * tokens. Never throws; unreadable input yields fewer or partial calls.
 */

export interface SqlLiteral {
  value: string;
  /** Worksheet offset of each value character, plus one entry for the end. */
  hostOf: number[];
  dollar: boolean;
  contentStart: number;
  contentEnd: number;
}

export interface SqlArgument {
  /** The argument's name when given as `name => value` (lowercase). */
  name?: string;
  start: number;
  end: number;
  /** Set when the whole argument is one string literal (or a variable set to one). */
  literal?: SqlLiteral;
  /** Set when the argument is a session variable, e.g. `$cleanroom_name`. */
  variable?: string;
  /** The argument's source text, trimmed, for messages. */
  text: string;
}

export interface SqlCall {
  /** The qualified name as written, parts lowercased unless quoted: ['samooha_by_snowflake_local_db', 'consumer', 'create_template_request']. */
  path: string[];
  /** The last part, lowercase. */
  name: string;
  nameSpan: { start: number; end: number };
  args: SqlArgument[];
  end: number;
}

export function findCalls(text: string): SqlCall[] {
  const calls: SqlCall[] = [];
  const variables = new Map<string, SqlLiteral>();
  let i = 0;
  let statementStart = true;
  while (i < text.length) {
    const t = skipTrivia(text, i);
    if (t !== i) {
      i = t;
      continue;
    }
    const c = text[i]!;
    if (c === "'" || (c === '$' && text[i + 1] === '$')) {
      const lit = readLiteral(text, i);
      // A Snowflake Scripting block (EXECUTE IMMEDIATE $$ … $$, a procedure body) holds calls too.
      if (lit.literal.dollar && CALL_HINT.test(lit.literal.value)) {
        for (const inner of findCalls(lit.literal.value)) calls.push(shiftCall(inner, lit.literal.contentStart));
      }
      i = lit.end;
      statementStart = false;
      continue;
    }
    if (c === ';') {
      statementStart = true;
      i++;
      continue;
    }
    if (/[A-Za-z_"]/.test(c)) {
      const id = readQualifiedName(text, i);
      const first = id.parts[0]?.toLowerCase();
      if (statementStart && first === 'set' && id.parts.length === 1) {
        const set = readSet(text, id.end, variables);
        if (set !== null) {
          i = set;
          statementStart = false;
          continue;
        }
      }
      statementStart = false;
      const j = skipAllTrivia(text, id.end);
      if (text[j] === '(' && id.parts.length) {
        const { args, end } = readArgs(text, j, variables);
        const last = id.parts[id.parts.length - 1]!;
        calls.push({ path: id.parts.map(p => p.toLowerCase()), name: last.toLowerCase(), nameSpan: id.lastSpan, args, end });
        // Keep scanning inside the arguments too: a call can be an argument of another.
        i = j + 1;
        continue;
      }
      i = Math.max(id.end, i + 1);
      continue;
    }
    statementStart = false;
    i++;
  }
  return calls;
}

const CALL_HINT = /\b(add_custom_sql_template|create_template_request|get_sql_jinja|register_template)\s*\(/i;

function shiftCall(call: SqlCall, by: number): SqlCall {
  const sh = (s: { start: number; end: number }) => ({ start: s.start + by, end: s.end + by });
  const lit = (l: SqlLiteral): SqlLiteral => ({ ...l, hostOf: l.hostOf.map(o => o + by), contentStart: l.contentStart + by, contentEnd: l.contentEnd + by });
  return {
    ...call,
    nameSpan: sh(call.nameSpan),
    end: call.end + by,
    args: call.args.map(a => ({ ...a, ...sh(a), ...(a.literal ? { literal: lit(a.literal) } : {}) })),
  };
}

/** `SET name = <literal>`: records the variable; returns where the statement's value ends, or null. */
function readSet(text: string, from: number, variables: Map<string, SqlLiteral>): number | null {
  let j = skipAllTrivia(text, from);
  if (!/[A-Za-z_"]/.test(text[j] ?? '')) return null;
  const id = readQualifiedName(text, j);
  if (id.parts.length !== 1) return null;
  j = skipAllTrivia(text, id.end);
  if (text[j] !== '=') return null;
  j = skipAllTrivia(text, j + 1);
  if (text[j] !== "'" && !(text[j] === '$' && text[j + 1] === '$')) return null;
  const lit = readLiteral(text, j);
  const after = skipAllTrivia(text, lit.end);
  if (text[after] === ';' || after >= text.length) variables.set(varKey(id.parts[0]!, id.quoted), lit.literal);
  return lit.end;
}

const varKey = (name: string, quoted: boolean) => (quoted ? name : name.toLowerCase());

export function skipAllTrivia(text: string, i: number): number {
  for (;;) {
    const j = skipTrivia(text, i);
    if (j === i) return i;
    i = j;
  }
}

/** Skips one run of whitespace or one comment (`--`, `//`, `/* *\/`). */
function skipTrivia(text: string, i: number): number {
  const c = text[i];
  if (c === undefined) return i;
  if (/\s/.test(c)) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    return i;
  }
  if ((c === '-' && text[i + 1] === '-') || (c === '/' && text[i + 1] === '/')) {
    const nl = text.indexOf('\n', i);
    return nl < 0 ? text.length : nl + 1;
  }
  if (c === '/' && text[i + 1] === '*') {
    const e = text.indexOf('*/', i + 2);
    return e < 0 ? text.length : e + 2;
  }
  return i;
}

function readQualifiedName(text: string, i: number): { parts: string[]; end: number; lastSpan: { start: number; end: number }; quoted: boolean } {
  const parts: string[] = [];
  let j = i;
  let lastSpan = { start: i, end: i };
  let quoted = false;
  for (;;) {
    if (text[j] === '"') {
      const e = text.indexOf('"', j + 1);
      if (e < 0) return { parts, end: text.length, lastSpan, quoted };
      parts.push(text.slice(j + 1, e));
      lastSpan = { start: j + 1, end: e };
      quoted = true;
      j = e + 1;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(j, j + 256));
      if (!m) return { parts, end: Math.max(j, i + 1), lastSpan, quoted };
      parts.push(m[0]);
      lastSpan = { start: j, end: j + m[0].length };
      quoted = false;
      j += m[0].length;
    }
    // Snowflake allows whitespace and comments around the dots of a qualified name.
    const k = skipAllTrivia(text, j);
    if (text[k] === '.') j = skipAllTrivia(text, k + 1);
    else return { parts, end: j, lastSpan, quoted };
  }
}

const BACKSLASH: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', "'": "'", '"': '"', '\\': '\\' };

/** The escape at `j` (a backslash): its value and length, as Snowflake reads string constants. */
function backslashEscape(text: string, j: number): { value: string; length: number } {
  const n = text[j + 1]!;
  const octal = /^[0-7]{1,3}/.exec(text.slice(j + 1, j + 4));
  if (octal) return { value: String.fromCharCode(parseInt(octal[0], 8)), length: 1 + octal[0].length };
  const hex = n === 'x' ? /^[0-9a-fA-F]{2}/.exec(text.slice(j + 2, j + 4)) : n === 'u' ? /^[0-9a-fA-F]{4}/.exec(text.slice(j + 2, j + 6)) : null;
  if (hex) return { value: String.fromCharCode(parseInt(hex[0], 16)), length: 2 + hex[0].length };
  return { value: BACKSLASH[n] ?? n, length: 2 };
}

/** A Snowflake string literal: `'…'` with '' and backslash escapes, or `$$…$$` taken verbatim. */
export function readLiteral(text: string, i: number): { end: number; literal: SqlLiteral } {
  if (text[i] === '$') {
    const close = text.indexOf('$$', i + 2);
    const contentEnd = close < 0 ? text.length : close;
    const hostOf: number[] = [];
    for (let k = i + 2; k <= contentEnd; k++) hostOf.push(k);
    return {
      end: close < 0 ? text.length : close + 2,
      literal: { value: text.slice(i + 2, contentEnd), hostOf, dollar: true, contentStart: i + 2, contentEnd },
    };
  }
  let value = '';
  const hostOf: number[] = [];
  let j = i + 1;
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
      const e = backslashEscape(text, j);
      for (let k = 0; k < e.value.length; k++) hostOf.push(j);
      value += e.value;
      j += e.length;
      continue;
    }
    hostOf.push(j);
    value += c;
    j++;
  }
  hostOf.push(j);
  return { end: Math.min(j + 1, text.length), literal: { value, hostOf, dollar: false, contentStart: i + 1, contentEnd: j } };
}

/** Reads `( a, name => b, … )` from the `(`; stops at the matching `)` or a `;` at depth 0. */
function readArgs(text: string, open: number, variables: Map<string, SqlLiteral>): { args: SqlArgument[]; end: number } {
  const args: SqlArgument[] = [];
  let depth = 0;
  let i = open + 1;
  // Tokens of the current argument at depth 0.
  let tokens: {
    kind: 'literal' | 'variable' | 'name' | 'arrow' | 'other';
    start: number;
    end: number;
    literal?: SqlLiteral;
    text?: string;
    quoted?: boolean;
  }[] = [];
  let argStart = i;
  let nested = false;
  const finish = (end: number) => {
    if (!tokens.length && !nested && !args.length && text.slice(argStart, end).trim() === '') return;
    const a: SqlArgument = { start: argStart, end, text: text.slice(argStart, end).trim() };
    let body = tokens;
    if (tokens.length >= 2 && tokens[0]!.kind === 'name' && tokens[1]!.kind === 'arrow') {
      a.name = tokens[0]!.quoted ? tokens[0]!.text! : tokens[0]!.text!.toLowerCase();
      body = tokens.slice(2);
      a.start = body[0]?.start ?? tokens[1]!.end;
      a.text = text.slice(a.start, end).trim();
    }
    const joined = nested ? null : concatenation(body);
    if (joined) a.literal = joined;
    else if (!nested && body.length === 1) {
      const t = body[0]!;
      if (t.kind === 'literal') a.literal = t.literal!;
      else if (t.kind === 'variable') {
        a.variable = t.text!;
        const v = variables.get(t.text!.toLowerCase()) ?? variables.get(t.text!);
        if (v) a.literal = v;
      }
    }
    args.push(a);
    tokens = [];
    nested = false;
  };
  /** `'a' || 'b' || $$c$$`: string literals joined with ||, as one literal mapped piece by piece. */
  const concatenation = (body: typeof tokens): SqlLiteral | null => {
    if (body.length < 4 || body[0]!.kind !== 'literal') return null;
    const parts: SqlLiteral[] = [body[0]!.literal!];
    let k = 1;
    while (k < body.length) {
      const [a, b, c] = [body[k], body[k + 1], body[k + 2]];
      if (
        !a ||
        !b ||
        !c ||
        a.kind !== 'other' ||
        b.kind !== 'other' ||
        text[a.start] !== '|' ||
        text[b.start] !== '|' ||
        b.start !== a.start + 1 ||
        c.kind !== 'literal'
      )
        return null;
      parts.push(c.literal!);
      k += 3;
    }
    const hostOf: number[] = [];
    parts.forEach((p, n) => hostOf.push(...(n === parts.length - 1 ? p.hostOf : p.hostOf.slice(0, -1))));
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
    return { value: parts.map(p => p.value).join(''), hostOf, dollar: false, contentStart: first.contentStart, contentEnd: last.contentEnd };
  };
  while (i < text.length) {
    const t = skipTrivia(text, i);
    if (t !== i) {
      i = t;
      continue;
    }
    const c = text[i]!;
    if (c === "'" || (c === '$' && text[i + 1] === '$')) {
      const r = readLiteral(text, i);
      if (depth === 0) tokens.push({ kind: 'literal', start: i, end: r.end, literal: r.literal });
      i = r.end;
      continue;
    }
    if (c === '$' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i + 1, i + 257))!;
      if (depth === 0) tokens.push({ kind: 'variable', start: i, end: i + 1 + m[0].length, text: m[0] });
      i += 1 + m[0].length;
      continue;
    }
    if (depth === 0 && /[A-Za-z_"]/.test(c)) {
      const id = readQualifiedName(text, i);
      tokens.push({ kind: 'name', start: i, end: id.end, text: id.parts.join('.'), quoted: id.quoted });
      i = Math.max(id.end, i + 1);
      continue;
    }
    if (c === '=' && text[i + 1] === '>' && depth === 0) {
      tokens.push({ kind: 'arrow', start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      depth++;
      nested = true;
    } else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) {
        finish(i);
        return { args, end: i + 1 };
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      finish(i);
      argStart = i + 1;
      i++;
      continue;
    } else if (c === ';' && depth === 0) {
      finish(i);
      return { args, end: i };
    } else if (depth === 0) tokens.push({ kind: 'other', start: i, end: i + 1 });
    i++;
  }
  finish(text.length);
  return { args, end: text.length };
}
