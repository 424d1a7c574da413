import type { BillChildLine, BillHeader, BillParentLine } from './bill-query.ts';

/** What every bill format is drawn from: one snapshot of the bill, its parents, and its children as a stream. */
export interface BillDocument {
  station: { stationId: string; name: string; dispatchArea: string };
  bill: BillHeader;
  parents: BillParentLine[];
  children(): Iterable<BillChildLine>;
  childWeightKg: number;
  parentExpectedWeightKg: number;
  /** Recorded weights where they exist, estimates for the rest (see parent-weight.ts). */
  actualWeightKg: number;
  /** Parents whose weight is estimated (never weighed, stale, weigh later): the total is then estimated. */
  estimatedParents: number;
  expectedWeightKg: number;
  exportedAt: number;
  exportedBy: string;
}
