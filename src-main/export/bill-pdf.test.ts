import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFile } from '../../src-shared/export-formats.ts';
import { grayPage, inkIn, pdfFonts, pdfPages, pdfText, renderPage, savePdf } from './testing/pdf-render.ts';
import { BILL_NO, PARENTS, stationWithBill } from './testing/test-bill.ts';
import type { TestStation } from '../testing/test-station.ts';

describe('bill dispatch note (PDF)', () => {
  let t: TestStation;
  let path: string;

  beforeAll(async () => {
    t = await stationWithBill();
    const file = await t.call<ExportFile>('bills.export', { billNo: BILL_NO, format: 'pdf' });
    expect(file).toMatchObject({ fileName: 'bill-DN-2026-0042.pdf', mimeType: 'application/pdf' });
    path = savePdf('bill-small.pdf', Buffer.from(file.dataBase64, 'base64'));
  });
  afterAll(() => t.dispose());

  it('has the bill number, vehicle, every parent, the totals and weights, and the Hindi destination as text', () => {
    const text = pdfText(path);
    for (const expected of [
      'DISPATCH NOTE',
      'प्रेषण पत्र',
      BILL_NO,
      'DL01AB1234',
      'दिल्ली',
      'Delhi Hub',
      ...PARENTS,
      'Total: 3 parents',
      '49 kg est.',
      'ACTUAL WEIGHT · EST.',
      '3 of 3 parents estimated',
      'not weighed',
      'est. = estimated',
      '150 kg',
      'Actual minus expected: -101 kg',
      'Dispatched by (supervisor)',
      'चालक',
      'page 1 of 1',
    ]) {
      expect(text, `the PDF text should contain ${expected}`).toContain(expected);
    }
    expect(text).toMatch(/3\s*\/\s*5/);
    expect(pdfPages(path)).toBe(1);
  });

  it('embeds its fonts, Noto Sans Devanagari among them', () => {
    const fonts = pdfFonts(path);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => f.embedded)).toBe(true);
    expect(fonts.some((f) => f.name.includes('NotoSansDevanagari'))).toBe(true);
    expect(fonts.some((f) => /\+NotoSans-/.test(f.name))).toBe(true);
  });

  it('renders to PNG with a QR code top right, the Code 128 under the bill number, and ink for the Hindi text', () => {
    const png = renderPage(path);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const dpi = 36;
    const page = grayPage(path, 1, dpi);
    // QR: 92 pt square at the top right; a QR code is roughly half dark.
    const qr = inkIn(page, dpi, { x: 463, y: 40, w: 92, h: 92 });
    expect(qr).toBeGreaterThan(0.3);
    expect(qr).toBeLessThan(0.75);
    expect(inkIn(page, dpi, { x: 40, y: 148, w: 150, h: 30 })).toBeGreaterThan(0.3);
    // The destination line (Hindi first) and the blank space right of the vehicle column's label.
    expect(inkIn(page, dpi, { x: 40, y: 210, w: 60, h: 14 })).toBeGreaterThan(0.05);
    expect(inkIn(page, dpi, { x: 300, y: 700, w: 250, h: 80 })).toBe(0);
  });
});
