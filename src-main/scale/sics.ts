import type { ScaleReading } from './reading.ts';
import { errorReading } from './reading.ts';
import { toKg, unitOf } from './units.ts';

/**
 * Mettler Toledo MT-SICS, level 0: the station sends `SI` (the weight now, stable or not) or `S` (the next stable
 * weight) ended by CR LF, and reads one answer line:
 *   `S S     12.34 kg`  stable      `S D     12.35 kg`  dynamic (unstable)
 *   `S I`  busy or not settled      `S +` overload      `S -` underload
 *   `ES` / `ET` / `EL`  syntax, transmission and logical errors.
 */
export type SicsCommand = 'SI' | 'S';

export function sicsRequest(command: SicsCommand): Uint8Array {
  return Buffer.from(`${command}\r\n`, 'ascii');
}

const NUMBER = /^[+-]?\d{1,12}(?:\.\d{1,9})?$/;
const ERRORS = { ES: 'syntax_error', ET: 'transmission_error', EL: 'logical_error' } as const;

/** Reads one answer line (without its CR LF). Total: any text gives a reading. */
export function parseSicsLine(line: string): ScaleReading {
  const raw = line;
  const words = line.trim().split(/ +/);
  const [head, status] = words;
  if (head !== undefined && Object.hasOwn(ERRORS, head) && words.length === 1)
    return errorReading(ERRORS[head as keyof typeof ERRORS], raw);
  if (head !== 'S' || status === undefined) return errorReading('unreadable', raw);
  if (words.length === 2) {
    if (status === 'I') return { kind: 'unstable', problem: 'busy', raw };
    if (status === '+') return { kind: 'overload', raw };
    if (status === '-') return { kind: 'underload', raw };
    return errorReading('unreadable', raw);
  }
  if (status !== 'S' && status !== 'D') return errorReading('unreadable', raw);
  // The weight is right-aligned in ten characters; some balances put a space between the sign and the digits.
  let rest = words.slice(2);
  if (rest.length === 3 && (rest[0] === '-' || rest[0] === '+')) rest = [rest[0] + rest[1], rest[2]!];
  const [value, unitText] = rest;
  if (rest.length !== 2 || value === undefined || unitText === undefined || !NUMBER.test(value))
    return errorReading('unreadable', raw);
  const unit = unitOf(unitText);
  if (!unit) return errorReading('unknown_unit', raw);
  return { kind: status === 'S' ? 'stable' : 'unstable', kg: toKg(Number(value), unit), raw };
}
