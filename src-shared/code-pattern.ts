import { StationError, type ErrorCode } from './errors.ts';

/**
 * Code patterns: the station's parent and child code shapes, in a small language that is safe by construction.
 * A pattern is `^`, then a sequence of items, then `$`; it always describes the whole code. An item is one
 * character choice with a count:
 *   - a literal (`S`, `-`, `\.`), `\d` (0-9), `\w` (A-Z, a-z, 0-9, _), `\D`, `\W`, `.` (any), `\xHH`,
 *     or a class `[A-Z0-9]`, `[^-]`;
 *   - then an optional count: `{5}`, `{4,20}`, `{2,}`, `?`, `*`, `+` (numbers at most 100, the longest code).
 * There are no groups, no alternation (`|`: give several patterns instead), no back-references, no look-around
 * and no count on a count. Such a pattern is matched in time linear in the code's length times the number of
 * items (see matchCodePattern), whatever the pattern: no pattern an admin saves can freeze the station.
 */

/** Which characters an item takes: a table of the 128 ASCII characters, and whether it takes any other. */
interface CharChoice {
  ascii: Uint8Array;
  other: boolean;
}

interface PatternItem {
  choice: CharChoice;
  min: number;
  max: number;
}

export interface CodePattern {
  source: string;
  items: PatternItem[];
  /** The shortest code the pattern can match. */
  minLength: number;
}

/** An example for the sentences: the station's own default parent pattern. */
export const PATTERN_EXAMPLE = '^SB\\d{5}$';
/** The longest code (normalize.ts MAX_CODE_LENGTH): a larger count could never match. */
const MAX_COUNT = 100;
const QUANTIFIERS = '?*+{';
const UNSUPPORTED_ATOMS = '()|^$';

class PatternRefusal extends StationError {}

function refuse(code: ErrorCode, source: string, position: number, token?: string): never {
  const params: Record<string, string | number> = { pattern: source, position, example: PATTERN_EXAMPLE };
  if (token !== undefined) params.token = token;
  throw new PatternRefusal(code, params);
}

function choice(chars: string, other = false): CharChoice {
  const ascii = new Uint8Array(128);
  for (const c of chars) ascii[c.charCodeAt(0)] = 1;
  return { ascii, other };
}

function range(from: string, to: string): string {
  let out = '';
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) out += String.fromCharCode(c);
  return out;
}

const DIGITS = range('0', '9');
const WORD = range('A', 'Z') + range('a', 'z') + DIGITS + '_';
const ALL_ASCII = range('\u0000', '\u007f');

function negate(c: CharChoice): CharChoice {
  return { ascii: c.ascii.map((v) => 1 - v), other: !c.other };
}

function union(a: CharChoice, b: CharChoice): CharChoice {
  return { ascii: a.ascii.map((v, i) => v | b.ascii[i]!), other: a.other || b.other };
}

/** Reads one pattern: a parser over the source with a cursor, refusing with a sentence at the first problem. */
class Reader {
  i = 1;
  constructor(
    readonly source: string,
    readonly end: number,
  ) {}

  peek(): string | undefined {
    return this.i < this.end ? this.source[this.i] : undefined;
  }

  /** Refuses at the current character (1-based position in the sentence). */
  fail(code: ErrorCode, token?: string): never {
    return refuse(code, this.source, this.i + 1, token);
  }

  /** A single character: plain, or escaped. Returns the character's ASCII text or a class for \d and such. */
  escape(): CharChoice | string {
    const c = this.source[this.i + 1];
    if (c === undefined || this.i + 1 >= this.end) this.fail('pattern_malformed');
    const classes: Record<string, CharChoice> = {
      d: choice(DIGITS),
      w: choice(WORD),
      D: negate(choice(DIGITS)),
      W: negate(choice(WORD)),
    };
    const known = classes[c];
    if (known) {
      this.i += 2;
      return known;
    }
    if (c === 'x') {
      const hex = this.source.slice(this.i + 2, this.i + 4);
      if (!/^[0-7][0-9A-Fa-f]$/.test(hex) || this.i + 4 > this.end) this.fail('pattern_malformed');
      this.i += 4;
      return String.fromCharCode(parseInt(hex, 16));
    }
    if (/[A-Za-z0-9]/.test(c) || c > '\u007e' || c < ' ') this.fail('pattern_unsupported', `\\${c}`);
    this.i += 2;
    return c;
  }

  /** A plain character where a literal may stand: printable ASCII only. */
  literal(): string {
    const c = this.source[this.i]!;
    const point = c.codePointAt(0)!;
    if (point < 0x20 || point > 0x7e)
      this.fail('pattern_unsupported', `U+${point.toString(16).toUpperCase()}`);
    this.i += 1;
    return c;
  }

  classItem(): CharChoice | string {
    return this.peek() === '\\' ? this.escape() : this.literal();
  }

  charClass(): CharChoice {
    this.i += 1;
    const negated = this.peek() === '^';
    if (negated) this.i += 1;
    let set = choice('');
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('pattern_malformed');
      if (c === ']') {
        if (first) this.fail('pattern_malformed');
        break;
      }
      if (c === '[') this.fail('pattern_unsupported', '[');
      first = false;
      const from = this.classItem();
      if (typeof from === 'string' && this.peek() === '-' && this.source[this.i + 1] !== ']') {
        this.i += 1;
        if (this.peek() === undefined) this.fail('pattern_malformed');
        const to = this.classItem();
        if (typeof to !== 'string' || to < from) this.fail('pattern_malformed');
        set = union(set, choice(range(from, to)));
      } else {
        set = union(set, typeof from === 'string' ? choice(from) : from);
      }
    }
    this.i += 1;
    return negated ? negate(set) : set;
  }

  atom(): CharChoice {
    const c = this.peek()!;
    if (UNSUPPORTED_ATOMS.includes(c)) this.fail('pattern_unsupported', c);
    if (QUANTIFIERS.includes(c) || c === ']' || c === '}') this.fail('pattern_malformed');
    if (c === '[') return this.charClass();
    if (c === '.') {
      this.i += 1;
      return choice(ALL_ASCII, true);
    }
    const one = c === '\\' ? this.escape() : this.literal();
    return typeof one === 'string' ? choice(one) : one;
  }

  number(): number | null {
    const digits = /^\d{1,3}/.exec(this.source.slice(this.i, this.end))?.[0];
    if (!digits) return null;
    this.i += digits.length;
    return Number(digits);
  }

  braces(): [number, number] {
    this.i += 1;
    const min = this.number();
    if (min === null) this.fail('pattern_malformed');
    let max = min;
    if (this.peek() === ',') {
      this.i += 1;
      max = this.peek() === '}' ? Infinity : (this.number() ?? -1);
    }
    if (this.peek() !== '}' || max < min || min > MAX_COUNT || (max !== Infinity && max > MAX_COUNT))
      this.fail('pattern_malformed');
    this.i += 1;
    return [min, max];
  }

  count(): [number, number] {
    const c = this.peek();
    const simple: Record<string, [number, number]> = { '?': [0, 1], '*': [0, Infinity], '+': [1, Infinity] };
    let counted: [number, number] = [1, 1];
    if (c === '{') counted = this.braces();
    else if (c !== undefined && simple[c]) {
      counted = simple[c];
      this.i += 1;
    } else return counted;
    const next = this.peek();
    if (next !== undefined && QUANTIFIERS.includes(next)) this.fail('pattern_unsupported', next);
    return counted;
  }
}

function endsWithAnchor(source: string): boolean {
  if (!source.endsWith('$')) return false;
  let backslashes = 0;
  for (let i = source.length - 2; i >= 0 && source[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** Parses a pattern, or throws a StationError (pattern_not_anchored, pattern_unsupported, pattern_malformed). */
export function parseCodePattern(source: string): CodePattern {
  if (!source.startsWith('^') || !endsWithAnchor(source) || source.length < 2)
    refuse('pattern_not_anchored', source, 1);
  const reader = new Reader(source, source.length - 1);
  const items: PatternItem[] = [];
  while (reader.peek() !== undefined) {
    const c = reader.atom();
    const [min, max] = reader.count();
    items.push({ choice: c, min, max });
  }
  return { source, items, minLength: items.reduce((n, item) => n + item.min, 0) };
}

/** The sentence's code and params when a pattern is refused; null when it is a code pattern. */
export function codePatternProblem(source: string): StationError | null {
  try {
    parseCodePattern(source);
    return null;
  } catch (e) {
    if (e instanceof PatternRefusal) return e;
    throw e;
  }
}

function takes(c: CharChoice, code: number): boolean {
  return code < 128 ? c.ascii[code] === 1 : c.other;
}

/**
 * Whether the whole code matches. For each item in turn it keeps the set of positions in the code the items so
 * far can end at; an item's count turns each position into a range, marked with a difference array. Time is
 * O(items x length), memory O(length): there is no backtracking to blow up.
 */
export function matchCodePattern(pattern: CodePattern, code: string): boolean {
  const n = code.length;
  if (n < pattern.minLength) return false;
  let reach = new Uint8Array(n + 1);
  reach[0] = 1;
  const run = new Int32Array(n + 1);
  const marks = new Int32Array(n + 2);
  for (const item of pattern.items) {
    run[n] = 0;
    for (let p = n - 1; p >= 0; p--) run[p] = takes(item.choice, code.charCodeAt(p)) ? run[p + 1]! + 1 : 0;
    marks.fill(0);
    let any = false;
    for (let p = 0; p <= n; p++) {
      if (!reach[p] || run[p]! < item.min) continue;
      const from = p + item.min;
      const to = p + Math.min(item.max, run[p]!) + 1;
      marks[from] = marks[from]! + 1;
      marks[to] = marks[to]! - 1;
      any = true;
    }
    if (!any) return false;
    const next = new Uint8Array(n + 1);
    let open = 0;
    for (let p = 0; p <= n; p++) {
      open += marks[p]!;
      next[p] = open > 0 ? 1 : 0;
    }
    reach = next;
  }
  return reach[n] === 1;
}
