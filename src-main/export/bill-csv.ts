import type { Writable } from 'node:stream';
import type { BillDocument } from './bill-document.ts';
import { writeCsv, type CsvValue } from './csv.ts';
import { weightSourceName, type ExportWeight } from './parent-weight.ts';
import { grams } from '../../src-shared/weight-text.ts';
import { localStamp } from '../core/local-time.ts';

/** The parent's weight columns come last, so files read by position before issue 16 still line up. */
export const billCsvHeader = [
  'bill_no',
  'destination',
  'vehicle_no',
  'parent_code',
  'child_code',
  'child_linked_at',
  'linked_by',
  'parent_added_at',
  'parent_added_by',
  'parent_weight_kg',
  'parent_weight_source',
  'parent_weight_check',
];

const weightCells = (w: ExportWeight): CsvValue[] => [grams(w.kg), weightSourceName[w.state], w.check ?? ''];

/**
 * One row per child bag, in the order the parents went onto the bill and the children into each parent; each
 * row carries its parent's weight (recorded, or estimated and why). Nothing but child rows: a file other
 * systems import row by row; the bill's total weight and how much of it is estimated are in the XLSX and PDF.
 * Returns the number of child rows.
 */
export async function writeBillCsv(doc: BillDocument, out: Writable): Promise<number> {
  const { billNo, destination, vehicleNo } = doc.bill;
  // Made once per parent, not once per child row.
  const weights = new Map(doc.parents.map((p) => [p.code, weightCells(p.weight)]));
  const unknown: CsvValue[] = [null, null, null];
  let children = 0;
  function* rows(): Generator<CsvValue[]> {
    for (const c of doc.children()) {
      children++;
      yield [
        billNo,
        destination,
        vehicleNo,
        c.parentCode,
        c.childCode,
        localStamp(c.linkedAt),
        c.linkedBy,
        localStamp(c.parentAddedAt),
        c.parentAddedBy,
        ...(weights.get(c.parentCode) ?? unknown),
      ];
    }
  }
  await writeCsv(out, billCsvHeader, rows());
  return children;
}
