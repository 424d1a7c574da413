import type { Writable } from 'node:stream';
import type { BillDocument } from './bill-document.ts';
import { writeCsv, type CsvValue } from './csv.ts';
import { localStamp } from '../core/local-time.ts';

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
];

/** One row per child bag, in the order the parents went onto the bill and the children into each parent. */
export function writeBillCsv(doc: BillDocument, out: Writable): Promise<number> {
  const { billNo, destination, vehicleNo } = doc.bill;
  function* rows(): Generator<CsvValue[]> {
    for (const c of doc.children()) {
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
      ];
    }
  }
  return writeCsv(out, billCsvHeader, rows());
}
