import type { CompiledProfile } from './profile.ts';

export const MIN_CODE_LENGTH = 4;
export const MAX_CODE_LENGTH = 100;

const GS = '\u001d';
// An AIM symbology identifier: ']' + symbology letter + modifier character (ISO/IEC 15424).
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;
// Control characters except GS, which separates GS1 fields and is kept.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001c\u001e\u001f\u007f-\u009f]/g;

// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export type NormalizedCode =
  | { ok: true; code: string; aim?: string }
  | { ok: false; code: string; reason: 'empty_code' | 'code_too_short' | 'code_too_long' };

/** Trim, strip an AIM prefix and control characters (GS kept), upper-case; then check the length. */
export function normalizeCode(raw: string): NormalizedCode {
  let text = raw.replace(CONTROL, '').trim();
  let aim: string | undefined;
  const prefix = AIM_PREFIX.exec(text);
  if (prefix) {
    aim = prefix[0];
    text = text.slice(prefix[0].length).trim();
  }
  const code = text.toUpperCase();
  if (code.replaceAll(GS, '').length === 0) return { ok: false, code, reason: 'empty_code' };
  if (code.length < MIN_CODE_LENGTH) return { ok: false, code, reason: 'code_too_short' };
  if (code.length > MAX_CODE_LENGTH)
    return { ok: false, code: code.slice(0, MAX_CODE_LENGTH), reason: 'code_too_long' };
  return aim ? { ok: true, code, aim } : { ok: true, code };
}

export type BagKind = 'parent' | 'child';

/** Parent patterns win: `SB12345` is also a valid child shape, but it is a parent. */
export function classifyCode(code: string, profile: CompiledProfile): BagKind | null {
  if (profile.parentRegexes.some((r) => r.test(code))) return 'parent';
  if (profile.childRegexes.some((r) => r.test(code))) return 'child';
  return null;
}

/** Printable form of what a scanner sent, for the log: control characters shown as <0x..>. */
export function printableRaw(raw: string, max = 200): string {
  const shown = raw.replace(ANY_CONTROL, (c) => `<0x${c.charCodeAt(0).toString(16).padStart(2, '0')}>`);
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}
