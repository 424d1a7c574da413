import type { SyncProgress } from '../../src-shared/sync-status.ts';

export type ProgressListener = (progress: SyncProgress) => void;

const compact = (n: number) =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n);

/** "loading bags 1.2M of 2.0M (60%)": the line `baglink sync --once` and `baglink serve` print. */
export function progressLine(p: SyncProgress): string {
  const of = p.total
    ? ` of ${compact(p.total)} (${Math.min(100, Math.round((100 * p.done) / p.total))}%)`
    : '';
  return `${p.step} ${p.entity} ${compact(p.done)}${of}`;
}

/**
 * Calls listener at most every intervalMs, to spare terminals, but always when a step or what it moves begins
 * (a first page that is slow to come shows what it waits for) and when the end is reached.
 */
export function throttled(listener: ProgressListener, intervalMs: number, now = () => Date.now()) {
  let last = 0;
  let what = '';
  return (p: SyncProgress) => {
    const t = now();
    const next = `${p.step} ${p.entity}`;
    if (t - last < intervalMs && p.done !== p.total && next === what) return;
    last = t;
    what = next;
    listener(p);
  };
}
