import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baglink, serve, token, type Served } from '../../src-main/bench/serve-process.ts';

/** The whole link flow through `baglink serve` over HTTP, as a curl session would do it. */
describe('baglink serve, end to end over HTTP', () => {
  let dataDir: string;
  let station: Served | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'baglink-e2e-'));
    const added = baglink(
      ['user', 'add', '--data-dir', dataDir, '--username', 'admin', '--role', 'admin', '--password-stdin'],
      'admin-password\n',
    );
    expect(added.code, added.stderr).toBe(0);
  });

  afterEach(async () => {
    await station?.stop('SIGKILL');
    station = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs in, links 30 children, refuses the 31st, builds and completes a bill, and reads it back', async () => {
    station = await serve(dataDir);
    const health = await fetch(`${station.url}/health`);
    expect(health.status).toBe(200);

    const noToken = await fetch(`${station.url}/api/status.get`, { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);

    expect((await station.call('scan.submit', { code: 'SB00001' })).value.reason).toBe('not_logged_in');
    const login = await station.call('auth.login', { username: 'admin', password: 'admin-password' });
    expect(login.ok).toBe(true);
    expect(login.value.operator.role).toBe('admin');

    const parent = await station.call('scan.submit', { code: 'SB00001' });
    expect(parent.value.outcome).toBe('parent_active');
    for (let i = 1; i <= 30; i++) {
      const r = await station.call('scan.submit', { code: `CHILD${String(i).padStart(3, '0')}` });
      expect(r.value.outcome).toBe(i === 30 ? 'parent_full' : 'linked');
      expect(r.value.activeParent.childCount).toBe(i);
    }
    const refused = await station.call('scan.submit', { code: 'CHILD031' });
    expect(refused.value.outcome).toBe('rejected');
    expect(refused.value.reason).toBe('parent_full');

    expect(
      (
        await station.call('bills.create', {
          billNo: 'BL-9',
          destination: 'Delhi Hub',
          vehicleNo: 'DL01AB1234',
          capacity: 1,
        })
      ).ok,
    ).toBe(true);
    const added = await station.call('bills.addParent', { billNo: 'BL-9', parent: 'SB00001' });
    expect(added.value.bill.parentCount).toBe(1);
    const completed = await station.call('bills.complete', { billNo: 'BL-9' });
    expect(completed.value.bill.status).toBe('completed');
    expect(completed.value.warning).toBeNull();

    const bill = await station.call('bills.get', { billNo: 'BL-9' });
    expect(bill.value.parents[0].code).toBe('SB00001');
    expect(bill.value.parents[0].children).toHaveLength(30);
    expect(bill.value.actualWeightKg).toBe(30);
    expect(bill.value.expectedWeightKg).toBe(30);

    const child = await station.call('bags.lookup', { code: 'child007' });
    expect(child.value.parent.code).toBe('SB00001');
    expect(child.value.bill).toMatchObject({ billNo: 'BL-9', status: 'completed' });
    const rejected = await station.call('bags.lookup', { code: 'CHILD031' });
    expect(rejected.value.bag).toBeNull();
    expect(rejected.value.history[0].reason).toBe('parent_full');

    const bad = await station.call('bills.create', {
      billNo: 'BL-10',
      destination: 'X',
      vehicleNo: 'Y',
      capacity: 501,
    });
    expect(bad.error?.code).toBe('invalid_input');
    expect((await station.call('bills.get', { billNo: 'BL-10' })).error?.code).toBe('bill_not_found');
  });

  it('keeps every acknowledged scan through kill -9 and restart', async () => {
    station = await serve(dataDir);
    await station.call('auth.login', { username: 'admin', password: 'admin-password' });
    const acknowledged: string[] = [];
    let sent = 0;
    // A burst of parents and children with no pause; the station is killed in the middle of it.
    const burst = (async () => {
      for (let p = 0; p < 200; p++) {
        const codes = [
          `SB${String(p).padStart(5, '0')}`,
          ...Array.from({ length: 30 }, (_, c) => `K${p}X${c}`),
        ];
        const results = await Promise.allSettled(codes.map((code) => station!.call('scan.submit', { code })));
        sent += codes.length;
        for (const r of results)
          if (r.status === 'fulfilled' && r.value.ok) acknowledged.push(r.value.value.scanId);
        if (results.some((r) => r.status === 'rejected')) return;
      }
    })();
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 5));
    station.child.kill('SIGKILL');
    await burst;
    station = undefined;
    expect(sent).toBeGreaterThan(acknowledged.length);

    const db = new Database(join(dataDir, 'station.db'), { readonly: true });
    const has = db.prepare('select 1 from scans where id = ?');
    const missing = acknowledged.filter((id) => !has.get(id));
    const outbox = db.prepare('select count(*) as n, max(seq) as last from outbox').get() as {
      n: number;
      last: number;
    };
    db.close();
    expect(missing).toEqual([]);
    expect(outbox.n).toBe(outbox.last);

    station = await serve(dataDir);
    await station.call('auth.login', { username: 'admin', password: 'admin-password' });
    const status = await station.call('status.get');
    expect(status.value.outbox.depth).toBe(outbox.n);
    expect(token.length).toBeGreaterThan(16);
  });
});
