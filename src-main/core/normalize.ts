import { matchCodePattern } from '../../src-shared/code-pattern.ts';
import type { CompiledProfile } from '../../src-shared/profile.ts';
import type { BagKind } from '../../src-shared/domain.ts';
import { describeChar, escapeUnsafe } from '../../src-shared/text.ts';

export const MIN_CODE_LENGTH = 4;
export const MAX_CODE_LENGTH = 100;

const GS = '\u001d';
// An AIM symbology identifier: ']' + symbology letter + modifier character (ISO/IEC 15424).
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;
// Control characters except GS, which separates GS1 fields and is kept.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001c\u001e\u001f\u007f-\u009f]/;
// What a code may hold after normalisation: printable ASCII, and GS.
// eslint-disable-next-line no-control-regex
const NOT_ASCII = /[^\u0020-\u007e\u001d]/u;

// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export type CodeRejection =
  'empty_code' | 'code_too_short' | 'code_too_long' | 'control_characters' | 'code_not_ascii';

export type NormalizedCode =
  | { ok: true; code: string; aim?: string }
  | { ok: false; code: string; reason: CodeRejection; char?: string };

/**
 * Trim, strip an AIM prefix, upper-case; then check what is left. A code is printable ASCII (and GS) before it is
 * upper-cased, so a read like `straße01` is refused instead of becoming `STRASSE01`, and a control character
 * inside a read is refused instead of being cut out. A refused read keeps its text, shown safely, not upper-cased.
 */
export function normalizeCode(raw: string): NormalizedCode {
  let text = raw.trim();
  let aim: string | undefined;
  const prefix = AIM_PREFIX.exec(text);
  if (prefix) {
    aim = prefix[0];
    text = text.slice(prefix[0].length).trim();
  }
  if (text.replaceAll(GS, '').length === 0) return { ok: false, code: text, reason: 'empty_code' };
  const control = CONTROL.exec(text);
  if (control) return refused(text, 'control_characters', control[0]);
  const foreign = NOT_ASCII.exec(text);
  if (foreign) return refused(text, 'code_not_ascii', foreign[0]);
  const code = text.toUpperCase();
  if (code.length < MIN_CODE_LENGTH) return { ok: false, code, reason: 'code_too_short' };
  if (code.length > MAX_CODE_LENGTH)
    return { ok: false, code: code.slice(0, MAX_CODE_LENGTH), reason: 'code_too_long' };
  return aim ? { ok: true, code, aim } : { ok: true, code };
}

function refused(text: string, reason: CodeRejection, char: string): NormalizedCode {
  return { ok: false, code: printableRaw(text, MAX_CODE_LENGTH), reason, char: describeChar(char) };
}

/** Parent patterns win: `SB12345` is also a valid child shape, but it is a parent. */
export function classifyCode(code: string, profile: CompiledProfile): BagKind | null {
  if (profile.parentMatchers.some((p) => matchCodePattern(p, code))) return 'parent';
  if (profile.childMatchers.some((p) => matchCodePattern(p, code))) return 'child';
  return null;
}

/**
 * Printable form of what a scanner sent, for the record: control characters shown as <0x..>, and bidi and other
 * invisible characters as <U+XXXX>, so the read is kept without reordering or hiding what a reader sees.
 */
export function printableRaw(raw: string, max = 200): string {
  const controls = raw.replace(ANY_CONTROL, (c) => `<0x${c.charCodeAt(0).toString(16).padStart(2, '0')}>`);
  const shown = escapeUnsafe(controls);
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}
