import type { LabelFacts } from '../../src-shared/hardware.ts';
import type { PrinterResult } from './messages.ts';
import { printerError } from './messages.ts';
import { code128FieldData, firstNonCode128Char, hexFieldData } from './zpl-field.ts';

export type LabelLayout = '100x150mm' | '4x2in';
export type PrinterDpi = 203 | 300;

/** What a parent bag's label shows: the facts the core gathers (src-shared/hardware.ts). */
export type ParentLabel = LabelFacts;

export interface LabelFormat {
  layout: LabelLayout;
  dpi: PrinterDpi;
  /** IANA zone the time is printed in; the station's own zone when left out. */
  timeZone?: string;
}

export const LABEL_SIZE_MM: Record<LabelLayout, { widthMm: number; heightMm: number }> = {
  '100x150mm': { widthMm: 100, heightMm: 150 },
  '4x2in': { widthMm: 101.6, heightMm: 50.8 },
};

/** Millimetres to printer dots and the ZPL of the fields a layout places, in mm from the top-left corner. */
class LabelCanvas {
  readonly widthDots: number;
  readonly fields: string[] = [];

  constructor(
    readonly dpi: PrinterDpi,
    readonly widthMm: number,
    readonly marginMm: number,
  ) {
    this.widthDots = this.dots(widthMm);
  }

  dots(mm: number): number {
    return Math.round((mm * this.dpi) / 25.4);
  }

  /** One line of text in the scalable font, cut to the space left of the right margin. */
  text(xMm: number, yMm: number, heightMm: number, value: string, align: 'L' | 'C' = 'L'): void {
    const x = this.dots(xMm);
    const h = this.dots(heightMm);
    const width = align === 'C' ? this.widthDots : this.widthDots - x - this.dots(this.marginMm);
    this.fields.push(
      `^FO${x},${this.dots(yMm)}^A0N,${h},${h}^FB${width},1,0,${align}^FH^FD${hexFieldData(value)}^FS`,
    );
  }

  /**
   * A centred Code 128 with the widest bars that fit: 0.5 mm down to 2 dots; false when even those do not fit.
   * Subset B first (every printable character); a code too long for that goes in the printer's automatic mode
   * (^BC mode A: runs of digits packed two to a bar pattern in subset C) when it holds no ZPL-special character.
   */
  code128(code: string, yMm: number, heightMm: number): boolean {
    // start + 11 modules a character + check + stop (13)
    const subsetB = 11 * code.length + 35;
    if (this.placeCode128(subsetB, yMm, `^BCN,${this.dots(heightMm)},N,N,N^FD${code128FieldData(code)}^FS`))
      return true;
    if (/[\^~>]/.test(code)) return false;
    const packed = 11 * packedSymbols(code) + 35;
    return this.placeCode128(packed, yMm, `^BCN,${this.dots(heightMm)},N,N,N,A^FD${code}^FS`);
  }

  private placeCode128(modules: number, yMm: number, field: string): boolean {
    const usable = this.widthDots - 2 * this.dots(this.marginMm);
    const module = Math.min(this.dots(0.5), Math.floor(usable / modules));
    if (module < 2) return false;
    const x = Math.round((this.widthDots - module * modules) / 2);
    this.fields.push(`^FO${x},${this.dots(yMm)}^BY${module}${field}`);
    return true;
  }

  /** Text over up to `lines` lines (a long code in full where its barcode does not fit), cut after those. */
  block(xMm: number, yMm: number, heightMm: number, lines: number, value: string): void {
    const x = this.dots(xMm);
    const h = this.dots(heightMm);
    const width = this.widthDots - x - this.dots(this.marginMm);
    this.fields.push(
      `^FO${x},${this.dots(yMm)}^A0N,${h},${h}^FB${width},${lines},0,L^FH^FD${hexFieldData(value)}^FS`,
    );
  }

  /** A QR code (model 2, error correction M) with modules of about `moduleMm`. */
  qr(code: string, xMm: number, yMm: number, moduleMm: number): void {
    const magnification = Math.max(1, Math.min(10, this.dots(moduleMm)));
    this.fields.push(
      `^FO${this.dots(xMm)},${this.dots(yMm)}^BQN,2,${magnification}^FH^FDMA,${hexFieldData(code)}^FS`,
    );
  }
}

/** The ZPL of one parent label, or why it cannot be made (a code a barcode cannot carry or hold on the label). */
export function buildLabelZpl(label: ParentLabel, format: LabelFormat): PrinterResult<string> {
  const code = label.parentCode;
  const bad = firstNonCode128Char(code);
  if (bad !== undefined || code.length === 0) {
    return { ok: false, error: printerError('label_code_not_ascii', { code, char: bad ?? '' }) };
  }
  const size = LABEL_SIZE_MM[format.layout];
  const canvas = new LabelCanvas(format.dpi, size.widthMm, format.layout === '4x2in' ? 3 : 5);
  const drawn =
    format.layout === '4x2in'
      ? drawSmall(canvas, label, format.timeZone)
      : drawLarge(canvas, label, format.timeZone);
  if (!drawn)
    return { ok: false, error: printerError('label_code_too_long', { code, layout: format.layout }) };
  const header = ['^XA', '^CI28', `^PW${canvas.widthDots}`, `^LL${canvas.dots(size.heightMm)}`, '^LH0,0'];
  return { ok: true, value: [...header, ...canvas.fields, '^PQ1', '^XZ'].join('\n') + '\n' };
}

/**
 * Symbols of a Code 128 in automatic mode, at most: a run of 6 digits or more in subset C (two a symbol, a
 * switch in and out, an odd digit left in B), anything else one symbol a character. An upper bound of what the
 * printer packs, so the barcode is never wider than the space measured for it.
 */
export function packedSymbols(code: string): number {
  let symbols = 0;
  for (const run of code.match(/\d+|\D+/g) ?? []) {
    const digits = /^\d/.test(run);
    symbols += digits && run.length >= 6 ? 2 + Math.ceil(run.length / 2) : run.length;
  }
  return symbols;
}

/** 100 x 150 mm, portrait: the code large on top, the barcode across, the QR code beside count and weight. */
function drawLarge(canvas: LabelCanvas, label: ParentLabel, timeZone: string | undefined): boolean {
  canvas.text(0, 5, 9, label.parentCode, 'C');
  // No Code 128 fits: the code in full where it would be, and the QR code (which holds any code) to scan.
  if (!canvas.code128(label.parentCode, 18, 30)) canvas.block(5, 20, 6, 4, label.parentCode);
  canvas.qr(label.parentCode, 5, 56, 1);
  canvas.text(50, 60, 8, `${label.childCount} bags`);
  canvas.text(50, 72, 6, weightText(label));
  const lines = [
    billText(label),
    `Station: ${label.station}`,
    `Operator: ${label.operator}`,
    timeText(label.at, timeZone),
  ];
  lines.forEach((line, index) => canvas.text(5, 100 + index * 10, 6, line));
  return true;
}

/** The reduced 4 x 2 inch label: the barcode across the top, the QR code left of six short lines. */
function drawSmall(canvas: LabelCanvas, label: ParentLabel, timeZone: string | undefined): boolean {
  // No Code 128 fits: the code in full where it would be, and the QR code (which holds any code) to scan.
  if (!canvas.code128(label.parentCode, 3, 14)) canvas.block(3, 3, 3.6, 3, label.parentCode);
  canvas.qr(label.parentCode, 3, 20, 0.6);
  const lines = [
    label.parentCode,
    `${label.childCount} bags, ${weightText(label)}`,
    billText(label),
    `Station: ${label.station}`,
    `Operator: ${label.operator}`,
    timeText(label.at, timeZone),
  ];
  lines.forEach((line, index) => canvas.text(32, 19.5 + index * 4.8, 3.6, line));
  return true;
}

function weightText(label: ParentLabel): string {
  if (label.weightKg === null) return 'not weighed';
  return `${label.weightKg.toFixed(2)} kg${label.weightEstimated ? ' (estimated)' : ''}`;
}

function billText(label: ParentLabel): string {
  return label.billNumber === null ? 'Bill: none yet' : `Bill: ${label.billNumber}`;
}

/** YYYY-MM-DD HH:mm in the given zone: a loader compares it with a clock on the wall, not with UTC. */
function timeText(at: number, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
