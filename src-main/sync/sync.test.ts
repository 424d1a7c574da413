import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentralDb } from '../central/scratch-db.ts';
import { child } from '../testing/test-station.ts';
import { createCentralClient } from './central-client.ts';
import { loadSyncConfig } from './config.ts';
import { encodeBatch, withHash } from './push.ts';
import {
  centralScanCount,
  centralState,
  counterMismatches,
  expectAgreement as expectAllAgree,
  joinedStation,
  twoStations,
  type TwoStations,
  localState,
  syncAll as syncStations,
  type SyncedStation,
} from './testing/stations.ts';

describe('push and pull between two stations and the centre', () => {
  let db: CentralDb;
  let a: SyncedStation;
  let b: SyncedStation;

  let stations: TwoStations | undefined;

  beforeEach(async () => {
    stations = await twoStations();
    ({ db, a, b } = stations);
  });
  afterEach(() => stations?.dispose());

  const syncAll = () => syncStations([a, b]);
  const expectAgreement = () => expectAllAgree(db, [a, b]);

  it('two stations link the same child offline: the first commit wins, the other sees the conflict', async () => {
    await a.scan('SB00001');
    await a.scan(child(1));
    await a.scan(child(2));
    await b.scan('SB00002');
    await b.scan(child(1));
    await b.scan(child(3));
    await syncAll();

    const central = await centralState(db);
    expect(central.links).toEqual([`${child(1)}>SB00001`, `${child(2)}>SB00001`, `${child(3)}>SB00002`]);
    await expectAgreement();
    const conflicts =
      await b.call<{ id: number; kind: string; local: { parent: string }; central: { parent: string } }[]>(
        'conflicts.list',
      );
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      kind: 'linked_elsewhere',
      local: { parent: 'SB00002' },
      central: { parent: 'SB00001' },
    });
    expect(await a.call('conflicts.list')).toEqual([]);
    expect(b.station.status().sync).toMatchObject({ state: 'stopped', conflicts: 1, lastError: null });

    // The supervisor at B decides the child belongs here after all.
    await b.call('conflicts.resolve', { id: conflicts[0]!.id, resolution: 'move_here' });
    await syncAll();
    expect((await centralState(db)).links).toContain(`${child(1)}>SB00002`);
    await expectAgreement();
    expect(b.station.status().sync.conflicts).toBe(0);
    const [resolved] = await db.query<{ resolution: string }>('select resolution from conflicts');
    expect(resolved?.resolution).toBe('move_here');
  });

  it('a pull leaves out the station’s own changes, and its cursor still moves past them', async () => {
    const c = await joinedStation(db, 'Dock C', 'NORTH', { pageSize: 5 });
    try {
      await c.addUser('cyd', 'admin');
      await c.login('cyd');
      await syncAll();
      await c.engine.cycle(); // its first pull loads the centre's current rows
      await c.scan('SB00007');
      for (let i = 1; i <= 12; i++) await c.scan(child(100 + i)); // 25 changes of its own: pages of 5
      const own = await c.engine.cycle();
      expect(own).toEqual({ pushed: 13, pulled: 0 });
      const [last] = await db.query<{ id: number }>(
        'select max(id)::int as id from changes where station_id = $1',
        [c.centralStationId],
      );
      const cursor = c.station.ctx.sqlite.prepare('select cursor_id as id from sync_state').get() as {
        id: number;
      };
      expect(cursor.id).toBe(last?.id);

      await b.scan('SB00002');
      await b.scan(child(3));
      await b.engine.cycle();
      expect((await c.engine.cycle()).pulled).toBe(3); // two bags and a link
      expect(localState(c.station.ctx.sqlite)).toEqual(await centralState(db));
      expect(counterMismatches(c.station.ctx.sqlite)).toEqual([]);
    } finally {
      c.dispose();
    }
  });

  it('users with their hashes come down, so another station logs them in with no network', async () => {
    await syncAll();
    await a.call('auth.logout');
    await a.login('bob');
    expect((await a.call<{ operator: { username: string } }>('auth.whoami')).operator.username).toBe('bob');
  });

  it('bills, parents on bills, moves and undo travel both ways with the counters kept', async () => {
    await a.scan('SB00001');
    for (let i = 1; i <= 4; i++) await a.scan(child(i));
    await a.call('bills.create', {
      billNo: 'B-1',
      destination: 'Pune',
      vehicleNo: 'MH12 AB 1234',
      capacity: 2,
    });
    await a.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
    await syncAll();
    await b.scan('SB00002');
    await b.scan(child(9));
    await b.call('links.move', { child: child(2), toParent: 'SB00002', reason: 'wrong parent' });
    await b.call('links.remove', { child: child(3), reason: 'wrong parent' });
    await b.call('bills.complete', { billNo: 'B-1' });
    await syncAll();
    await expectAgreement();
    expect(localState(a.station.ctx.sqlite).bills).toEqual(['B-1:completed']);
    const bill = await a.call<{ childCount: number; parentCount: number }>('bills.get', { billNo: 'B-1' });
    expect(bill).toMatchObject({ parentCount: 1, childCount: 2 });
  });

  it('a duplicate batch resent after a lost reply changes nothing', async () => {
    await a.scan('SB00001');
    for (let i = 1; i <= 5; i++) await a.scan(child(i));
    const rows = withHash(
      a.station.ctx.sqlite.prepare('select seq, id, op, payload from outbox order by seq').all() as {
        seq: number;
        id: string;
        op: string;
        payload: string;
      }[],
    );
    const client = createCentralClient(loadSyncConfig(a.dir)!);
    const batch = encodeBatch(1, rows);
    const first = await client.push(batch); // committed, but the reply never reaches the station
    expect(first).toMatchObject({ lastAppliedSeq: rows.length, results: [] });
    const before = await centralState(db);
    const second = await client.push(batch);
    expect(second).toMatchObject({ lastAppliedSeq: rows.length, results: [] });
    await client.close();
    await a.engine.cycle(); // the station resends its unsent rows: all duplicates
    expect(await centralState(db)).toEqual(before);
    const n = await centralScanCount(db);
    expect(n).toBe(rows.filter((r) => r.op === 'scan').length);
    await b.engine.cycle();
    await expectAgreement();
  });

  it('refuses a gap in a station’s sequence and applies nothing of it', async () => {
    const client = createCentralClient(loadSyncConfig(a.dir)!);
    const reply = await client.push(
      encodeBatch(1, withHash([{ seq: 3, id: 'op-3', op: 'station.update', payload: '{"name":"x"}' }])),
    );
    await client.close();
    expect(reply).toMatchObject({ error: 'gap', expected: 1, got: 3, lastAppliedSeq: 0 });
    const [st] = await db.query<{ name: string }>('select name from stations where id = $1', [
      a.centralStationId,
    ]);
    expect(st?.name).toBe('Dock A');
  });

  it('a malformed operation is rejected on both sides and the outbox moves on', async () => {
    await a.scan('SB00001');
    a.station.ctx.sqlite
      .prepare(
        `insert into outbox (id, op, payload, created_at) values ('x', 'scan', '{"scan":{"id":"not-a-uuid"}}', 0)`,
      )
      .run();
    await a.scan(child(1));
    await a.engine.cycle();
    expect(a.rows('outbox', 'sent_at is null')).toBe(0);
    const conflicts = await a.call<{ kind: string }[]>('conflicts.list');
    expect(conflicts.map((c) => c.kind)).toEqual(['invalid_op']);
    expect((await centralState(db)).links).toEqual([`${child(1)}>SB00001`]);
  });

  it('a transaction that commits late is not skipped by another station’s pull', async () => {
    const late = await db.query<{ pid: number }>('select pg_backend_pid() as pid'); // warm-up
    expect(late).toHaveLength(1);
    const pg = (await import('pg')).default;
    const slow = new pg.Client({ connectionString: db.adminUrl });
    await slow.connect();
    try {
      await slow.query('begin');
      await slow.query(
        `insert into bags (id, code, kind, dispatch_area, first_seen_at, station_id)
         values (gen_random_uuid(), 'SB09999', 'parent', 'NORTH', 0, gen_random_uuid())`,
      );
      await a.scan('SB00001');
      await a.scan(child(1));
      await a.engine.cycle(); // commits after the slow transaction began
      await b.engine.cycle(); // must not move its cursor past the slow transaction
      expect(localState(b.station.ctx.sqlite).bags).not.toContain('SB09999:parent');
      await slow.query('commit');
    } finally {
      await slow.end();
    }
    await b.engine.cycle();
    expect(localState(b.station.ctx.sqlite).bags).toContain('SB09999:parent');
    await a.engine.cycle();
    await expectAgreement();
  });

  it('a "resync required" answer replays the centre without touching the outbox', async () => {
    await a.scan('SB00001');
    await a.scan(child(1));
    await syncAll();
    b.station.ctx.sqlite.prepare('update totals set n = n').run();
    await b.scan('SB00002'); // waiting in b's outbox
    await db.query('update stations set resync_required = true where id = $1', [b.centralStationId]);
    const client = createCentralClient(loadSyncConfig(b.dir)!);
    expect(await client.pull(1, '999', 1, 10)).toEqual({ resync: true });
    await client.close();
    await b.engine.cycle();
    await a.engine.cycle();
    await expectAgreement();
    const [st] = await db.query<{ resync_required: boolean }>(
      'select resync_required from stations where id = $1',
      [b.centralStationId],
    );
    expect(st?.resync_required).toBe(false);
  });
});
