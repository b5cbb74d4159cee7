/**
 * Python's number-to-text rules. JS `toFixed`/`toPrecision` round exact ties away from zero
 * (`(0.125).toFixed(2)` is "0.13") and give up above 1e21, while CPython rounds the exact
 * binary value half-to-even. So precision formatting works on the exact decimal expansion of
 * the double (BigInt), and only the shortest repr reuses JS (both are shortest round-trip).
 */

/** Python repr(float). */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let body: string;
  if (exp >= -5 + 1 && exp < 16) {
    body = placeFixed(digits, exp);
    if (!body.includes('.')) body += '.0';
  } else {
    body = (digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits) + expSuffix(exp);
  }
  return (neg ? '-' : '') + body;
}

/** Python str() of an int held in a double: full digits, never JS's '1e+21'. */
export function intText(n: number): string {
  if (Object.is(n, -0)) return '0';
  if (Math.abs(n) < 1e21) return String(n);
  return BigInt(n).toString();
}

function expSuffix(exp: number): string {
  const a = Math.abs(exp);
  return `e${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
}

/** digits d1d2d3... with the decimal point after the (exp+1)-th digit. */
function placeFixed(digits: string, exp: number): string {
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length);
  return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Exact decimal value of a finite non-negative double: value = int(digits) * 10^pow10. */
function exactDecimal(x: number): { digits: string; pow10: number } {
  if (x === 0) return { digits: '0', pow10: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  if (e2 >= 0) return { digits: (mant << BigInt(e2)).toString(), pow10: 0 };
  return { digits: (mant * 5n ** BigInt(-e2)).toString(), pow10: e2 };
}

/**
 * Rounds the exact value to `keep` leading digits, half to even.
 * Returns the kept digits (length `keep`, or keep+1 on carry) and the decimal exponent of
 * the first digit.
 */
function roundSig(digits: string, pow10: number, keep: number): { digits: string; exp: number } {
  const exp = digits.length - 1 + pow10;
  if (keep <= 0) {
    // Only reachable through fixed-point rounding below the first digit.
    return { digits: '', exp };
  }
  if (digits.length <= keep) return { digits: digits + '0'.repeat(keep - digits.length), exp };
  let head = digits.slice(0, keep);
  const rest = digits.slice(keep);
  const first = rest.charCodeAt(0) - 48;
  const tail = /[1-9]/.test(rest.slice(1));
  const last = head.charCodeAt(head.length - 1) - 48;
  const up = first > 5 || (first === 5 && (tail || last % 2 === 1));
  if (up) {
    const bumped = (BigInt(head) + 1n).toString();
    if (bumped.length > head.length) return { digits: bumped.slice(0, keep), exp: exp + 1 };
    head = bumped;
  }
  return { digits: head, exp };
}

/** Fixed notation with `prec` fractional digits (no sign), like '%.{prec}f' % abs(x). */
export function toFixedPy(x: number, prec: number): string {
  const a = Math.abs(x);
  const { digits, pow10 } = exactDecimal(a);
  if (digits === '0') return prec > 0 ? `0.${'0'.repeat(prec)}` : '0';
  const exp = digits.length - 1 + pow10;
  const keep = exp + 1 + prec;
  let intPart: string;
  let frac: string;
  if (keep <= 0) {
    // Rounds to 0 or to one unit in the last place.
    const unitHalf = keep === 0 && (digits[0] > '5' || (digits[0] === '5' && /[1-9]/.test(digits.slice(1))));
    const all = unitHalf ? '1'.padStart(prec + 1, '0') : '0'.repeat(prec + 1);
    intPart = all.slice(0, all.length - prec);
    frac = all.slice(all.length - prec);
  } else {
    const r = roundSig(digits, pow10, keep);
    let d = r.digits;
    const e = r.exp;
    // d has keep digits unless a carry added a leading digit; e is the exponent of d[0]
    const totalInt = e + 1;
    if (totalInt <= 0) {
      d = '0'.repeat(-totalInt + 1) + d;
      intPart = '0';
      frac = d.slice(1).padEnd(prec, '0').slice(0, prec);
    } else {
      d = d.padEnd(totalInt + prec, '0');
      intPart = d.slice(0, totalInt);
      frac = d.slice(totalInt, totalInt + prec);
    }
  }
  intPart = intPart.replace(/^0+(?=\d)/, '');
  return prec > 0 ? `${intPart}.${frac}` : intPart;
}

/** Exponent notation with `prec` fractional digits (no sign), like '%.{prec}e' % abs(x). */
export function toExpPy(x: number, prec: number, upper = false, alt = false): string {
  const a = Math.abs(x);
  const { digits, pow10 } = exactDecimal(a);
  let d: string;
  let e: number;
  if (digits === '0') {
    d = '0'.repeat(prec + 1);
    e = 0;
  } else {
    const r = roundSig(digits, pow10, prec + 1);
    d = r.digits;
    e = r.exp;
  }
  const mant = prec > 0 || alt ? `${d[0]}.${d.slice(1)}` : d[0];
  const s = mant + expSuffix(e);
  return upper ? s.toUpperCase() : s;
}

/** '%g' / format 'g' (no sign). `alt` keeps trailing zeros ('#' flag). */
export function toGeneralPy(x: number, precIn: number, upper = false, alt = false, minFrac = false): string {
  const prec = precIn === 0 ? 1 : precIn;
  const a = Math.abs(x);
  let exp = 0;
  if (a !== 0) {
    const { digits, pow10 } = exactDecimal(a);
    exp = roundSig(digits, pow10, prec).exp;
  }
  let s: string;
  // format()'s '' type with a precision switches to exponent one digit earlier than 'g'.
  if (exp >= -4 && exp < (minFrac ? prec - 1 : prec)) {
    s = toFixedPy(a, Math.max(0, prec - 1 - exp));
    if (!alt && s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
    if (alt && !s.includes('.')) s += '.';
    if (minFrac && !s.includes('.')) s += '.0';
  } else {
    s = toExpPy(a, prec - 1, false, alt);
    if (!alt) s = s.replace(/(\.\d*?)0+e/, '$1e').replace('.e', 'e');
  }
  return upper ? s.toUpperCase() : s;
}

/** Inserts a grouping separator every `every` digits of a digit string. */
export function groupDigits(digits: string, sep: string, every = 3): string {
  let out = '';
  for (let i = digits.length; i > 0; i -= every) {
    const part = digits.slice(Math.max(0, i - every), i);
    out = out ? `${part}${sep}${out}` : part;
  }
  return out;
}

/** x = mantissa * 2^exp2 exactly (finite, non-zero x; sign dropped). */
function decompose(x: number): { mant: bigint; exp2: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(x));
  const hi = buf.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(buf.getUint32(4));
  if (biased === 0) return { mant, exp2: -1074 };
  mant |= 1n << 52n;
  return { mant, exp2: biased - 1075 };
}

const bitLength = (n: bigint): number => n.toString(2).length;

/** The double nearest to m * 2^e (half to even). */
function roundToDouble(m: bigint, e: number): number {
  const len = bitLength(m);
  let shift = Math.max(0, len - 53);
  let keep = m >> BigInt(shift);
  if (shift > 0) {
    const rem = m & ((1n << BigInt(shift)) - 1n);
    const half = 1n << BigInt(shift - 1);
    if (rem > half || (rem === half && (keep & 1n) === 1n)) keep += 1n;
    if (keep === 1n << 53n) {
      keep >>= 1n;
      shift++;
    }
  }
  const p = e + shift;
  // Two steps so that neither power of two over/underflows on its own.
  return Number(keep) * 2 ** Math.trunc(p / 2) * 2 ** (p - Math.trunc(p / 2));
}

/**
 * x ** n for an integer n, correctly rounded as glibc's pow() gives it to CPython
 * (V8's Math.pow is off by one unit in the last place for ~8% of inputs).
 */
export function powInt(x: number, n: number): number {
  if (x === 0 || !Number.isFinite(x) || Math.abs(n) > 4096 || n === 0) return Math.pow(x, n);
  const { mant, exp2 } = decompose(x);
  const negative = x < 0 && Math.abs(n) % 2 === 1;
  let r: number;
  if (n > 0) r = roundToDouble(mant ** BigInt(n), exp2 * n);
  else {
    const k = -n;
    const den = mant ** BigInt(k);
    const s = bitLength(den) + 64;
    const num = 1n << BigInt(s);
    let q = num / den;
    if (q * den !== num) q = (q << 1n) | 1n;
    else q <<= 1n;
    r = roundToDouble(q, -exp2 * k - s - 1);
  }
  return negative ? -r : r;
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** x ** (n / 2) for odd n and x > 0, correctly rounded (square roots are the common case). */
export function powHalf(x: number, twice: number): number {
  if (!(x > 0) || !Number.isFinite(x) || Math.abs(twice) > 4096) return Math.pow(x, twice / 2);
  const { mant, exp2 } = decompose(x);
  const k = Math.abs(twice);
  // value^2 = x^k = M * 2^E (or its reciprocal): take an integer square root with 64 spare bits.
  let m = mant ** BigInt(k);
  let e = exp2 * k;
  let sticky = false;
  if (twice < 0) {
    const s = bitLength(m) + 140;
    const num = 1n << BigInt(s);
    const q = num / m;
    sticky = q * m !== num;
    m = q;
    e = -e - s;
  }
  if (e % 2 !== 0) {
    m <<= 1n;
    e -= 1;
  }
  const pad = Math.max(0, 2 * (64 + 53) - bitLength(m));
  const padEven = pad + (pad % 2);
  const scaled = m << BigInt(padEven);
  let r = isqrt(scaled);
  if (sticky || r * r !== scaled) r = (r << 1n) | 1n;
  else r <<= 1n;
  return roundToDouble(r, (e - padEven) / 2 - 1);
}
