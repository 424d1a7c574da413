/**
 * The one rule for text a person types into the station (bill fields, user names, station names): no control
 * characters, no bidi controls and no invisible format characters, since they end up in CSV files and dispatch
 * notes where they hide or reorder what a reader sees; and Unicode NFC, so the same words are stored the same way.
 */

import { StationError } from './errors.ts';

// Controls (C0, DEL, C1), format characters (bidi controls, zero-width ones, BOM, soft hyphen, tags), lone
// surrogates, and the line and paragraph separators.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu;
const UNSAFE_CHAR = /^[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]$/u;
// ZWNJ and ZWJ shape Devanagari and other scripts (क्‍ष): kept between two letters or marks of such a script.
const JOINERS = new Set(['\u200c', '\u200d']);
const SCRIPT_LETTER = /^[\p{L}\p{M}]$/u;
const MULTILINE_OK = new Set(['\n', '\t']);

export interface UnsafeChar {
  /** The character as U+XXXX. */
  char: string;
  /** 1-based position in the text, counted in characters. */
  position: number;
}

export interface TextRules {
  /** A multi-line field (a bill's description) may hold line breaks and tabs. */
  multiline?: boolean;
}

/** U+202E for '\u202e': how a sentence names a character a person cannot see. */
export function unicodeName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A character for a sentence: itself with its number (ß (U+00DF)), or only its number when it is invisible. */
export function describeChar(char: string): string {
  return UNSAFE_CHAR.test(char) ? unicodeName(char) : `${char} (${unicodeName(char)})`;
}

function isScriptLetter(char: string | undefined): boolean {
  return !!char && char > '\u007f' && SCRIPT_LETTER.test(char);
}

/** The first character the text may not hold, or null. */
export function findUnsafeChar(text: string, rules: TextRules = {}): UnsafeChar | null {
  const chars = [...text.replaceAll('\r\n', '\n')];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (!UNSAFE_CHAR.test(char)) continue;
    if (rules.multiline && MULTILINE_OK.has(char)) continue;
    if (JOINERS.has(char) && isScriptLetter(chars[i - 1]) && isScriptLetter(chars[i + 1])) continue;
    return { char: unicodeName(char), position: i + 1 };
  }
  return null;
}

/**
 * For text that reaches the core without the contract (the CLI's `user add`): refuses the first field that holds
 * a character findUnsafeChar names, with unsafe_text; returns nothing, as the contract normalises on its side.
 */
export function requirePlainText(fields: Record<string, string | null | undefined>): void {
  for (const [field, value] of Object.entries(fields)) {
    const bad = value ? findUnsafeChar(value) : null;
    if (bad) throw new StationError('unsafe_text', { field, ...bad });
  }
}

/** The stored form of accepted text: NFC, and CRLF as LF. */
export function normalizeText(text: string): string {
  return text.replaceAll('\r\n', '\n').normalize('NFC');
}

/** Shows each unsafe character as <U+XXXX>, so a record can keep what was read without carrying it. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (c) => `<${unicodeName(c)}>`);
}
