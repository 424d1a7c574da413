import { UsageError } from './io.ts';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/**
 * A whole-number flag, checked before any work starts: `--bags abc`, `--bags 1.5` or `--bags 0` is one sentence
 * and exit 2, not a seed that runs and then fails on NaN.
 */
export function wholeNumber(values: Values, flag: string, fallback: number, min = 1): number {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new UsageError(
      `--${flag} takes a whole number of at least ${min}, not "${String(raw).slice(0, 40)}": for example --${flag} ${Math.max(fallback, min)}.`,
    );
  }
  return n;
}
