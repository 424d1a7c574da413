/**
 * How the station reads and writes moments for people: its local wall-clock time, which is what the dock and the
 * office read (exports, the audit and bill filters by day).
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 2026-01-15 10:04:59 in local time: Excel and LibreOffice read this as a date-time in a CSV. */
export function localStamp(at: number | null): string {
  if (at === null) return '';
  const d = new Date(at);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/**
 * A Date whose UTC fields are the local wall-clock fields of `at`. Spreadsheet dates have no time zone and
 * exceljs writes a Date's UTC fields, so without the shift a 10:00 scan in India would show as 04:30.
 */
export function sheetDate(at: number): Date {
  return new Date(at - new Date(at).getTimezoneOffset() * 60_000);
}

/** The local calendar day D as [start, end) in epoch ms; null when D is not a real YYYY-MM-DD date. */
export function localDay(day: string): { start: number; end: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const start = new Date(y, mo, d);
  if (start.getFullYear() !== y || start.getMonth() !== mo || start.getDate() !== d) return null;
  return { start: start.getTime(), end: new Date(y, mo, d + 1).getTime() };
}

/** A name that is safe as a file name on every desktop: bill numbers may hold '/'. */
export function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}
