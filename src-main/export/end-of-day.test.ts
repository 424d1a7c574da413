import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from './testing/csv-parse.ts';
import { eodCsvHeader } from './eod-csv.ts';
import type { ExportFile } from '../../src-shared/export-formats.ts';
import { pdfText, renderPage, savePdf } from './testing/pdf-render.ts';
import { BILL_NO, stationWithBill } from './testing/test-bill.ts';
import {
  insertWeight,
  stationWithWeighedBill,
  WEIGHED_BILL,
  WEIGHED_PARENTS,
  WEIGHED_TOTAL_KG,
} from './testing/test-weights.ts';
import { localDay } from '../core/local-time.ts';
import { fillDayOfScans } from './bulk-fill.ts';
import { refusalName } from '../../src-shared/audit-text.ts';
import { createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

const DAY = '2026-01-15';

/** The CSV's rows as "section|operator|hour|item|metric" -> value. */
function figures(csv: string): Map<string, string> {
  const [header, ...rows] = parseCsv(csv.replace(/^\uFEFF/, ''));
  expect(header).toEqual(eodCsvHeader);
  return new Map(rows.map((r) => [r.slice(0, 5).join('|'), r[5] ?? '']));
}

function sqlCount(t: TestStation, where: string, ...params: unknown[]): number {
  const day = localDay(DAY)!;
  return (
    t.station.ctx.sqlite
      .prepare(
        `select count(*) as n from scans s left join users u on u.id = s.user_id where s.at >= ? and s.at < ? and ${where}`,
      )
      .get(day.start, day.end, ...params) as { n: number }
  ).n;
}

describe('end-of-day summary', () => {
  let t: TestStation;
  const report = (format: 'csv' | 'pdf', date = DAY) =>
    t.call<ExportFile>('reports.endOfDay', { date, format });

  beforeAll(async () => {
    t = await stationWithBill();
  });
  afterAll(() => t.dispose());

  it('CSV: totals, per operator, per hour and rejections agree with the scan log; the completed bill is listed', async () => {
    const file = await report('csv');
    expect(file).toMatchObject({ fileName: `end-of-day-${DAY}.csv`, mimeType: 'text/csv; charset=utf-8' });
    const f = figures(Buffer.from(file.dataBase64, 'base64').toString('utf8'));
    expect(f.get('summary||||scans')).toBe(String(sqlCount(t, '1')));
    expect(f.get('summary||||children')).toBe(String(sqlCount(t, `s.action = 'link'`)));
    expect(f.get('summary||||parents')).toBe(String(sqlCount(t, `s.action = 'parent'`)));
    expect(f.get('summary||||rejected')).toBe('1');
    expect(f.get('summary||||bills_completed')).toBe('1');
    expect(f.get('operator|dock1|||children')).toBe(
      String(sqlCount(t, `s.action = 'link' and u.username = 'dock1'`)),
    );
    expect(f.get('operator|dock1|||parents')).toBe('3');
    expect(f.get('hour||10||children')).toBe('49');
    expect(f.get('operator_hour|dock1|10||children')).toBe('49');
    expect(f.get('rejected|||Not a bag code|count')).toBe('1');
    const changes = [...f].filter(([k]) => k.startsWith('change|')).map(([, v]) => v);
    expect(changes).toContain(`sup completed bill ${BILL_NO}.`);
    expect(changes.join('\n')).not.toMatch(/\(nobody\)|invalid_code|bill\.complete|[0-9a-f]{8}-[0-9a-f]{4}/);
    expect(f.get(`bill_completed|sup||${BILL_NO}|children`)).toBe('49');
    // No parent of this bill was weighed: its weight is the estimate, and says so.
    expect(f.get(`bill_completed|sup||${BILL_NO}|actual_weight_kg`)).toBe('49');
    expect(f.get(`bill_completed|sup||${BILL_NO}|weight_source`)).toBe('estimated: 3 of 3 parents');
    expect(f.get(`bill_completed|sup||${BILL_NO}|parents_estimated`)).toBe('3');
    expect(f.get('weights||||parents_weighed')).toBe('0');
    expect(f.get('weights||||bill_parents_estimated')).toBe('3');
    expect(f.get(`bill_completed|sup||${BILL_NO}|destination`)).toContain('दिल्ली');
    expect(f.get('sync||||outbox_depth')).toBe(String(t.rows('outbox', 'sent_at is null')));
    expect(f.has('sync||||state')).toBe(true);
  });

  it('counts the conflicts the sync worker recorded that day', async () => {
    const csv = async () => figures(Buffer.from((await report('csv')).dataBase64, 'base64').toString('utf8'));
    expect((await csv()).get('summary||||conflicts')).toBe('0');
    const day = localDay(DAY)!;
    const add = t.station.ctx.sqlite.prepare(
      `insert into sync_conflicts (central_id, seq, op, kind, local, created_at, resolved_at) values (?, ?, 'link', ?, '{}', ?, ?)`,
    );
    add.run(901, 1, 'child_elsewhere', day.start + 1000, null);
    add.run(902, 2, 'child_elsewhere', day.start + 2000, day.start + 3000);
    add.run(903, 3, 'parent_on_bill', day.end + 1000, null); // the next day
    const f = await csv();
    expect(f.get('summary||||conflicts')).toBe('2');
    expect(f.get('summary||||conflicts_open')).toBe('2');
    expect(f.get('conflict|||child_elsewhere|count')).toBe('2');
    expect(f.has('conflict|||parent_on_bill|count')).toBe(false);
  });

  it('PDF: the day, the totals, the Hindi destination of the completed bill, and a rendered page', async () => {
    const file = await report('pdf');
    expect(file.mimeType).toBe('application/pdf');
    const path = savePdf('end-of-day.pdf', Buffer.from(file.dataBase64, 'base64'));
    const text = pdfText(path);
    for (const expected of [
      'END OF DAY',
      DAY,
      BILL_NO,
      'दिल्ली',
      'dock1',
      'Not a bag code',
      'Changes by supervisors and admins',
      `sup completed bill ${BILL_NO}.`,
      'Per hour',
      'Sync:',
    ]) {
      expect(text, `the PDF text should contain ${expected}`).toContain(expected);
    }
    expect(renderPage(path).length).toBeGreaterThan(1000);
  });

  it('refuses a day that does not exist, a dock worker, and audits each report', async () => {
    const audits = () => t.rows('audit_log', `action = 'report.endOfDay'`);
    const before = audits();
    await report('csv');
    expect(audits()).toBe(before + 1);
    expect(await t.refusal('reports.endOfDay', { date: '2026-02-30', format: 'csv' })).toBe('invalid_date');
    expect(await t.refusal('reports.endOfDay', { date: '15-01-2026', format: 'csv' })).toBe('invalid_input');
    expect(await t.refusal('reports.endOfDay', { date: DAY, format: 'xlsx' })).toBe('invalid_input');
    await t.login('dock1');
    expect(await t.refusal('reports.endOfDay', { date: DAY, format: 'pdf' })).toBe('role_required');
    expect(audits()).toBe(before + 1);
    await t.login('sup');
  });
});

describe('end-of-day with weighed parents', () => {
  let t: TestStation;
  const report = async (format: 'csv' | 'pdf') =>
    Buffer.from((await t.call<ExportFile>('reports.endOfDay', { date: DAY, format })).dataBase64, 'base64');

  beforeAll(async () => {
    t = await stationWithWeighedBill();
    // A weighing of the day before (off, older than the first parent's newest): not this day's.
    const day = localDay(DAY)!;
    insertWeight(t, {
      parent: WEIGHED_PARENTS[0],
      state: 'recorded',
      kg: 20,
      check: 'off',
      at: day.start - 1,
    });
  });
  afterAll(() => t.dispose());

  it("CSV: the bill's actual weight with recorded and estimated parents, and the day's weighings", async () => {
    const f = figures((await report('csv')).toString('utf8'));
    const bill = (metric: string) => f.get(`bill_completed|sup||${WEIGHED_BILL}|${metric}`);
    expect(bill('actual_weight_kg')).toBe(String(WEIGHED_TOTAL_KG));
    expect(bill('weight_source')).toBe('estimated: 3 of 4 parents');
    expect(bill('parents_estimated')).toBe('3');
    // Weighed that day: the recorded, the stale and the weigh-later parent (each weighed once); put off: the
    // first (before its weighing) and the third; one weighed off, acknowledged.
    expect(f.get('weights||||parents_weighed')).toBe('3');
    expect(f.get('weights||||parents_weigh_later')).toBe('2');
    expect(f.get('weights||||parents_off')).toBe('1');
    expect(f.get('weights||||parents_off_acknowledged')).toBe('1');
    expect(f.get('weights||||bill_parents_weighed')).toBe('1');
    expect(f.get('weights||||bill_parents_estimated')).toBe('3');
  });

  it('PDF: the bill weight marked est., the weighings line and the legend', async () => {
    const path = savePdf('end-of-day-weights.pdf', await report('pdf'));
    const text = pdfText(path);
    for (const want of [
      WEIGHED_BILL,
      '54.4 kg est.',
      'Weighed on this day: 3 parents',
      'weigh later: 2',
      'weight off: 1 (1 acknowledged)',
      'parents of these bills: 1 weighed, 3 estimated',
      'est. = estimated',
      'अनुमानित',
    ]) {
      expect(text, `the PDF text should contain ${want}`).toContain(want);
    }
  });
});

describe('end-of-day of 50,000 scans', () => {
  let t: TestStation;
  beforeAll(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('ravi', 'dock');
    const ids = ['admin', 'ravi'].map((u) => t.station.ctx.users.byUsername(u)!.id);
    const day = localDay(DAY)!;
    const stationId = t.station.ctx.station.stationId;
    fillDayOfScans(t.station.ctx.sqlite, { dayStart: day.start, scans: 50_000, userIds: ids, stationId });
    // Scans of the days around must not count.
    fillDayOfScans(t.station.ctx.sqlite, {
      dayStart: day.start - 86_400_000,
      scans: 500,
      userIds: ids,
      stationId,
    });
    fillDayOfScans(t.station.ctx.sqlite, { dayStart: day.end, scans: 500, userIds: ids, stationId });
  });
  afterAll(() => t.dispose());

  it('summarises exactly that day, by operator and by reason', async () => {
    const path = join(t.dir, 'eod.csv');
    const done = await t.station.exports.endOfDay('console', DAY, 'csv', null, createWriteStream(path));
    expect(done.rows).toBe(50_000);
    const f = figures(readFileSync(path, 'utf8'));
    expect(f.get('summary||||scans')).toBe('50000');
    expect(f.get('summary||||children')).toBe(String(sqlCount(t, `s.action = 'link'`)));
    expect(f.get('operator|ravi|||scans')).toBe('25000');
    for (const reason of ['invalid_code', 'linked_elsewhere', 'parent_full', 'no_active_parent']) {
      const name = refusalName(reason, 'en');
      expect(f.get(`rejected|||${name}|count`)).toBe(String(sqlCount(t, `s.reason = ?`, reason)));
    }
    const hours = [...f].filter(([k]) => k.startsWith('hour|') && k.endsWith('|scans'));
    expect(hours.reduce((n, [, v]) => n + Number(v), 0)).toBe(50_000);
    expect(f.get('sync||||state')).toBe('unknown');
  });

  it('reads the day through the scans_at_idx index, not the whole log', () => {
    const plan = t.station.ctx.sqlite
      .prepare(`explain query plan select at, action, reason, user_id from scans where at >= ? and at < ?`)
      .all(0, 1) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('scans_at_idx');
  });
});
