import { linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { parseCsv } from '../export/testing/csv-parse.ts';
import { pdfText } from '../export/testing/pdf-render.ts';
import { BILL_NO, stationWithBill } from '../export/testing/test-bill.ts';
import type { TestStation } from '../testing/test-station.ts';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stdin: Readable.from(['']),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('baglink export', () => {
  let t: TestStation;
  let out: string;
  beforeAll(async () => {
    t = await stationWithBill();
    out = mkdtempSync(join(tmpdir(), 'baglink-export-out-'));
  });
  afterAll(() => {
    t.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  it('writes a bill as CSV, XLSX and PDF while the station runs, and audits each as the console', async () => {
    for (const format of ['csv', 'xlsx', 'pdf']) {
      const file = join(out, `bill.${format}`);
      const r = await run([
        'export',
        'bill',
        BILL_NO,
        '--format',
        format,
        '--out',
        file,
        '--data-dir',
        t.dir,
      ]);
      expect(r, r.err).toMatchObject({ code: 0, out: expect.stringContaining(`Wrote ${file}`) });
    }
    const [, ...rows] = parseCsv(readFileSync(join(out, 'bill.csv'), 'utf8').slice(1));
    expect(rows).toHaveLength(49);
    expect(readFileSync(join(out, 'bill.xlsx')).subarray(0, 2).toString()).toBe('PK');
    expect(pdfText(join(out, 'bill.pdf'))).toContain(BILL_NO);
    expect(t.rows('audit_log', `action = 'bill.export' and user_id is null`)).toBe(3);
  });

  it('says on stderr how much a long export has written', async () => {
    process.env.BAGLINK_PROGRESS_MS = '0';
    try {
      const file = join(out, 'bill-progress.csv');
      const r = await run(['export', 'bill', BILL_NO, '--format', 'csv', '--out', file, '--data-dir', t.dir]);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(new RegExp(`^writing ${file}: \\d+\\.\\d MB so far$`, 'm'));
      expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(out, 'bill.csv'), 'utf8'));
    } finally {
      delete process.env.BAGLINK_PROGRESS_MS;
    }
  });

  it('writes the end-of-day report for a date', async () => {
    const file = join(out, 'eod.pdf');
    const r = await run([
      'export',
      'eod',
      '--date',
      '2026-01-15',
      '--format',
      'pdf',
      '--out',
      file,
      '--data-dir',
      t.dir,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(pdfText(file)).toContain('END OF DAY');
  });

  it('leaves no file behind when it refuses, and says why in one sentence', async () => {
    const file = join(out, 'missing.pdf');
    const missing = await run([
      'export',
      'bill',
      'NO-SUCH',
      '--format',
      'pdf',
      '--out',
      file,
      '--data-dir',
      t.dir,
    ]);
    expect(missing).toMatchObject({ code: 2, err: 'There is no bill NO-SUCH.' });
    expect(readdirSync(out).filter((f) => f.startsWith('missing'))).toEqual([]);
    const bad = await run(['export', 'bill', BILL_NO, '--format', 'docx', '--data-dir', t.dir]);
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('--format csv|xlsx|pdf') });
    const day = await run([
      'export',
      'eod',
      '--date',
      '2026-13-01',
      '--format',
      'csv',
      '--out',
      file,
      '--data-dir',
      t.dir,
    ]);
    expect(day).toMatchObject({ code: 2, err: expect.stringContaining('YYYY-MM-DD') });
    expect((await run(['export', '--data-dir', t.dir])).code).toBe(2);
  });

  it('never writes into the data folder: the database, its write-ahead log or a hard link to it are refused', async () => {
    const db = join(t.dir, 'station.db');
    const before = { size: statSync(db).size, ino: statSync(db).ino };
    const link = join(out, 'innocent.csv');
    linkSync(db, link);
    for (const target of [db, `${db}-wal`, join(t.dir, 'eod.csv'), link]) {
      const r = await run(['export', 'eod', '--format', 'csv', '--out', target, '--data-dir', t.dir]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("inside the station's data folder");
    }
    expect(statSync(db).ino).toBe(before.ino);
    expect(readFileSync(db).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect((await run(['status', '--json', '--data-dir', t.dir])).code).toBe(0);
    rmSync(link);
  });
});
