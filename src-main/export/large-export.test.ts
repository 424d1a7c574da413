import ExcelJS from 'exceljs';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from './testing/csv-parse.ts';
import { pdfPages, pdfText, renderPage, savePdf } from './testing/pdf-render.ts';
import { fillBigBill } from './bulk-fill.ts';
import { billQuery } from './bill-query.ts';
import { openSnapshot } from './snapshot.ts';
import { createTestStation, PASSWORD, START, type TestStation } from '../testing/test-station.ts';

describe('a bill of 500 full parents (15,000 children), streamed to files', () => {
  let t: TestStation;
  const toFile = (format: 'csv' | 'xlsx' | 'pdf') => {
    const path = join(t.dir, `big.${format}`);
    return t.station.exports
      .bill('console', 'BIG-1', format, createWriteStream(path))
      .then((done) => ({ path, done }));
  };

  beforeAll(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('ravi', 'dock');
    const id = (u: string) => t.station.ctx.users.byUsername(u)!.id;
    fillBigBill(t.station.ctx.sqlite, {
      billNo: 'BIG-1',
      parents: 500,
      childrenPerParent: 30,
      dockUserId: id('ravi'),
      supervisorUserId: id('admin'),
      stationId: t.station.ctx.station.stationId,
      dispatchArea: t.station.ctx.station.dispatchArea,
      at: START,
    });
    // Every other parent weighed (after an earlier "weigh later"), the rest never: 250 x 30.5 kg recorded and
    // 250 x 30 kg estimated. The exports read them all in their one parents query.
    const sqlite = t.station.ctx.sqlite;
    const weigh = sqlite.prepare(
      `insert into parent_weights (id, parent_id, state, kg, tare_kg, child_count, expected_kg, check_result,
         station_id, at) values (?, ?, ?, ?, 0.5, 30, 30.5, ?, ?, ?)`,
    );
    const parents = sqlite.prepare(`select id from bags where kind = 'parent' order by code`).all() as {
      id: string;
    }[];
    sqlite.transaction(() => {
      parents.forEach((p, i) => {
        if (i % 2) return;
        const stationId = t.station.ctx.station.stationId;
        weigh.run(`later-${i}`, p.id, 'later', null, 'none', stationId, START + i * 60_000 + 40_000);
        weigh.run(`kg-${i}`, p.id, 'recorded', 30.5, 'ok', stationId, START + i * 60_000 + 45_000);
      });
    })();
  });
  afterAll(() => t.dispose());

  it('CSV: every child once, in parent order, as the database has them', async () => {
    const { path, done } = await toFile('csv');
    expect(done).toMatchObject({ fileName: 'bill-BIG-1.csv', rows: 15_000 });
    const [header, ...rows] = parseCsv(readFileSync(path, 'utf8').slice(1));
    expect(header?.[0]).toBe('bill_no');
    const total = rows.pop()!;
    expect([total[3], ...total.slice(-3)]).toEqual(['TOTAL', '15125', 'estimated: 250 of 500 parents', '']);
    expect(rows[0]?.slice(-3)).toEqual(['30.5', 'recorded', 'ok']);
    expect(rows[30]?.slice(-3)).toEqual(['30', 'estimated', '']);
    expect(rows).toHaveLength(15_000);
    expect(new Set(rows.map((r) => r[4])).size).toBe(15_000);
    expect(rows[0]?.slice(3, 5)).toEqual(['SB00000', 'BK00000000']);
    expect(rows[14_999]?.slice(3, 5)).toEqual(['SB00499', 'BK00014999']);
    const linked = t.rows('links', 'removed_at is null');
    expect(rows).toHaveLength(linked);
  });

  it('XLSX: 15,000 detail rows and 500 parent lines', async () => {
    const { path } = await toFile('xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    expect(book.getWorksheet('Children')!.rowCount).toBe(15_001);
    const summary = book.getWorksheet('Summary')!;
    const total = summary.getRow(summary.rowCount);
    expect(total.getCell(1).value).toBe('Total');
    expect(total.getCell(2).value).toBe(15_000);
    expect(total.getCell(3).value).toBe(15_125);
  });

  it('PDF: the parent table runs over pages with the totals and signatures at the end', async () => {
    const { path } = await toFile('pdf');
    const copy = savePdf('bill-500-parents.pdf', readFileSync(path));
    const pages = pdfPages(copy);
    expect(pages).toBeGreaterThan(10);
    const text = pdfText(copy);
    expect(text).toContain('SB00499');
    expect(text).toContain('Total: 500 parents');
    expect(text).toContain('15,125 kg est.');
    expect(text).toContain('250 of 500 parents estimated');
    expect(text).toContain(`page ${pages} of ${pages}`);
    expect(text.match(/Parent bag/g)?.length).toBe(pages);
    renderPage(copy, pages);
  });

  it('reads 500 parents with their newest weighings in one query', () => {
    const snapshot = openSnapshot(t.station.ctx.sqlite);
    try {
      const q = billQuery(snapshot.db, 1);
      const id = q.header('BIG-1')!.id;
      const parents = q.parents(id);
      expect(parents).toHaveLength(500);
      expect(parents.filter((p) => p.weight.state === 'recorded')).toHaveLength(250);
      // Speed is the bench's (npm run bench: exports); bill-weights.test.ts pins the index the lookup uses.
    } finally {
      snapshot.close();
    }
  });

  it('console exports are audited as the console', () => {
    const rows = t.station.ctx.sqlite
      .prepare(`select user_id as userId, after from audit_log where action = 'bill.export'`)
      .all() as { userId: string | null; after: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const r of rows) {
      expect(r.userId).toBeNull();
      expect(JSON.parse(r.after)).toMatchObject({ billNo: 'BIG-1', via: 'console' });
    }
  });
});
