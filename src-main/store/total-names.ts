import type { Sqlite } from './open.ts';

/** The station-wide running totals (the `totals` table): a name not listed here does not compile. */
export const TOTAL_NAMES = [
  'bags',
  'parents',
  'children',
  'links',
  'full_parents',
  'bills_open',
  'bills_completed',
  'scans',
  'scans_rejected',
] as const;

export type TotalName = (typeof TOTAL_NAMES)[number];

export type Totals = Record<TotalName, number>;

/** Adds to one total, or to two in one statement (a change that moves two totals writes once). */
export function createTotalsWriter(sqlite: Sqlite) {
  const one = sqlite.prepare(
    `insert into totals (name, n) values (?, ?) on conflict (name) do update set n = n + excluded.n`,
  );
  const two = sqlite.prepare(
    `insert into totals (name, n) values (?, ?), (?, ?) on conflict (name) do update set n = n + excluded.n`,
  );
  return {
    add(name: TotalName, delta: number): void {
      if (delta !== 0) one.run(name, delta);
    },
    addTwo(a: TotalName, deltaA: number, b: TotalName, deltaB: number): void {
      if (deltaA === 0) this.add(b, deltaB);
      else if (deltaB === 0) this.add(a, deltaA);
      else two.run(a, deltaA, b, deltaB);
    },
  };
}

/** Whether a parent's child count crossing from before to after makes it full (+1) or not full any more (-1). */
export function fullParentsDelta(before: number, after: number, capacity: number): -1 | 0 | 1 {
  if (before < capacity && after >= capacity) return 1;
  if (before >= capacity && after < capacity) return -1;
  return 0;
}
