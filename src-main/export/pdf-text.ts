import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { woffToSfnt } from './woff.ts';

/**
 * Text on a PDF page in English and Hindi. Noto Sans (Latin) and Noto Sans Devanagari ship in resources/fonts
 * (SIL OFL) and are embedded, subset, in every document. A line is split into runs by script, each run drawn in
 * its own font on a shared baseline. A Devanagari run carries its text as ActualText, because shaping reorders
 * glyphs (the i-matra is drawn before its consonant) and copy-paste or search would otherwise get it scrambled.
 */
export const fontsDir = fileURLToPath(new URL('../../resources/fonts/', import.meta.url));

const fontFiles = {
  latin: 'noto-sans-latin-400-normal.woff',
  latinBold: 'noto-sans-latin-700-normal.woff',
  deva: 'noto-sans-devanagari-devanagari-400-normal.woff',
  devaBold: 'noto-sans-devanagari-devanagari-700-normal.woff',
} as const;

type FontName = keyof typeof fontFiles;

/**
 * Parsed fonts, shared by every document of the process: parsing a font and building its shaping tables costs
 * about 0.2 s, more than drawing a whole dispatch note. pdfkit takes a parsed (fontkit) font as a source, and
 * each document still embeds its own subset.
 */
const parsed = new Map<FontName, unknown>();

export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, file] of Object.entries(fontFiles) as [FontName, string][]) {
    const known = parsed.get(name);
    if (known) {
      doc.registerFont(name, known as Buffer);
      continue;
    }
    doc.registerFont(name, woffToSfnt(readFileSync(fontsDir + file)));
    doc.font(name);
    parsed.set(name, (doc as unknown as { _font: { font: unknown } })._font.font);
  }
}

export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
}

interface Run {
  text: string;
  deva: boolean;
}

function isDevanagari(cp: number): boolean {
  return (
    (cp >= 0x0900 && cp <= 0x097f) ||
    (cp >= 0x1cd0 && cp <= 0x1cff) ||
    (cp >= 0xa8e0 && cp <= 0xa8ff) ||
    cp === 0x200c ||
    cp === 0x200d ||
    cp === 0x20b9 ||
    cp === 0x25cc
  );
}

/** Splits text into runs of one script; spaces stay in the run they are in (both fonts have a space). */
function runsOf(text: string): Run[] {
  const runs: Run[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const last = runs[runs.length - 1];
    const deva = ch === ' ' && last ? last.deva : isDevanagari(cp);
    if (last && last.deva === deva) last.text += ch;
    else runs.push({ text: ch, deva });
  }
  return runs;
}

function useFont(doc: PDFKit.PDFDocument, deva: boolean, style: TextStyle): void {
  const name = deva ? (style.bold ? 'devaBold' : 'deva') : style.bold ? 'latinBold' : 'latin';
  doc.font(name).fontSize(style.size);
}

/** Widths per document: table headers, labels and names repeat, and shaping a run is the costly part. */
const widths = new WeakMap<PDFKit.PDFDocument, Map<string, number>>();

function runWidth(doc: PDFKit.PDFDocument, run: Run, style: TextStyle): number {
  let cache = widths.get(doc);
  if (!cache) widths.set(doc, (cache = new Map()));
  const key = `${run.deva ? 'd' : 'l'}${style.bold ? 'b' : 'r'}${style.size}\u0000${run.text}`;
  let width = cache.get(key);
  if (width === undefined) {
    useFont(doc, run.deva, style);
    width = doc.widthOfString(run.text);
    cache.set(key, width);
  }
  return width;
}

export function textWidth(doc: PDFKit.PDFDocument, text: string, style: TextStyle): number {
  return runsOf(text).reduce((sum, run) => sum + runWidth(doc, run, style), 0);
}

/** The longest start of text that fits in width, with an ellipsis when something was cut. */
export function fitText(doc: PDFKit.PDFDocument, text: string, width: number, style: TextStyle): string {
  if (textWidth(doc, text, style) <= width) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(doc, `${chars.slice(0, mid).join('')}…`, style) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('').trimEnd()}…`;
}

export interface LineOptions extends TextStyle {
  /** Cut with an ellipsis beyond this width; also the box that align works in. */
  width?: number;
  align?: 'left' | 'right' | 'center';
}

/** One line whose top is at y. Returns the line height. */
export function drawLine(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  o: LineOptions,
): number {
  let runs = runsOf(text);
  let total = runs.reduce((sum, run) => sum + runWidth(doc, run, o), 0);
  if (o.width !== undefined && total > o.width) {
    runs = runsOf(fitText(doc, text, o.width, o));
    total = runs.reduce((sum, run) => sum + runWidth(doc, run, o), 0);
  }
  let cx = x;
  if (o.width !== undefined && o.align === 'right') cx = x + o.width - total;
  if (o.width !== undefined && o.align === 'center') cx = x + (o.width - total) / 2;
  const baseline = y + o.size * 1.05;
  doc.fillColor(o.color ?? '#000000');
  for (const run of runs) {
    useFont(doc, run.deva, o);
    if (run.deva) doc.markContent('Span', { actual: run.text });
    doc.text(run.text, cx, baseline, { lineBreak: false, baseline: 'alphabetic' });
    if (run.deva) doc.endMarkedContent();
    cx += runWidth(doc, run, o);
  }
  return lineHeight(o);
}

export const lineHeight = (style: TextStyle): number => style.size * 1.45;

/** Word-wrapped text in width, at most maxLines lines (the last one cut). Returns the height used. */
export function drawWrapped(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  width: number,
  style: TextStyle,
  maxLines = 6,
): number {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(doc, next, style) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines)
    shown[maxLines - 1] = `${shown[maxLines - 1]} ${lines.slice(maxLines).join(' ')}`;
  shown.forEach((l, i) => drawLine(doc, l, x, y + i * lineHeight(style), { ...style, width }));
  return Math.max(1, shown.length) * lineHeight(style);
}
