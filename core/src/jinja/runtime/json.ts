/**
 * JSON in and out of the value model.
 *
 * `parseArguments` keeps the float/int distinction of the source text (`3.0` stays a float
 * and prints "3.0", as Jinja2 shows Python's json.loads result), which JSON.parse loses.
 * Integers beyond 2^53 become PyBigInt, exact as Python keeps them; in JSON output they
 * are written as strings, since a JS number cannot hold them.
 *
 * `dumps` is Python's json.dumps as Jinja's tojson calls it (sort_keys=True, ensure_ascii).
 */
import { JinjaError } from './errors.js';
import { floatRepr, intText } from './numfmt.js';
import { compareStrings, isNumber, repr, typeName } from './pyops.js';
import { Markup, PyBigInt, PyDict, PyFloat, PyTuple, type PyValue, Undefined } from './values.js';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = 'JsonSyntaxError';
  }
}

const MAX_DEPTH = 500;

export function parseArguments(text: string): PyValue {
  let i = 0;
  const fail = (msg: string): never => {
    throw new JsonSyntaxError(msg, i);
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail('JSON nested too deeply');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const d = new PyDict();
      ws();
      if (text[i] === '}') {
        i++;
        return d;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const k = string();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        d.set(k, value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return d;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const out: PyValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return out;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    // Python's json also accepts these (json.dumps writes them for inf/nan).
    if (text.startsWith('NaN', i)) {
      i += 3;
      return new PyFloat(NaN);
    }
    if (text.startsWith('Infinity', i)) {
      i += 8;
      return new PyFloat(Infinity);
    }
    if (text.startsWith('-Infinity', i)) {
      i += 9;
      return new PyFloat(-Infinity);
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') return fail(c === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
    i += m[0].length;
    const n = Number(m[0]);
    if (m[2] || m[3]) return new PyFloat(n);
    if (!Number.isSafeInteger(n)) return new PyBigInt(BigInt(m[0]));
    return n === 0 ? 0 : n;
  };
  const string = (): string => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) {
        i = start;
        fail('unterminated string');
      }
      const ch = text[i];
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && Object.prototype.hasOwnProperty.call(simple, e)) {
          out += simple[e];
          i += 2;
        } else fail('invalid escape');
        continue;
      }
      if (ch < ' ') fail('control character in string');
      out += ch;
      i++;
    }
  };
  const v = value(0);
  ws();
  if (i < text.length) fail('extra data after the JSON value');
  return v;
}

/** Plain JS data (JSON.parse output, config objects) -> values. Non-integers become floats. */
export function fromJs(value: unknown, depth = 0): PyValue {
  if (depth > MAX_DEPTH) throw new JinjaError('ValueError', 'data nested too deeply');
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return Number.isInteger(value) ? (value === 0 ? 0 : value) : new PyFloat(value);
    case 'string':
      return value;
    case 'bigint':
      return Number(value);
  }
  if (Array.isArray(value)) return value.map(v => fromJs(v, depth + 1));
  if (typeof value === 'object') {
    const d = new PyDict();
    for (const k of Object.keys(value)) d.set(k, fromJs((value as Record<string, unknown>)[k], depth + 1));
    return d;
  }
  return null;
}

/** Values -> plain JS data for JSON output (tuples as arrays, Undefined as null). */
export function toJs(v: PyValue, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new JinjaError('ValueError', 'Circular reference detected');
  if (v === null || v instanceof Undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (v instanceof PyFloat) return Number.isFinite(v.value) ? v.value : null;
  if (v instanceof PyBigInt) return v.value.toString();
  if (v instanceof Markup) return v.text;
  if (Array.isArray(v)) return v.map(x => toJs(x, depth + 1));
  if (v instanceof PyTuple) return v.items.map(x => toJs(x, depth + 1));
  if (v instanceof PyDict) {
    const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, x] of v.entries()) o[typeof k === 'string' ? k : repr(k)] = toJs(x, depth + 1);
    return o;
  }
  return repr(v);
}

// ---------------------------------------------------------------- json.dumps

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += c === 0x7f ? ch : '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return floatRepr(x);
}

function keyText(k: PyValue): string {
  if (typeof k === 'string') return k;
  if (k instanceof Markup) return k.text;
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (k === null) return 'null';
  if (typeof k === 'number') return intText(k);
  if (k instanceof PyFloat) return jsonFloat(k.value);
  throw new JinjaError('TypeError', `keys must be str, int, float, bool or None, not ${typeName(k)}`);
}

/** Python's json.dumps(value, sort_keys=sortKeys, indent=indent). */
export function dumps(v: PyValue, opts: { indent?: number | string | null; sortKeys?: boolean; budget?: { checkStringSize(n: number): void } } = {}): string {
  const indentUnit =
    opts.indent === undefined || opts.indent === null ? null : typeof opts.indent === 'number' ? ' '.repeat(Math.max(0, opts.indent)) : opts.indent;
  const itemSep = indentUnit === null ? ', ' : ',';
  const seen = new Set<object>();
  let size = 0;
  const grow = (s: string): string => {
    size += s.length;
    opts.budget?.checkStringSize(size);
    return s;
  };
  const enc = (x: PyValue, level: number): string => {
    if (level > 990) throw new JinjaError('RuntimeError', 'maximum recursion depth exceeded while encoding a JSON object');
    if (x === null) return 'null';
    if (x === true) return 'true';
    if (x === false) return 'false';
    if (typeof x === 'number') return intText(x);
    if (x instanceof PyBigInt) return x.value.toString();
    if (x instanceof PyFloat) return jsonFloat(x.value);
    if (typeof x === 'string' || x instanceof Markup) return grow(jsonString(typeof x === 'string' ? x : x.text));
    const nl = indentUnit === null ? '' : '\n' + indentUnit.repeat(level + 1);
    const close = indentUnit === null ? '' : '\n' + indentUnit.repeat(level);
    if (Array.isArray(x) || x instanceof PyTuple) {
      const items = Array.isArray(x) ? x : x.items;
      if (!items.length) return '[]';
      if (seen.has(x)) throw new JinjaError('ValueError', 'Circular reference detected');
      seen.add(x);
      const parts = items.map(i => grow(enc(i, level + 1)));
      seen.delete(x);
      return `[${nl}${parts.join(itemSep + nl)}${close}]`;
    }
    if (x instanceof PyDict) {
      if (!x.size) return '{}';
      if (seen.has(x)) throw new JinjaError('ValueError', 'Circular reference detected');
      seen.add(x);
      let entries = x.entries();
      if (opts.sortKeys) {
        entries = entries.slice().sort(([a], [b]) => {
          if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
          if (isNumber(a) && isNumber(b)) {
            const p = Number(a instanceof PyFloat ? a.value : a);
            const q = Number(b instanceof PyFloat ? b.value : b);
            return p < q ? -1 : p > q ? 1 : 0;
          }
          throw new JinjaError('TypeError', `'<' not supported between instances of '${typeName(b)}' and '${typeName(a)}'`);
        });
      }
      const parts = entries.map(([k, val]) => grow(`${jsonString(keyText(k))}: ${enc(val, level + 1)}`));
      seen.delete(x);
      return `{${nl}${parts.join(itemSep + nl)}${close}}`;
    }
    throw new JinjaError('TypeError', `Object of type ${typeName(x)} is not JSON serializable`);
  };
  return enc(v, 0);
}
