import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import { drawLine, lineHeight, registerFonts, type TextStyle } from './pdf-text.ts';

/** A4 portrait in points, with the margin every page keeps. */
export const PAGE = { width: 595.28, height: 841.89, margin: 40 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** Content stops here; below is the footer. */
export const CONTENT_BOTTOM = PAGE.height - PAGE.margin - 14;

export const GREY = '#555555';
export const RULE = '#999999';

/** Pages are buffered (a few dozen at most) so the footer can say "page 2 of 7". */
export function newPdf(title: string, author: string): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: true,
    info: { Title: title, Author: author, Creator: 'BagLink Station' },
  });
  registerFonts(doc);
  return doc;
}

/** Writes the footer on every page: left text, and "page i of n" on the right. */
export function footers(doc: PDFKit.PDFDocument, left: string): void {
  const range = doc.bufferedPageRange();
  const style = { size: 7.5, color: GREY };
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const y = PAGE.height - PAGE.margin + 4;
    doc
      .moveTo(PAGE.margin, y - 4)
      .lineTo(PAGE.width - PAGE.margin, y - 4)
      .lineWidth(0.5)
      .stroke(RULE);
    drawLine(doc, left, PAGE.margin, y, { ...style, width: CONTENT_WIDTH - 80 });
    const page = `page ${i + 1} of ${range.count}`;
    drawLine(doc, page, PAGE.width - PAGE.margin - 80, y, { ...style, width: 80, align: 'right' });
  }
}

/** The bill number as a QR code (for the dock's 2D scanners) and as Code 128 (for 1D ones), as PNG images. */
export async function barcodes(text: string): Promise<{ qr: Buffer; code128: Buffer }> {
  const [qr, code128] = await Promise.all([
    bwipjs.toBuffer({ bcid: 'qrcode', text, scale: 4 }),
    bwipjs.toBuffer({ bcid: 'code128', text, scale: 3, height: 9 }),
  ]);
  return { qr, code128 };
}

/** Starts a new page when fewer than `needed` points are left; returns where to go on. */
export function ensureSpace(doc: PDFKit.PDFDocument, y: number, needed: number): number {
  if (y + needed <= CONTENT_BOTTOM) return y;
  doc.addPage();
  return PAGE.margin;
}

export interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

const cellStyle: TextStyle = { size: 9 };
const headStyle: TextStyle = { size: 8, bold: true, color: GREY };
const PAD = 4;

function tableHead(doc: PDFKit.PDFDocument, columns: Column[], y: number): number {
  let x = PAGE.margin;
  for (const c of columns) {
    drawLine(doc, c.title, x + PAD, y, { ...headStyle, width: c.width - 2 * PAD, align: c.align });
    x += c.width;
  }
  const bottom = y + lineHeight(headStyle) + 2;
  doc.moveTo(PAGE.margin, bottom).lineTo(x, bottom).lineWidth(0.8).stroke('#000000');
  return bottom + 3;
}

/**
 * A table that runs over as many pages as it needs, its header repeated on each. `bold` rows (totals) get a
 * rule above. Returns the y below the last row.
 */
export function table(
  doc: PDFKit.PDFDocument,
  y: number,
  columns: Column[],
  rows: Iterable<{ cells: string[]; bold?: boolean }>,
): number {
  const rowHeight = lineHeight(cellStyle) + 1;
  let cy = tableHead(doc, columns, ensureSpace(doc, y, 3 * rowHeight));
  let shade = false;
  for (const row of rows) {
    if (cy + rowHeight > CONTENT_BOTTOM) {
      doc.addPage();
      cy = tableHead(doc, columns, PAGE.margin);
    }
    const width = columns.reduce((w, c) => w + c.width, 0);
    if (row.bold) {
      doc
        .moveTo(PAGE.margin, cy - 1)
        .lineTo(PAGE.margin + width, cy - 1)
        .lineWidth(0.8)
        .stroke('#000000');
    } else if (shade) {
      doc.rect(PAGE.margin, cy - 1, width, rowHeight).fill('#f0f0f0');
    }
    shade = !shade;
    let x = PAGE.margin;
    columns.forEach((c, i) => {
      const style = { ...cellStyle, bold: row.bold, width: c.width - 2 * PAD, align: c.align };
      drawLine(doc, row.cells[i] ?? '', x + PAD, cy, style);
      x += c.width;
    });
    cy += rowHeight;
  }
  return cy + 4;
}

/** A heading for a section of a report. */
export function heading(doc: PDFKit.PDFDocument, text: string, y: number): number {
  const top = ensureSpace(doc, y, 60);
  drawLine(doc, text, PAGE.margin, top, { size: 12, bold: true });
  return top + 20;
}
