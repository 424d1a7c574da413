import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILL_CSV_TOTAL, billCsvHeader } from './bill-csv.ts';
import { parseCsv } from './testing/csv-parse.ts';
import { pdfText, savePdf } from './testing/pdf-render.ts';
import {
  RECORDED_KG,
  stationWithWeighedBill,
  WEIGHED_BILL,
  WEIGHED_FILL,
  WEIGHED_PARENTS,
  WEIGHED_TOTAL_KG,
} from './testing/test-weights.ts';
import { exportWeight } from './parent-weight.ts';
import type { ExportFile } from '../../src-shared/export-formats.ts';
import type { TestStation } from '../testing/test-station.ts';

const [RECORDED, STALE, LATER, NEVER] = WEIGHED_PARENTS;

/** What each parent's weight columns should say: kg, source, check. */
const expected: Record<string, [number, string, string | null]> = {
  [RECORDED]: [RECORDED_KG, 'recorded', 'ok'],
  [STALE]: [WEIGHED_FILL[1], 'stale', 'acknowledged'],
  [LATER]: [WEIGHED_FILL[2], 'weigh later', null],
  [NEVER]: [WEIGHED_FILL[3], 'estimated', null],
};

describe('bill exports with recorded, stale, weigh-later and never-weighed parents', () => {
  let t: TestStation;
  const exportAs = async (format: 'csv' | 'xlsx' | 'pdf') =>
    Buffer.from(
      (await t.call<ExportFile>('bills.export', { billNo: WEIGHED_BILL, format })).dataBase64,
      'base64',
    );

  beforeAll(async () => {
    t = await stationWithWeighedBill();
  });
  afterAll(() => t.dispose());

  it('CSV: every child row carries its parent weight, source and check; the TOTAL row says it is estimated', async () => {
    const [header, ...rows] = parseCsv((await exportAs('csv')).toString('utf8').slice(1));
    expect(header).toEqual(billCsvHeader);
    const at = (name: string) => billCsvHeader.indexOf(name);
    const total = rows.pop()!;
    expect(rows).toHaveLength(WEIGHED_FILL.reduce((a, b) => a + b, 0));
    for (const row of rows) {
      const [kg, source, check] = expected[row[at('parent_code')]!]!;
      expect(row.slice(at('parent_weight_kg'))).toEqual([String(kg), source, check ?? '']);
    }
    expect(new Set(rows.map((r) => r[at('parent_code')]))).toEqual(new Set(WEIGHED_PARENTS));
    expect(total[at('parent_code')]).toBe(BILL_CSV_TOTAL);
    expect(total[at('child_code')]).toBe('');
    expect(total[at('parent_weight_kg')]).toBe(String(WEIGHED_TOTAL_KG));
    expect(total[at('parent_weight_source')]).toBe('estimated: 3 of 4 parents');
    // The audit row counts children, not the TOTAL row.
    const audit = t.station.ctx.sqlite
      .prepare(`select after from audit_log where action = 'bill.export' order by rowid desc limit 1`)
      .get() as { after: string };
    expect(JSON.parse(audit.after)).toMatchObject({ rows: rows.length });
  });

  it('XLSX: the parent lines carry weight (a number), source and check; the summary names the estimated parents', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await exportAs('xlsx')) as unknown as ArrayBuffer);
    const summary = book.getWorksheet('Summary')!;
    const lines = new Map<string, ExcelJS.Row>();
    summary.eachRow((row) => lines.set(String(row.getCell(1).value), row));
    expect(lines.get('Actual weight (kg)')!.getCell(2).value).toBe(WEIGHED_TOTAL_KG);
    expect(lines.get('Weight')!.getCell(2).value).toBe('54.4 kg (3 of 4 parents estimated)');
    const head = lines.get('Parent bag')!;
    expect([3, 4, 5].map((c) => head.getCell(c).value)).toEqual([
      'Weight (kg)',
      'Weight source',
      'Weight check',
    ]);
    for (const code of WEIGHED_PARENTS) {
      const row = lines.get(code)!;
      expect(row.getCell(3).type).toBe(ExcelJS.ValueType.Number);
      expect([3, 4, 5].map((c) => row.getCell(c).value)).toEqual(expected[code]);
      expect(row.getCell(6).type).toBe(ExcelJS.ValueType.Date);
    }
    const total = lines.get('Total')!;
    expect(total.getCell(3).value).toBe(WEIGHED_TOTAL_KG);
    expect(total.getCell(4).value).toBe('estimated: 3 of 4 parents');
  });

  it('PDF: recorded weights plain, the others marked est. with why, a legend, and the total marked estimated', async () => {
    const path = savePdf('bill-weights.pdf', await exportAs('pdf'));
    const text = pdfText(path);
    for (const want of [
      '30.4 kg',
      'weighed, ok',
      '7 kg est.',
      'stale',
      '12 kg est.',
      'weigh later',
      '5 kg est.',
      'not weighed',
      'Total: 4 parents',
      '54.4 kg est.',
      '3 of 4 est.',
      'ACTUAL WEIGHT · EST.',
      '3 of 4 parents estimated (est.)',
      'est. = estimated',
      'अनुमानित',
    ]) {
      expect(text, `the PDF text should contain ${want}`).toContain(want);
    }
    expect(text).not.toContain('30.4 kg est.');
    expect(text).not.toContain('…');
  });

  it('a weighing made after the bill was exported counts on the next export; a stale one does not', async () => {
    const now = t.clock.now();
    const db = t.station.ctx.sqlite;
    const id = (code: string) =>
      (db.prepare(`select id from bags where code = ?`).get(code) as { id: string }).id;
    db.prepare(
      `insert into parent_weights (id, parent_id, state, kg, tare_kg, child_count, expected_kg, check_result,
         station_id, at) values ('w-late-1', ?, 'recorded', 5.6, 0.5, 5, 5.5, 'ok', ?, ?)`,
    ).run(id(NEVER), t.station.ctx.station.stationId, now);
    try {
      const [, ...rows] = parseCsv((await exportAs('csv')).toString('utf8').slice(1));
      const total = rows.pop()!;
      expect(total.slice(-3)).toEqual(['55', 'estimated: 2 of 4 parents', '']);
    } finally {
      db.prepare(`delete from parent_weights where id = 'w-late-1'`).run();
    }
  });

  it('reads each parent newest weighing in the one parents query, through the parent_weights index', () => {
    const plan = t.station.ctx.sqlite
      .prepare(
        `explain query plan select x.id from parent_weights x where x.parent_id = ? order by x.at desc, x.id desc limit 1`,
      )
      .all('p') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('parent_weights_parent');
  });
});

describe('exportWeight: a parent newest weighing, as the exports count it', () => {
  const row = {
    weightState: null,
    weightKg: null,
    weightStaleAt: null,
    weightCheck: null,
    weightAckAt: null,
  } as const;
  it('recorded and unchanged: the scale weight, with its check', () => {
    expect(
      exportWeight({ ...row, weightState: 'recorded', weightKg: 27.9, weightCheck: 'off' }, 30, 1),
    ).toEqual({ state: 'recorded', kg: 27.9, estimated: false, check: 'off' });
  });
  it('never weighed, weigh later, stale: children x child weight, estimated', () => {
    expect(exportWeight(row, 7, 1.2)).toEqual({
      state: 'estimated',
      kg: 7 * 1.2,
      estimated: true,
      check: null,
    });
    expect(exportWeight({ ...row, weightState: 'later', weightCheck: 'none' }, 3, 1)).toMatchObject({
      state: 'later',
      kg: 3,
      estimated: true,
      check: null,
    });
    expect(
      exportWeight(
        { ...row, weightState: 'recorded', weightKg: 9, weightStaleAt: 5, weightCheck: 'ok' },
        10,
        1,
      ),
    ).toEqual({ state: 'stale', kg: 10, estimated: true, check: 'ok' });
  });
});
