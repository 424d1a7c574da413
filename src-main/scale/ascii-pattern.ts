import type { ScaleProblem } from './codes.ts';
import type { ReadingKind, ScaleReading } from './reading.ts';
import { errorReading } from './reading.ts';
import type { WeightUnit } from './units.ts';
import { toKg, unitOf } from './units.ts';

/**
 * The line pattern for scales that print a text line per reading, e.g. `ST,GS,+0029.40kg` (A&D, CAS and most
 * indicators from Asia): the pattern `{status},{any},{sign}{value}{unit}`. A pattern is literal text with fields:
 *   {status}  a word of letters: one of the stable, unstable, overload or underload words (ST, US, OL, UL ...)
 *   {sign}    + or -, or nothing; spaces after it are skipped
 *   {value}   the weight: spaces, an optional sign, digits with an optional decimal point (required, once)
 *   {unit}    kg, g, lb, oz or t (else the configured unit applies)
 *   {any}     letters and digits that do not matter (GS/NT, a scale number)
 * A space in the pattern takes any number of spaces, also none. Each field takes what it can and never gives any
 * back, so a line is read in one pass, in time linear in its length, whatever the pattern: no pattern an admin
 * saves can stall the reader. (src-shared/code-pattern.ts has the same guarantee but answers only yes or no; this one has
 * to say which characters were the weight.) Two fields that take the same kind of characters may not touch.
 * Without {status} every matching line is taken as stable (scales that print only when settled).
 */
export type PatternField = 'status' | 'sign' | 'value' | 'unit' | 'any';

type PatternItem = { field: PatternField } | { literal: string };

export interface WeightPatternWords {
  stable?: string[];
  unstable?: string[];
  overload?: string[];
  underload?: string[];
  /** The unit when the line carries none. Default kg. */
  unit?: WeightUnit;
}

export interface WeightPattern {
  source: string;
  items: PatternItem[];
  words: Map<string, Exclude<ReadingKind, 'error'>>;
  unit: WeightUnit;
}

/** The pattern of the common `ST,GS,+0029.40kg` line; the default, and the example in the sentences. */
export const DEFAULT_WEIGHT_PATTERN = '{status},{any},{sign}{value}{unit}';
export const DEFAULT_STATUS_WORDS = {
  stable: ['ST', 'S'],
  unstable: ['US', 'D', 'M', 'MO'],
  overload: ['OL', 'O'],
  underload: ['UL', 'U'],
} as const;
const FIELDS: readonly PatternField[] = ['status', 'sign', 'value', 'unit', 'any'];
const MAX_PATTERN_LENGTH = 200;
const TAKES_LETTERS = new Set<PatternField>(['status', 'unit', 'any']);
const TAKES_DIGITS = new Set<PatternField>(['value', 'any']);

const isLetter = (c: string): boolean => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

function clash(previous: PatternField, field: PatternField): boolean {
  return (
    (TAKES_LETTERS.has(previous) && TAKES_LETTERS.has(field)) ||
    (TAKES_DIGITS.has(previous) && TAKES_DIGITS.has(field)) ||
    (previous === 'sign' && field === 'sign')
  );
}

/** Reads a pattern, or says what is wrong with it (a code and its values for the sentence). */
export function parseWeightPattern(
  source: string,
  words: WeightPatternWords = {},
): { ok: true; pattern: WeightPattern } | { ok: false; problem: ScaleProblem } {
  const fail = (code: ScaleProblem['code'], params: Record<string, string | number> = {}) => ({
    ok: false as const,
    problem: { code, params: { pattern: source, example: DEFAULT_WEIGHT_PATTERN, ...params } },
  });
  const items: PatternItem[] = [];
  const seen = new Set<PatternField>();
  for (let i = 0; i < source.length;) {
    const c = source[i]!;
    if (i >= MAX_PATTERN_LENGTH || c < ' ' || c > '~' || c === '}')
      return fail('scale_pattern_malformed', { position: i + 1 });
    if (c !== '{') {
      items.push({ literal: c });
      i++;
      continue;
    }
    const end = source.indexOf('}', i);
    if (end < 0) return fail('scale_pattern_malformed', { position: i + 1 });
    const name = source.slice(i + 1, end);
    if (!(FIELDS as readonly string[]).includes(name))
      return fail('scale_pattern_field_unknown', { field: `{${name}}` });
    const field = name as PatternField;
    if (seen.has(field)) return fail('scale_pattern_field_twice', { field: `{${field}}` });
    const last = items.at(-1);
    if (last && 'field' in last && clash(last.field, field))
      return fail('scale_pattern_ambiguous', { field: `{${field}}`, previous: `{${last.field}}` });
    seen.add(field);
    items.push({ field });
    i = end + 1;
  }
  if (!seen.has('value')) return fail('scale_pattern_no_value');
  const table = new Map<string, Exclude<ReadingKind, 'error'>>();
  for (const kind of ['stable', 'unstable', 'overload', 'underload'] as const)
    for (const word of words[kind] ?? DEFAULT_STATUS_WORDS[kind]) table.set(word.toUpperCase(), kind);
  return { ok: true, pattern: { source, items, words: table, unit: words.unit ?? 'kg' } };
}

/** Reads one line (without its end) by the pattern. Total: any text gives a reading. One pass, no backtracking. */
export function readWeightLine(pattern: WeightPattern, line: string): ScaleReading {
  const raw = line;
  let kind: Exclude<ReadingKind, 'error'> = 'stable';
  let sign = 1;
  let value: number | undefined;
  let unit = pattern.unit;
  let i = 0;
  const run = (takes: (c: string) => boolean): string => {
    const from = i;
    while (i < line.length && takes(line[i]!)) i++;
    return line.slice(from, i);
  };
  const skipSpaces = (): void => void run((c) => c === ' ');
  for (const item of pattern.items) {
    if ('literal' in item) {
      if (item.literal === ' ') skipSpaces();
      else if (line[i] === item.literal) i++;
      else return errorReading('unreadable', raw);
      continue;
    }
    switch (item.field) {
      case 'status': {
        const word = pattern.words.get(run(isLetter).toUpperCase());
        if (!word) return errorReading('unreadable', raw);
        // An overload line often has no digits at all ("OL,GS,+------kg"): the status alone says it.
        if (word === 'overload' || word === 'underload') return { kind: word, raw };
        kind = word;
        break;
      }
      case 'sign':
        if (line[i] === '-' || line[i] === '+') sign = line[i++] === '-' ? -1 : 1;
        skipSpaces();
        break;
      case 'value': {
        skipSpaces();
        if (line[i] === '-' || line[i] === '+') sign *= line[i++] === '-' ? -1 : 1;
        const whole = run(isDigit);
        let fraction = '';
        if (line[i] === '.') {
          i++;
          fraction = run(isDigit);
        }
        if (whole.length + fraction.length === 0 || whole.length + fraction.length > 15)
          return errorReading('unreadable', raw);
        value = Number(`${whole || '0'}.${fraction || '0'}`);
        break;
      }
      case 'unit': {
        const text = run(isLetter);
        if (text === '') break;
        const known = unitOf(text);
        if (!known) return errorReading('unknown_unit', raw);
        unit = known;
        break;
      }
      case 'any':
        run((c) => isLetter(c) || isDigit(c));
        break;
    }
  }
  if (i !== line.length || value === undefined) return errorReading('unreadable', raw);
  return { kind, kg: toKg(sign * value, unit), raw };
}
