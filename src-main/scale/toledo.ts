import { escapeBytes } from '../scanner/decoder.ts';
import type { ScaleReading } from './reading.ts';
import { errorReading } from './reading.ts';
import type { WeightUnit } from './units.ts';
import { toKg } from './units.ts';

/**
 * Toledo continuous output, the fixed frame Mettler Toledo terminals stream several times a second:
 *   STX, status bytes A B C, six weight digits, six tare digits, CR, and an optional checksum byte
 * (some terminals send a short frame without the tare). No decimal point and no sign travel in the digits: the
 * status bytes carry them. Bit layout, as in the METTLER TOLEDO Wildcat technical manual, appendix 2, tables
 * 6-8 to 6-11 (http://38.142.81.21:8001/manual/wildcat-territory/scale-e15609900a/user-s-manual-english/page-41.html),
 * the Fairbanks "Toledo data format" tables (https://azmanual.top/manuals/347091/fairbanks-pc2250-utility-software-fb2250-series-yellow-jacket-fs-package.html?page=55)
 * and the Triner TS-700 manual (units in C, http://38.142.81.21:8001/manual/triner-scale/ts-700-series-v4-0/owner-s-manual-english/page-15.html):
 *   A bits 0-2: where the decimal point is: 0 = XXXX00, 1 = XXXXX0, 2 = XXXXXX, 3 = XXXXX.X, ... 7 = X.XXXXX
 *   A bits 3-4: increment 1, 2 or 5 (not needed to read the weight); bit 5 = 1, bit 6 = 0
 *   B bit 0: net; bit 1: negative; bit 2: out of range (over capacity, or under zero when negative);
 *   B bit 3: in motion; bit 4: kg (0 = lb); bit 6: not zeroed since power-up
 *   C bits 0-2: 0 = lb or kg as B bit 4 says, 1 = g, 2 = metric tons (3 = oz on the IND terminals)
 *   C bit 3: print requested; bit 4: expanded display
 * Bit 7 of every byte is the parity bit when the port runs 7 data bits with parity, so it is masked off.
 * The checksum makes the 7-bit sum of all bytes from STX to the checksum zero (two's complement).
 */
export const STX = 0x02;
export const CR = 0x0d;
const DIGITS = 6;
const STATUS_BYTES = 3;
/** STX, A, B, C, six weight digits and, in the long frame, six tare digits; then CR. */
const SHORT_BODY = 1 + STATUS_BYTES + DIGITS;
const LONG_BODY = SHORT_BODY + DIGITS;

const UNIT_IN_C: Record<number, WeightUnit | undefined> = { 1: 'g', 2: 't', 3: 'oz' };

/** Six digits as a number; leading spaces count as zeros (terminals that blank leading zeros). NaN otherwise. */
function digitsValue(bytes: Uint8Array): number {
  let value = 0;
  let seenDigit = false;
  for (const byte of bytes) {
    const c = byte & 0x7f;
    if (c === 0x20 && !seenDigit) continue;
    if (c < 0x30 || c > 0x39) return NaN;
    seenDigit = true;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

/**
 * Reads one frame, STX to CR inclusive (the checksum, if any, is checked by the splitter). Total: any bytes give
 * a reading.
 */
export function parseToledoFrame(frame: Uint8Array): ScaleReading {
  const raw = escapeBytes(frame);
  const length = frame.length - 1;
  if (
    (length !== SHORT_BODY && length !== LONG_BODY) ||
    (frame[0]! & 0x7f) !== STX ||
    (frame[length]! & 0x7f) !== CR
  )
    return errorReading('unreadable', raw);
  const a = frame[1]! & 0x7f;
  const b = frame[2]! & 0x7f;
  const c = frame[3]! & 0x7f;
  const weight = digitsValue(frame.subarray(4, 4 + DIGITS));
  const tare = length === LONG_BODY ? digitsValue(frame.subarray(4 + DIGITS, 4 + 2 * DIGITS)) : 0;
  if (Number.isNaN(weight) || Number.isNaN(tare)) return errorReading('unreadable', raw);
  const negative = (b & 0b10) !== 0;
  if (b & 0b100) return { kind: negative ? 'underload' : 'overload', raw };
  const unitCode = c & 0b111;
  const unit = unitCode === 0 ? (b & 0b1_0000 ? 'kg' : 'lb') : UNIT_IN_C[unitCode];
  if (!unit) return errorReading('unknown_unit', raw);
  // Decimal code 2 is whole units; each step below adds a dummy zero, each step above a decimal place.
  const scale = 10 ** (2 - (a & 0b111));
  const value = Math.round(weight * scale * 1e6) / 1e6;
  const reading: ScaleReading = {
    kind: b & 0b1000 ? 'unstable' : 'stable',
    kg: toKg(negative ? -value : value, unit),
    net: (b & 0b1) !== 0,
    raw,
  };
  if (length === LONG_BODY) reading.tareKg = toKg(Math.round(tare * scale * 1e6) / 1e6, unit);
  return reading;
}

/** The checksum byte for a frame from STX to CR. */
export function toledoChecksum(frame: Uint8Array): number {
  let sum = 0;
  for (const byte of frame) sum += byte & 0x7f;
  return -sum & 0x7f;
}

export interface ToledoSplitterOptions {
  /** The terminal sends a checksum byte after CR; a frame whose checksum is wrong becomes an error reading. */
  checksum?: boolean;
}

/**
 * Cuts the byte stream into frames: from an STX to the next CR (plus the checksum byte when configured), and reads
 * each one. Bytes before an STX are skipped; a frame that runs longer than the long frame is an error reading and
 * the splitter waits for the next STX. Memory is bounded by one frame whatever arrives. Pure: no timers, no I/O.
 */
export class ToledoFrameSplitter {
  private readonly frame = new Uint8Array(LONG_BODY + 1);
  private length = 0;
  private inFrame = false;
  private awaitingChecksum = false;

  constructor(private readonly options: ToledoSplitterOptions = {}) {}

  push(chunk: Uint8Array): ScaleReading[] {
    const readings: ScaleReading[] = [];
    for (const byte of chunk) {
      if (this.awaitingChecksum) {
        this.awaitingChecksum = false;
        const frame = this.frame.subarray(0, this.length);
        readings.push(
          (byte & 0x7f) === toledoChecksum(frame)
            ? parseToledoFrame(frame)
            : errorReading('checksum', escapeBytes(Uint8Array.of(...frame, byte))),
        );
        this.length = 0;
        continue;
      }
      const c = byte & 0x7f;
      if (c === STX) {
        // A new frame starts; an unfinished one before it was cut off and is dropped.
        this.inFrame = true;
        this.frame[0] = byte;
        this.length = 1;
        continue;
      }
      if (!this.inFrame) continue;
      if (this.length === this.frame.length) {
        readings.push(errorReading('unreadable', escapeBytes(this.frame, true)));
        this.inFrame = false;
        this.length = 0;
        continue;
      }
      this.frame[this.length++] = byte;
      if (c !== CR) continue;
      this.inFrame = false;
      if (this.options.checksum) this.awaitingChecksum = true;
      else {
        readings.push(parseToledoFrame(this.frame.subarray(0, this.length)));
        this.length = 0;
      }
    }
    return readings;
  }

  /** Forgets a partial frame, e.g. when the port was lost in the middle of one. */
  reset(): void {
    this.length = 0;
    this.inFrame = false;
    this.awaitingChecksum = false;
  }
}

export interface ToledoFrameFields {
  kg?: number;
  /** Weight in this unit; kg by default. */
  unit?: 'kg' | 'lb' | 'g';
  decimals: number;
  motion?: boolean;
  overload?: boolean;
  underload?: boolean;
  tare?: number;
  checksum?: boolean;
}

/** Writes a long frame (for the simulator and tests): the weight is given in `unit` with `decimals` places. */
export function encodeToledoFrame(fields: ToledoFrameFields): Uint8Array {
  const decimals = Math.max(0, Math.min(5, fields.decimals));
  const value = Math.abs(fields.kg ?? 0);
  const digits = (n: number): string =>
    String(Math.min(999_999, Math.round(n * 10 ** decimals))).padStart(DIGITS, '0');
  const negative = (fields.kg ?? 0) < 0 || fields.underload === true;
  const a = 0b0010_0000 | 0b0_1000 | (2 + decimals);
  const b =
    0b0010_0000 |
    (fields.unit === 'lb' ? 0 : 0b1_0000) |
    (fields.motion ? 0b1000 : 0) |
    (fields.overload || fields.underload ? 0b100 : 0) |
    (negative ? 0b10 : 0);
  const c = 0b0010_0000 | (fields.unit === 'g' ? 1 : 0);
  const body = Buffer.from(
    String.fromCharCode(STX, a, b, c) + digits(value) + digits(fields.tare ?? 0) + '\r',
    'latin1',
  );
  return fields.checksum ? Uint8Array.of(...body, toledoChecksum(body)) : Uint8Array.from(body);
}
