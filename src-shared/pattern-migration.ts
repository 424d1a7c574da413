import { codePatternProblem } from './code-pattern.ts';

/**
 * Saved patterns from before code patterns (any JavaScript regular expression) are rewritten into code patterns
 * that mean the same, where that can be done by rules that keep the meaning exactly:
 *   - a group with no count is inlined, and a group of alternatives becomes one pattern per alternative
 *     (`^(SB|M444-)\d{5}$` -> `^SB\d{5}$`, `^M444-\d{5}$`), as is a top-level `|`;
 *   - a regular expression matches anywhere in the code, so a missing `^` or `$` becomes `.*`
 *     (`SB\d{5}` -> `^.*SB\d{5}.*$`).
 * What is still not a code pattern after that (a counted group such as `(A+)+`, a back-reference, look-around)
 * is refused: it is left in the saved profile for an admin to replace and is not used meanwhile.
 */

/** At most this many patterns come out of one saved pattern (the profile holds at most 20 per list). */
const MAX_EXPANSION = 20;
/** The longest saved pattern (profile.ts). */
const MAX_PATTERN_LENGTH = 200;

interface Group {
  start: number;
  end: number;
  inner: string;
}

/** The first top-level group and the top-level `|` positions, skipping escapes and classes. */
function scan(source: string): { group: Group | null; bars: number[] } {
  const bars: number[] = [];
  let depth = 0;
  let start = -1;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === ')' && depth > 0) {
      depth--;
      if (depth === 0 && start >= 0) {
        return { group: { start, end: i, inner: source.slice(start + 1, i) }, bars };
      }
    } else if (c === '|' && depth === 0) bars.push(i);
  }
  return { group: null, bars };
}

function splitAt(source: string, positions: number[]): string[] {
  const parts: string[] = [];
  let from = 0;
  for (const p of positions) {
    parts.push(source.slice(from, p));
    from = p + 1;
  }
  parts.push(source.slice(from));
  return parts;
}

/** One rewriting step, or null when no rule applies. */
function expand(source: string): string[] | null {
  const top = scan(source);
  if (top.bars.length > 0) return splitAt(source, top.bars);
  const group = top.group;
  if (!group) return null;
  const after = source[group.end + 1];
  if (after !== undefined && '?*+{'.includes(after)) return null;
  let inner = group.inner;
  if (inner.startsWith('?:')) inner = inner.slice(2);
  else if (inner.startsWith('?')) return null;
  const before = source.slice(0, group.start);
  const rest = source.slice(group.end + 1);
  const innerBars = scan(inner).bars;
  return splitAt(inner, innerBars).map((alt) => before + alt + rest);
}

/** A regular expression's implicit "anywhere in the code", written out. */
function anchored(source: string): string {
  const start = source.startsWith('^');
  let body = start ? source.slice(1) : source;
  const trailing = /(\\*)\$$/.exec(body);
  const end = !!trailing && trailing[1]!.length % 2 === 0;
  if (end) body = body.slice(0, -1);
  return `^${start ? '' : '.*'}${body}${end ? '' : '.*'}$`;
}

export type PatternMigration = { ok: true; patterns: string[] } | { ok: false };

/** Rewrites one saved pattern into code patterns with the same meaning, or says it cannot. */
export function migratePattern(source: string): PatternMigration {
  if (!codePatternProblem(source)) return { ok: true, patterns: [source] };
  const done: string[] = [];
  const queue = [source];
  while (queue.length > 0) {
    const next = queue.shift()!;
    const fixed = anchored(next);
    if (fixed.length > MAX_PATTERN_LENGTH) return { ok: false };
    if (!codePatternProblem(fixed)) {
      if (!done.includes(fixed)) done.push(fixed);
    } else {
      const parts = expand(next);
      if (!parts) return { ok: false };
      queue.push(...parts);
    }
    if (done.length + queue.length > MAX_EXPANSION) return { ok: false };
  }
  return { ok: true, patterns: done };
}

export interface PatternListMigration {
  /** The list to save: migrated patterns in place, refused ones left as they were. */
  saved: string[];
  /** The list to use: only code patterns. */
  used: string[];
  migrated: { from: string; to: string[] }[];
  refused: string[];
}

export function migratePatternList(list: string[]): PatternListMigration {
  const out: PatternListMigration = { saved: [], used: [], migrated: [], refused: [] };
  for (const source of list) {
    const m = migratePattern(source);
    if (!m.ok) {
      out.saved.push(source);
      out.refused.push(source);
      continue;
    }
    if (m.patterns.length !== 1 || m.patterns[0] !== source)
      out.migrated.push({ from: source, to: m.patterns });
    for (const p of m.patterns) {
      if (!out.saved.includes(p)) out.saved.push(p);
      if (!out.used.includes(p)) out.used.push(p);
    }
  }
  if (out.saved.length <= MAX_EXPANSION) return out;
  // Too many to save: nothing is rewritten, and only what was already a code pattern is used.
  const valid = list.filter((p) => !codePatternProblem(p));
  return { saved: list, used: valid, migrated: [], refused: list.filter((p) => !valid.includes(p)) };
}
