import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baglink, serve, type Served } from '../../src-main/bench/serve-process.ts';
import { parseCsv } from '../../src-main/export/testing/csv-parse.ts';

/** What a browser-mode download button does: call the export method and decode the file it answers. */
describe('exports through baglink serve', () => {
  let dataDir: string;
  let station: Served;
  const today = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'baglink-e2e-export-'));
    const added = baglink(
      ['user', 'add', '--data-dir', dataDir, '--username', 'admin', '--role', 'admin', '--password-stdin'],
      'admin-password\n',
    );
    expect(added.code, added.stderr).toBe(0);
    station = await serve(dataDir);
    expect((await station.call('auth.login', { username: 'admin', password: 'admin-password' })).ok).toBe(
      true,
    );
    for (const code of ['SB00001', 'CHILD001', 'CHILD002', 'CHILD003']) {
      expect((await station.call('scan.submit', { code })).ok).toBe(true);
    }
    const bill = { billNo: 'BL-7', destination: 'दिल्ली', vehicleNo: 'DL01AB1234', capacity: 2 };
    expect((await station.call('bills.create', bill)).ok).toBe(true);
    expect((await station.call('bills.addParent', { billNo: 'BL-7', parent: 'SB00001' })).ok).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await station?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers each bill format as a named, typed, base64 file', async () => {
    const csv = await station.call('bills.export', { billNo: 'BL-7', format: 'csv' });
    expect(csv.value).toMatchObject({ fileName: 'bill-BL-7.csv', mimeType: 'text/csv; charset=utf-8' });
    const [header, ...rows] = parseCsv(Buffer.from(csv.value.dataBase64, 'base64').toString('utf8').slice(1));
    expect(header?.[0]).toBe('bill_no');
    // The last row is the bill's total (issue 16: its weight, and whether it is estimated).
    expect(rows.pop()?.slice(3, 4)).toEqual(['TOTAL']);
    expect(rows.map((r) => [r[1], r[4]])).toEqual([
      ['दिल्ली', 'CHILD001'],
      ['दिल्ली', 'CHILD002'],
      ['दिल्ली', 'CHILD003'],
    ]);
    const xlsx = await station.call('bills.export', { billNo: 'BL-7', format: 'xlsx' });
    expect(Buffer.from(xlsx.value.dataBase64, 'base64').subarray(0, 2).toString()).toBe('PK');
    const pdf = await station.call('bills.export', { billNo: 'BL-7', format: 'pdf' });
    expect(pdf.value.mimeType).toBe('application/pdf');
    expect(Buffer.from(pdf.value.dataBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('answers the end-of-day report and lists the exports in the audit trail', async () => {
    const eod = await station.call('reports.endOfDay', { date: today(), format: 'csv' });
    expect(eod.ok, JSON.stringify(eod.error)).toBe(true);
    const text = Buffer.from(eod.value.dataBase64, 'base64').toString('utf8');
    expect(text).toContain('summary,,,,children,3');
    const audit = await station.call('audit.list', { billNo: 'BL-7' });
    expect(audit.value.rows.filter((r: { action: string }) => r.action === 'bill.export')).toHaveLength(3);
    expect(audit.value.rows[0]).toMatchObject({ username: 'admin', entity: 'bill' });
  });
});
