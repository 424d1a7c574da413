import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { BillDocument } from './bill-document.ts';
import { totalSource, weightSourceName, weightSummary } from './parent-weight.ts';
import { grams } from '../../src-shared/weight-text.ts';
import { sheetDate } from '../core/local-time.ts';

const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';
const KG_FORMAT = '#,##0.0';
/** Rows written between two pauses that let the zip stream reach the file. */
const BATCH = 2000;

const kgText = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 1 });

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A workbook with a Summary sheet (the bill and one line per parent, with its weight, where that weight comes
 * from and its weighing's check, and when and by whom it went on the bill) and a Children sheet (one row per child; each date cell costs exceljs a style lookup, so one date per row).
 * Counts and weights are numbers and times are dates, so the office can sum and sort them. Written with the
 * streaming writer: rows go to the file as they are made.
 */
export async function writeBillXlsx(doc: BillDocument, out: Writable): Promise<number> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
    // Fast deflate: a slightly larger file, and much less of the export's time spent compressing.
    zip: { zlib: { level: 1 } },
  });
  book.creator = `BagLink Station ${doc.station.name}`;
  book.created = new Date(doc.exportedAt);
  const b = doc.bill;

  const summary = book.addWorksheet('Summary');
  summary.columns = [
    { width: 24 },
    { width: 40 },
    { width: 14 },
    { width: 16 },
    { width: 14 },
    { width: 20 },
    { width: 16 },
  ];
  const title = summary.addRow([`Dispatch note ${b.billNo}`]);
  title.font = { bold: true, size: 14 };
  title.commit();
  const facts: [string, string | number | Date | null, string?][] = [
    ['Station', doc.station.name],
    ['Station ID', doc.station.stationId],
    ['Dispatch area', doc.station.dispatchArea],
    ['Bill number', b.billNo],
    ['Status', b.status],
    ['Destination', b.destination],
    ['Vehicle', b.vehicleNo],
    ['Description', b.description],
    ['Capacity (parent bags)', b.capacity, '0'],
    ['Parent bags', b.parentCount, '0'],
    ['Child bags', b.childCount, '0'],
    ['Actual weight (kg)', doc.actualWeightKg, KG_FORMAT],
    [
      'Weight',
      weightSummary(
        { kg: doc.actualWeightKg, parents: doc.parents.length, estimatedParents: doc.estimatedParents },
        (n) => `${kgText.format(n)} kg`,
      ),
    ],
    ['Expected weight (kg)', doc.expectedWeightKg, KG_FORMAT],
    ['Created at', sheetDate(b.createdAt), DATE_FORMAT],
    ['Created by', b.createdBy],
    ['Completed at', b.completedAt === null ? null : sheetDate(b.completedAt), DATE_FORMAT],
    ['Completed by', b.completedBy],
    ['Exported at', sheetDate(doc.exportedAt), DATE_FORMAT],
    ['Exported by', doc.exportedBy],
  ];
  for (const [label, value, numFmt] of facts) {
    const row = summary.addRow([label, value]);
    row.getCell(1).font = { bold: true };
    if (numFmt) row.getCell(2).numFmt = numFmt;
    row.getCell(2).alignment = { horizontal: 'left' };
    row.commit();
  }
  summary.addRow([]).commit();
  const head = summary.addRow([
    'Parent bag',
    'Child bags',
    'Weight (kg)',
    'Weight source',
    'Weight check',
    'Added at',
    'Added by',
  ]);
  head.font = { bold: true };
  head.commit();
  let children = 0;
  for (const p of doc.parents) {
    const row = summary.addRow([
      p.code,
      p.childCount,
      grams(p.weight.kg),
      weightSourceName[p.weight.state],
      p.weight.check,
      sheetDate(p.addedAt),
      p.addedBy,
    ]);
    row.getCell(3).numFmt = KG_FORMAT;
    row.getCell(6).numFmt = DATE_FORMAT;
    row.commit();
    children += p.childCount;
  }
  const total = summary.addRow([
    'Total',
    children,
    doc.actualWeightKg,
    totalSource(doc.estimatedParents, doc.parents.length),
  ]);
  total.font = { bold: true };
  total.getCell(3).numFmt = KG_FORMAT;
  total.commit();
  summary.commit();

  const detail = book.addWorksheet('Children', { views: [{ state: 'frozen', ySplit: 1 }] });
  detail.columns = [
    { header: 'Bill', width: 16 },
    { header: 'Parent bag', width: 14 },
    { header: 'Child bag', width: 22 },
    { header: 'Linked at', width: 20, style: { numFmt: DATE_FORMAT } },
    { header: 'Linked by', width: 14 },
  ];
  detail.getRow(1).font = { bold: true };
  let count = 0;
  for (const c of doc.children()) {
    detail.addRow([b.billNo, c.parentCode, c.childCode, sheetDate(c.linkedAt), c.linkedBy]).commit();
    if (++count % BATCH === 0) await pause();
  }
  detail.commit();
  await book.commit();
  await finished(out);
  return count;
}
