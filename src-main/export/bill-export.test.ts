import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billCsvHeader } from './bill-csv.ts';
import { parseCsv } from './testing/csv-parse.ts';
import type { ExportFile } from '../../src-shared/export-formats.ts';
import { BILL_NO, DESCRIPTION, DESTINATION, FILL, PARENTS, stationWithBill } from './testing/test-bill.ts';
import { localStamp, sheetDate } from '../core/local-time.ts';
import type { TestStation } from '../testing/test-station.ts';

/** The bill's children as the database has them, in the order the export promises. */
function childrenInDb(t: TestStation) {
  return t.station.ctx.sqlite
    .prepare(
      `select p.code as parent, c.code as child, l.linked_at as linkedAt, ul.username as linkedBy,
         bb.added_at as addedAt, ua.username as addedBy
       from bills b join bill_bags bb on bb.bill_id = b.id and bb.removed_at is null
       join bags p on p.id = bb.parent_id join links l on l.parent_id = p.id and l.removed_at is null
       join bags c on c.id = l.child_id join users ul on ul.id = l.linked_by join users ua on ua.id = bb.added_by
       where b.bill_no = ? order by bb.added_at, bb.id, l.linked_at, l.id`,
    )
    .all(BILL_NO) as {
    parent: string;
    child: string;
    linkedAt: number;
    linkedBy: string;
    addedAt: number;
    addedBy: string;
  }[];
}

describe('bill exports', () => {
  let t: TestStation;
  const exportAs = (format: string) => t.call<ExportFile>('bills.export', { billNo: BILL_NO, format });
  const exportAudits = () => t.rows('audit_log', `action = 'bill.export'`);

  beforeAll(async () => {
    t = await stationWithBill();
  });
  afterAll(() => t.dispose());

  it('CSV: UTF-8 with BOM, CRLF, one row per child that parses back to exactly the database rows', async () => {
    const file = await exportAs('csv');
    expect(file).toMatchObject({ fileName: 'bill-DN-2026-0042.csv', mimeType: 'text/csv; charset=utf-8' });
    const bytes = Buffer.from(file.dataBase64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(billCsvHeader);
    const total = rows.pop();
    const db = childrenInDb(t);
    expect(db).toHaveLength(FILL.reduce((a, b) => a + b, 0));
    // A bill from before the station weighed anything: every parent's weight is its estimate.
    const estimate = (parent: string) => String(FILL[PARENTS.indexOf(parent as (typeof PARENTS)[number])]);
    expect(rows).toEqual(
      db.map((c) => [
        BILL_NO,
        DESTINATION,
        'DL01AB1234',
        c.parent,
        c.child,
        localStamp(c.linkedAt),
        c.linkedBy,
        localStamp(c.addedAt),
        c.addedBy,
        estimate(c.parent),
        'estimated',
        '',
      ]),
    );
    expect(total).toEqual([
      BILL_NO,
      DESTINATION,
      'DL01AB1234',
      'TOTAL',
      '',
      '',
      '',
      '',
      '',
      '49',
      'estimated: 3 of 3 parents',
      '',
    ]);
    expect(new Set(rows.map((r) => r[3]))).toEqual(new Set(PARENTS));
    expect(rows.every((r) => r[6] === 'dock1' && r[8] === 'sup')).toBe(true);
  });

  it('XLSX: a Summary sheet and a Children sheet whose counts are numbers and times are dates', async () => {
    const file = await exportAs('xlsx');
    expect(file.fileName).toBe('bill-DN-2026-0042.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Summary', 'Children']);
    const summary = book.getWorksheet('Summary')!;
    const facts = new Map<string, ExcelJS.CellValue>();
    summary.eachRow((row) => facts.set(String(row.getCell(1).value), row.getCell(2).value));
    const bill = t.station.ctx.bills.byNo(BILL_NO)!;
    expect(facts.get('Bill number')).toBe(BILL_NO);
    expect(facts.get('Destination')).toBe(DESTINATION);
    expect(facts.get('Description')).toBe(DESCRIPTION);
    expect(facts.get('Parent bags')).toBe(3);
    expect(facts.get('Child bags')).toBe(49);
    expect(facts.get('Actual weight (kg)')).toBe(49);
    expect(facts.get('Weight')).toBe('49 kg (3 of 3 parents estimated)');
    expect(facts.get('Expected weight (kg)')).toBe(150);
    expect(facts.get('Completed at')).toEqual(sheetDate(bill.completedAt!));
    // The parent lines under the facts: code, children (number), weight (number), added at (date).
    const rows = new Map<string, ExcelJS.Row>();
    summary.eachRow((row) => rows.set(String(row.getCell(1).value), row));
    for (const [i, code] of PARENTS.entries()) {
      expect(facts.get(code)).toBe(FILL[i]);
      expect([3, 4, 5].map((c) => rows.get(code)!.getCell(c).value)).toEqual([FILL[i], 'estimated', null]);
    }
    expect(rows.get('Total')!.getCell(4).value).toBe('estimated: 3 of 3 parents');
    expect(facts.get('Total')).toBe(49);

    const detail = book.getWorksheet('Children')!;
    const db = childrenInDb(t);
    expect(detail.rowCount).toBe(db.length + 1);
    db.forEach((c, i) => {
      const row = detail.getRow(i + 2);
      expect(row.getCell(2).value).toBe(c.parent);
      expect(row.getCell(3).value).toBe(c.child);
      expect(row.getCell(4).type).toBe(ExcelJS.ValueType.Date);
      expect(row.getCell(4).value).toEqual(sheetDate(c.linkedAt));
      expect(row.getCell(5).value).toBe(c.linkedBy);
    });
    const total = summary.getRow(summary.rowCount);
    expect(total.getCell(2).type).toBe(ExcelJS.ValueType.Number);
  });

  it('only a supervisor may export, a refusal writes nothing, and every export is audited', async () => {
    const before = exportAudits();
    await exportAs('csv');
    expect(exportAudits()).toBe(before + 1);
    const row = t.station.ctx.sqlite
      .prepare(
        `select user_id as userId, after from audit_log where action = 'bill.export' order by rowid desc limit 1`,
      )
      .get() as { userId: string; after: string };
    expect(JSON.parse(row.after)).toMatchObject({ billNo: BILL_NO, format: 'csv', rows: 49 });
    expect(row.userId).toBe(t.station.ctx.users.byUsername('sup')!.id);

    expect(await t.refusal('bills.export', { billNo: 'NO-SUCH-BILL', format: 'pdf' })).toBe('bill_not_found');
    expect(await t.refusal('bills.export', { billNo: BILL_NO, format: 'docx' })).toBe('invalid_input');
    await t.login('dock1');
    expect(await t.refusal('bills.export', { billNo: BILL_NO, format: 'csv' })).toBe('role_required');
    await t.call('auth.logout');
    expect(await t.refusal('bills.export', { billNo: BILL_NO, format: 'csv' })).toBe('not_logged_in');
    expect(exportAudits()).toBe(before + 1);
    await t.login('sup');
  });
});

describe('export times', () => {
  it('write local wall-clock time, in the CSV and as spreadsheet dates, in a zone east of UTC', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
    try {
      const at = Date.UTC(2026, 0, 15, 4, 30, 5); // 10:00:05 in India
      expect(localStamp(at)).toBe('2026-01-15 10:00:05');
      expect(sheetDate(at).toISOString()).toBe('2026-01-15T10:00:05.000Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
