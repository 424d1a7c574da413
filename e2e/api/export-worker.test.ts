import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baglink, serve, type Answer, type Served } from '../../src-main/bench/serve-process.ts';
import { buildDesktop } from '../../scripts/build-main.ts';
import { fillBigBill } from '../../src-main/export/bulk-fill.ts';
import type { BillJob } from '../../src-main/export/export-job.ts';
import type { FromExportWorker } from '../../src-main/export/export-runner.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const password = 'a-long-password';
const BIG = 'DN-BIG';

/** A station with an admin and a completed bill of 200 full parents (6,000 children), as after a long day. */
function stationWithBigBill(dir: string): { stationId: string } {
  const add = [
    'user',
    'add',
    '--username',
    'admin',
    '--role',
    'admin',
    '--password-stdin',
    '--data-dir',
    dir,
  ];
  expect(baglink(add, `${password}\n`).code).toBe(0);
  const db = new Database(join(dir, 'station.db'));
  const { id } = db.prepare(`select id from users where username = 'admin'`).get() as { id: string };
  const { stationId } = db.prepare(`select station_id as stationId from station`).get() as {
    stationId: string;
  };
  fillBigBill(db, {
    billNo: BIG,
    parents: 200,
    childrenPerParent: 30,
    dockUserId: id,
    supervisorUserId: id,
    stationId,
    dispatchArea: 'MAIN',
    at: Date.now() - 86_400_000,
  });
  db.close();
  return { stationId };
}

describe('exports are built in a worker thread', () => {
  let dir: string;
  let station: { stationId: string };
  let s: Served;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baglink-export-worker-'));
    station = stationWithBigBill(dir);
    s = await serve(dir);
    expect((await s.call('auth.login', { username: 'admin', password })).ok).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('baglink serve answers /health and commits scans while a 6,000-child XLSX is being built', async () => {
    let finished = false;
    const exported = s.call('bills.export', { billNo: BIG, format: 'xlsx' }).finally(() => (finished = true));
    let health = 0;
    const scans: Answer[] = [];
    await s.call('scan.submit', { code: 'SB90000' });
    for (let n = 0; !finished && n < 10_000; n++) {
      const res = await fetch(`${s.url}/health`);
      if (res.ok && !finished) health++;
      if (n % 4 === 0 && !finished && scans.length < 29)
        scans.push(await s.call('scan.submit', { code: `LIVE${String(n).padStart(5, '0')}` }));
    }
    const file = await exported;
    expect(file.ok, JSON.stringify(file.error)).toBe(true);
    expect(Buffer.from(file.value.dataBase64, 'base64').subarray(0, 2).toString()).toBe('PK');
    // Built on the event loop, the same export let about 20 health checks and 5 scans through here; in its
    // worker the loop stays free for the whole build (about 140 and 29).
    expect(health).toBeGreaterThanOrEqual(50);
    expect(scans.length).toBeGreaterThanOrEqual(12);
    expect(scans.every((a) => a.ok && a.value.outcome === 'linked')).toBe(true);
  });

  it("answers a refusal from the worker with the station's own error, and audits only what was made", async () => {
    const missing = await s.call('bills.export', { billNo: 'NO-SUCH', format: 'pdf' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'bill_not_found' } });
    const audit = await s.call('audit.list', { limit: 50 });
    const exports = audit.value.rows.filter((r: { action: string }) => r.action === 'bill.export');
    expect(exports).toHaveLength(1);
    expect(exports[0].after).toMatchObject({ billNo: BIG, format: 'xlsx', rows: 6000 });
  });

  it('the desktop build ships the export worker beside main.js, and it runs from there', async () => {
    const out = await buildDesktop({ outDir: join(root, 'dist-main', 'electron-export-check') });
    try {
      const job: BillJob = {
        kind: 'bill',
        dbPath: join(dir, 'station.db'),
        station: { stationId: station.stationId, name: 'Dock', dispatchArea: 'MAIN' },
        at: Date.now(),
        by: 'admin',
        childWeightKg: 1,
        parentExpectedWeightKg: 30,
        billNo: BIG,
        format: 'csv',
      };
      const worker = new Worker(out.exportWorker, { workerData: job });
      const answer = await new Promise<FromExportWorker>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(answer.ok && answer.done).toMatchObject({ fileName: 'bill-DN-BIG.csv', rows: 6000 });
    } finally {
      rmSync(join(root, 'dist-main', 'electron-export-check'), { recursive: true, force: true });
    }
  });
});
