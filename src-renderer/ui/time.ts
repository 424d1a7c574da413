// Numbers only (24-hour time, year-month-day): the same in English and Hindi, no month names to translate.
const two = (n: number) => String(n).padStart(2, '0');

export function formatTime(at: number | null | undefined): string {
  if (!at) return '–';
  const d = new Date(at);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

export function formatDateTime(at: number | null | undefined): string {
  if (!at) return '–';
  const d = new Date(at);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Date and time to the second, local: for the audit trail and conflicts. */
export function formatStamp(at: number | null | undefined): string {
  if (!at) return '–';
  return `${formatDateTime(at)}:${two(new Date(at).getSeconds())}`;
}
