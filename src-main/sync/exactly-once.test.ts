import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStation } from '../central/enrol.ts';
import { centralStatus } from '../central/status.ts';
import type { CentralDb } from '../central/scratch-db.ts';
import { formatError } from '../../src-shared/errors.ts';
import { child, createTestStation, type TestStation } from '../testing/test-station.ts';
import { backupStation, restoreStation } from '../store/backup.ts';
import { createCentralClient, SyncError } from './central-client.ts';
import { loadSyncConfig, saveEnrolment } from './config.ts';
import { createSyncEngine, type SyncEngine } from './engine.ts';
import { joinStation } from './join.ts';
import { encodeBatch, withHash } from './push.ts';
import {
  centralState,
  expectAgreement,
  localState,
  syncAll,
  twoStations,
  type SyncedStation,
  type TwoStations,
} from './testing/stations.ts';

async function failure(p: Promise<unknown>): Promise<SyncError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof SyncError)) throw new Error(`expected a SyncError, got ${String(e)}`);
  return e;
}

/** The scans the centre holds for a station: code per scan, and whether any scan id is there twice. */
async function centralScans(
  db: CentralDb,
  stationId: string,
): Promise<{ codes: string[]; ids: number; distinct: number }> {
  const rows = await db.query<{ code: string; id: string }>(
    'select code, id::text as id from scans where station_id = $1 order by seq',
    [stationId],
  );
  return {
    codes: rows.map((r) => r.code).sort(),
    ids: rows.length,
    distinct: new Set(rows.map((r) => r.id)).size,
  };
}

function localScanCodes(s: TestStation): string[] {
  return (s.station.ctx.sqlite.prepare('select code from scans').all() as { code: string }[])
    .map((r) => r.code)
    .sort();
}

describe('exactly once across restored backups, twins, lost replies and re-joins', () => {
  let stations: TwoStations;
  let db: CentralDb;
  let a: SyncedStation;
  let b: SyncedStation;
  let backups: string;
  const extra: { dispose(): void }[] = [];
  const engines: SyncEngine[] = [];

  beforeEach(async () => {
    stations = await twoStations();
    ({ db, a, b } = stations);
    backups = mkdtempSync(join(tmpdir(), 'baglink-backups-'));
  });
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close().catch(() => undefined);
    for (const x of extra.splice(0)) x.dispose();
    await stations.dispose();
    rmSync(backups, { recursive: true, force: true });
  });

  /** The station closed, the file put back (by `restore`, or copied by hand), and the station opened again. */
  async function putBack(s: SyncedStation, file: string, how: 'restore' | 'copy'): Promise<void> {
    await s.engine.close();
    s.station.close();
    if (how === 'restore') restoreStation(s.dir, file);
    else {
      rmSync(join(s.dir, 'station.db-wal'), { force: true });
      rmSync(join(s.dir, 'station.db-shm'), { force: true });
      copyFileSync(file, join(s.dir, 'station.db'));
    }
    s.reopen();
    s.engine = createSyncEngine({ dataDir: s.dir, clock: s.clock });
    engines.push(s.engine);
    await s.login('ana');
  }

  it('a restored older backup: after recovery the centre holds every scan once, and the station has them back', async () => {
    await a.scan('SB00001');
    await a.scan(child(1));
    await syncAll([a, b]);
    await a.scan(child(2)); // unsent in the backup, sent (and applied) after it
    const file = join(backups, 'a.db');
    await backupStation(a.dir, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    await a.scan(child(3));
    await a.scan(child(4));
    await a.engine.cycle(); // acknowledged by the centre after the backup was taken
    await a.scan(child(5)); // made after the backup and never pushed: gone with the PC's disk

    await putBack(a, file, 'restore');
    expect(localScanCodes(a)).not.toContain(child(3));
    await a.scan('SB00002'); // seqs the centre has already applied under other operations
    await a.scan(child(6));
    await a.engine.cycle(); // straight to recovery: marked restored
    // child 2's operation, unsent in the backup, was applied at the centre: marked sent, not applied twice.
    const recovered = a.station.ctx.sqlite
      .prepare(`select count(*) as n from outbox where result like '%"recovered":true%'`)
      .get() as { n: number };
    expect(recovered.n).toBe(1);
    await syncAll([b, a]);

    const central = await centralScans(db, a.centralStationId);
    expect(central.ids).toBe(central.distinct);
    expect(central.codes).toEqual(
      ['SB00001', child(1), child(2), child(3), child(4), 'SB00002', child(6)].sort(),
    );
    expect(localScanCodes(a)).toEqual(central.codes);
    expect((await centralState(db)).links).toEqual(
      [
        `${child(1)}>SB00001`,
        `${child(2)}>SB00001`,
        `${child(3)}>SB00001`,
        `${child(4)}>SB00001`,
        `${child(6)}>SB00002`,
      ].sort(),
    );
    await expectAgreement(db, [a, b]);
    expect(a.station.status().sync).toMatchObject({ lastError: null });
  });

  it('a backup copied back by hand is caught: nothing acknowledged, sending stops, and recovery loses nothing', async () => {
    await a.scan('SB00001');
    await a.scan(child(1));
    await a.engine.cycle();
    a.station.ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const file = join(backups, 'copy.db');
    await backupStation(a.dir, file);
    await a.scan(child(2));
    await a.scan(child(3));
    await a.engine.cycle();

    await putBack(a, file, 'copy');
    // Seqs 3 and 4 were applied at the centre as child 2's and child 3's scans; 5 is new there.
    for (const i of [4, 5, 6]) await a.scan(child(i));
    const e = await failure(a.engine.cycle());
    expect(e.kind).toBe('diverged');
    expect(e.message).toBe(formatError('sync_diverged'));
    expect(a.rows('outbox', 'sent_at is null')).toBe(3); // kept, not acknowledged
    expect(a.station.status().sync.lastError).toBe(formatError('sync_diverged'));
    const [st] = await db.query<{ diverged: { reason: string; seq: number } }>(
      'select diverged from stations where id = $1',
      [a.centralStationId],
    );
    expect(st?.diverged).toMatchObject({ reason: 'different_op', seq: 3 });
    const seen = async () =>
      (await centralStatus(db.adminUrl)).stations.find((x) => x.id === a.centralStationId);
    expect((await seen())?.diverged).toMatchObject({ reason: 'different_op', seq: 3 });
    // It stays stopped without asking the centre again, until IT recovers it.
    expect((await failure(a.engine.cycle())).kind).toBe('diverged');
    expect((await centralScans(db, a.centralStationId)).codes).not.toContain(child(6));

    const r = await a.engine.recover();
    expect(r).toMatchObject({ incarnation: 2, base: 4, renumbered: 3, alreadyApplied: 0 });
    await syncAll([a, b]);
    const central = await centralScans(db, a.centralStationId);
    expect(central.codes).toEqual(
      ['SB00001', child(1), child(2), child(3), child(4), child(5), child(6)].sort(),
    );
    expect(await seen()).toMatchObject({ diverged: null, incarnation: 2, recoveredAt: expect.any(String) });
    expect(central.ids).toBe(central.distinct);
    await expectAgreement(db, [a, b]);
  });

  it('a restored station that makes no new operation is caught at hello', async () => {
    await a.scan('SB00001');
    await a.engine.cycle();
    const file = join(backups, 'idle.db');
    await backupStation(a.dir, file);
    await a.scan(child(1));
    await a.engine.cycle();
    await putBack(a, file, 'copy');
    const e = await failure(a.engine.cycle());
    expect(e.kind).toBe('diverged');
  });

  it('twins: the second PC with the same enrolment is refused with a sentence, and the first loses nothing', async () => {
    await a.scan('SB00001');
    await a.scan(child(1));
    await a.engine.cycle();
    const config = loadSyncConfig(a.dir)!;
    const twin = createTestStation();
    extra.push(twin);
    saveEnrolment(twin.dir, {
      stationId: config.stationId,
      name: config.name,
      dispatchArea: config.dispatchArea,
      url: config.url,
      ...(config.secret ? { secret: config.secret } : {}),
    });
    const twinEngine = createSyncEngine({ dataDir: twin.dir, clock: twin.clock });
    engines.push(twinEngine);
    // A twin that only pulls is caught too (it knows of no operation the centre applied).
    expect((await failure(twinEngine.cycle())).kind).toBe('diverged');
    await twin.addUser('tia', 'admin');
    await twin.login('tia');
    await twin.scan('SB00009');
    await twin.scan(child(9));
    const e = await failure(twinEngine.cycle());
    expect(e.kind).toBe('diverged');
    expect(e.message).toContain('enrols this one as a new station');
    expect(twin.rows('outbox', 'sent_at is null')).toBeGreaterThan(0);

    await a.scan(child(2));
    await a.engine.cycle();
    const central = await centralScans(db, a.centralStationId);
    expect(central.codes).toEqual(['SB00001', child(1), child(2)].sort());

    // IT enrols the second PC as a new station: what it scanned goes up, nothing of it lost.
    const own = await addStation({
      adminUrl: db.adminUrl,
      name: 'Dock A2',
      dispatchArea: 'NORTH',
      insecure: true,
    });
    await twinEngine.close();
    expect(joinStation(twin.dir, own).rejoined).toBe(true);
    const newEngine = createSyncEngine({ dataDir: twin.dir, clock: twin.clock });
    engines.push(newEngine);
    await newEngine.cycle();
    expect((await centralScans(db, own.stationId)).codes).toEqual(['SB00009', child(9)].sort());
    expect(twin.rows('outbox', 'sent_at is null')).toBe(0);
    expect((await centralScans(db, a.centralStationId)).codes).toEqual(
      ['SB00001', child(1), child(2)].sort(),
    );
  });

  it('had IT recovered a twin instead, the first PC is fenced: it neither pushes nor pulls', async () => {
    await a.scan('SB00001');
    await a.engine.cycle();
    const config = loadSyncConfig(a.dir)!;
    const twin = createTestStation();
    extra.push(twin);
    saveEnrolment(twin.dir, {
      stationId: config.stationId,
      name: config.name,
      dispatchArea: config.dispatchArea,
      url: config.url,
      ...(config.secret ? { secret: config.secret } : {}),
    });
    const twinEngine = createSyncEngine({ dataDir: twin.dir, clock: twin.clock });
    engines.push(twinEngine);
    await twinEngine.recover();
    const fenced = await failure(a.engine.cycle());
    expect(fenced.kind).toBe('fenced');
    expect(fenced.message).toBe(formatError('sync_fenced'));
  });

  it('a batch resent after a lost reply to a refusal gets the same reply, and the correction is applied', async () => {
    await db.query('update stations set parent_capacity = 2 where id = $1', [a.centralStationId]);
    await a.scan('SB00001');
    for (let i = 1; i <= 3; i++) await a.scan(child(i)); // the third is refused at the centre: parent full
    const rows = withHash(
      a.station.ctx.sqlite.prepare('select seq, id, op, payload from outbox order by seq').all() as {
        seq: number;
        id: string;
        op: string;
        payload: string;
      }[],
    );
    const client = createCentralClient(loadSyncConfig(a.dir)!);
    const first = await client.push(encodeBatch(1, rows)); // committed; the reply is lost
    const second = await client.push(encodeBatch(1, rows));
    await client.close();
    const strip = (r: Record<string, unknown>) =>
      (r.results as Record<string, unknown>[]).map(({ resent: _resent, ...rest }) => rest);
    expect(strip(second)).toEqual(strip(first));
    expect(strip(first)).toMatchObject([{ status: 'conflict', kind: 'parent_full' }]);

    expect(localState(a.station.ctx.sqlite).links).toContain(`${child(3)}>SB00001`);
    await a.engine.cycle(); // the station resends its unsent rows
    expect(localState(a.station.ctx.sqlite).links).not.toContain(`${child(3)}>SB00001`);
    const conflicts = await a.call<{ id: number; kind: string; centralApplied: boolean }[]>('conflicts.list');
    expect(conflicts.map((c) => [c.kind, c.centralApplied])).toEqual([['parent_full', true]]);
    await a.call('conflicts.resolve', { id: conflicts[0]!.id, resolution: 'keep_central' });
    await syncAll([a, b]);
    await expectAgreement(db, [a, b]);
  });

  it('operations applied before the upgrade (no stored id) are compared by the scan they carry', async () => {
    await a.call('bills.create', {
      billNo: 'B-1',
      destination: 'Pune',
      vehicleNo: 'MH12 AB 1234',
      capacity: 2,
    });
    await a.scan('SB00001');
    await a.scan(child(1));
    const rows = withHash(
      a.station.ctx.sqlite.prepare('select seq, id, op, payload from outbox order by seq').all() as {
        seq: number;
        id: string;
        op: string;
        payload: string;
      }[],
    );
    const client = createCentralClient(loadSyncConfig(a.dir)!);
    try {
      await client.push(encodeBatch(1, rows));
      // As a centre upgraded from 0003 holds them: applied, with their scans, but no id or hash.
      await db.query('delete from applied_batches where station_id = $1', [a.centralStationId]);
      const last = rows.at(-1)!;
      // The same operations resent: duplicates, as before the upgrade.
      expect(await client.push(encodeBatch(1, rows))).toMatchObject({
        lastAppliedSeq: last.seq,
        results: [],
      });
      // Another scan under an old seq: its scan id is not the one the centre recorded there.
      const other = JSON.parse(last.payload) as { scan: { id: string } };
      other.scan.id = '0190b5c2-0000-7000-8000-00000000abcd';
      const reply = await client.push(
        encodeBatch(1, withHash([{ ...last, id: 'another-op', payload: JSON.stringify(other) }])),
      );
      expect(reply).toMatchObject({
        error: 'diverged',
        diverged: { reason: 'different_scan', seq: last.seq },
      });
      // An operation without a scan, or a seq with no scan at the centre, cannot be compared: a duplicate.
      const first = rows[0]!;
      expect(first.op).toBe('bill.create');
      expect(
        await client.push(encodeBatch(1, withHash([{ ...first, id: 'unknown-before', payload: '{}' }]))),
      ).toMatchObject({ lastAppliedSeq: last.seq, results: [] });
      expect(
        await client.hello(1, last.seq, 'not-known-here', { depth: 0, oldestUnsentSeconds: null }),
      ).toMatchObject({ diverged: null });
    } finally {
      await client.close();
    }
  });

  it('keep_central is refused while the station still holds the link the centre refused', async () => {
    await a.scan('SB00001');
    await a.scan(child(1));
    a.station.ctx.sqlite
      .prepare(
        `insert into sync_conflicts (central_id, seq, op, kind, local, central, created_at)
         values (999, 2, 'scan', 'parent_full', ?, '{}', 0)`,
      )
      .run(JSON.stringify({ child: child(1), parent: 'SB00001' }));
    const [conflict] = await a.call<{ id: number; centralApplied: boolean }[]>('conflicts.list');
    expect(conflict?.centralApplied).toBe(false); // the screen does not offer it
    expect(await a.refusal('conflicts.resolve', { id: conflict!.id, resolution: 'keep_central' })).toBe(
      'conflict_not_applied',
    );
  });

  it('a re-join under a new enrolment goes on from the outbox it has, with no hand edits at the centre', async () => {
    await a.scan('SB00001');
    await a.scan(child(1));
    await a.engine.cycle();
    await a.scan(child(2)); // waiting when IT enrols the PC again
    await a.scan(child(3));
    const enrolment = await addStation({
      adminUrl: db.adminUrl,
      name: 'Dock A again',
      dispatchArea: 'NORTH',
      insecure: true,
    });
    await a.engine.close();
    expect(joinStation(a.dir, enrolment).rejoined).toBe(true);
    a.engine = createSyncEngine({ dataDir: a.dir, clock: a.clock });
    engines.push(a.engine);
    expect(await a.engine.cycle()).toMatchObject({ pushed: 2 });
    expect((await centralScans(db, enrolment.stationId)).codes).toEqual([child(2), child(3)].sort());
    a.centralStationId = enrolment.stationId;
    await syncAll([a, b]);
    expect((await centralState(db)).links).toEqual(
      [`${child(1)}>SB00001`, `${child(2)}>SB00001`, `${child(3)}>SB00001`].sort(),
    );
  });
});
