import type { BillChildLine, BillHeader, BillParentLine } from './bill-query.ts';

/** What every bill format is drawn from: one snapshot of the bill, its parents, and its children as a stream. */
export interface BillDocument {
  station: { stationId: string; name: string; dispatchArea: string };
  bill: BillHeader;
  parents: BillParentLine[];
  children(): Iterable<BillChildLine>;
  childWeightKg: number;
  parentExpectedWeightKg: number;
  actualWeightKg: number;
  expectedWeightKg: number;
  exportedAt: number;
  exportedBy: string;
}
