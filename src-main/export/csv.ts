import type { Writable } from 'node:stream';
import { close, put } from './output.ts';

export type CsvValue = string | number | null;

/**
 * RFC 4180: a field with a comma, quote, CR or LF is quoted, and quotes inside are doubled. Text that a
 * spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe, so a typed destination can
 * never become a formula on the office PC.
 */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  const s = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Rows are joined into chunks of this many bytes or so before each write: fewer, larger writes. */
const CHUNK = 64 * 1024;

/**
 * Writes a whole CSV file: UTF-8 with a byte order mark (so Excel reads Hindi right), CRLF line ends,
 * the header, then the rows as they come. Returns the number of data rows.
 */
export async function writeCsv(out: Writable, header: string[], rows: Iterable<CsvValue[]>): Promise<number> {
  let chunk = `\uFEFF${csvLine(header)}`;
  let count = 0;
  for (const row of rows) {
    chunk += csvLine(row);
    count++;
    if (chunk.length >= CHUNK) {
      await put(out, chunk);
      chunk = '';
    }
  }
  if (chunk) await put(out, chunk);
  await close(out);
  return count;
}
