import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCentralDb, type CentralDb } from '../central/scratch-db.ts';
import { child } from '../testing/test-station.ts';
import { createCentralApplier } from './apply.ts';
import { createCentralClient, type CentralClient } from './central-client.ts';
import { loadSyncConfig } from './config.ts';
import { createSyncStateRepo } from './local-state.ts';
import { progressLine } from './progress.ts';
import type { SyncProgress } from '../../src-shared/sync-status.ts';
import { createPuller } from './pull.ts';
import {
  addAdmin,
  centralState,
  counterMismatches,
  joinedStation,
  localState,
  type SyncedStation,
} from './testing/stations.ts';

describe('a station loads the centre from a snapshot', () => {
  let db: CentralDb;
  let a: SyncedStation;
  let c: SyncedStation | undefined;
  const clients: CentralClient[] = [];

  beforeEach(async () => {
    db = await createCentralDb();
    a = await joinedStation(db, 'Dock A');
    await addAdmin(db, a, 'ana'); // IT's admin: at the centre, so it comes down to every station
    await a.login('ana');
    // A full parent on a completed bill, a parent on an open bill, a parent with no bill, a removed link.
    await a.scan('SB00001');
    for (let i = 1; i <= 30; i++) await a.scan(child(i));
    await a.scan('SB00002');
    for (let i = 31; i <= 35; i++) await a.scan(child(i));
    await a.scan('SB00003');
    await a.scan(child(36));
    await a.call('links.remove', { child: child(33), reason: 'wrong parent' });
    await a.call('bills.create', { billNo: 'B-1', destination: 'Pune', vehicleNo: 'MH12', capacity: 2 });
    await a.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
    await a.call('bills.complete', { billNo: 'B-1' });
    await a.call('bills.create', { billNo: 'B-2', destination: 'Agra', vehicleNo: 'UP80', capacity: 2 });
    await a.call('bills.addParent', { billNo: 'B-2', parent: 'SB00002' });
    await a.engine.cycle();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    a?.dispose();
    c?.dispose();
    c = undefined;
    await db?.drop();
  });

  /** A puller on the station's own connection with small snapshot pages, through a client a test can wrap. */
  function puller(s: SyncedStation, pageSize: number, wrap: (c: CentralClient) => CentralClient = (x) => x) {
    const client = createCentralClient(loadSyncConfig(s.dir)!);
    clients.push(client);
    const ctx = s.station.ctx;
    const state = createSyncStateRepo(ctx.sqlite);
    return {
      state,
      puller: createPuller(ctx, wrap(client), state, createCentralApplier(ctx), 2_000, pageSize),
    };
  }

  /**
   * Waits until every change in the log is below the centre's horizon: a transaction open anywhere on the
   * server (another test creating its database) holds the horizon back, and a pull then rightly waits for it.
   */
  async function settled() {
    for (;;) {
      const [r] = await db.query<{ ok: boolean }>(
        `select coalesce(max(xid), '0'::xid8) < pg_snapshot_xmin(pg_current_snapshot()) as ok from changes`,
      );
      if (r?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  function cursor(s: SyncedStation) {
    return createSyncStateRepo(s.station.ctx.sqlite).read();
  }

  async function expectEqualToCentre(s: SyncedStation) {
    expect(localState(s.station.ctx.sqlite)).toEqual(await centralState(db));
    // Every total too (full parents, open and completed bills among them), against recountAll().
    expect(counterMismatches(s.station.ctx.sqlite)).toEqual([]);
  }

  it('a new station’s first cycle loads bags, links, bills, parents on bills and users from the snapshot', async () => {
    c = await joinedStation(db, 'Dock C');
    await c.addUser('cleo', 'admin'); // made before the first sync, as a new station's first admin is
    await c.login('cleo');
    await c.engine.cycle();
    await expectEqualToCentre(c);
    // Loaded with SQLite's foreign key checks off (the inserts' joins check instead): nothing points nowhere.
    expect(c.station.ctx.sqlite.pragma('foreign_key_check')).toEqual([]);
    // At the horizon: the log was not replayed row by row (that would leave the cursor on a change's id).
    const { cursorXid, cursorId } = cursor(c);
    expect(cursorId).toBe(0);
    expect(Number(cursorXid)).toBeGreaterThan(0);
    expect(c.station.ctx.sqlite.prepare('select count(*) as n from sync_snapshot').get()).toEqual({ n: 0 });
    expect(c.rows('bags', `kind = 'parent' and child_count = 30`)).toBe(1);
    expect(await c.call('bills.get', { billNo: 'B-2' })).toMatchObject({ parentCount: 1, childCount: 4 });
    await c.call('auth.logout');
    await c.login('ana'); // users came down with their hashes
    // The next cycles go on from the horizon with the ordinary pull.
    await a.scan('SB00004');
    await a.scan(child(40));
    await a.engine.cycle();
    await settled();
    await c.engine.cycle();
    await expectEqualToCentre(c);
  });

  it('loads in many small pages, and a load cut short resumes where it stopped', async () => {
    c = await joinedStation(db, 'Dock C');
    let calls = 0;
    const { puller: failing, state } = puller(c, 4, (client) => ({
      ...client,
      async snapshotPage(entity, after, limit) {
        if (++calls === 14) throw new Error('the network went away'); // in the links
        return client.snapshotPage(entity, after, limit);
      },
    }));
    await expect(failing.pullAll()).rejects.toThrow('the network went away');
    expect(state.read()).toMatchObject({ cursorXid: '0', cursorId: 0 });
    expect(c.rows('bags')).toBeGreaterThan(0);
    const sqlite = c.station.ctx.sqlite;
    expect(sqlite.prepare('select mode, entity from sync_snapshot').get()).toEqual({
      mode: 'bulk',
      entity: 'links',
    });
    const indexes = () =>
      sqlite
        .prepare(
          `select count(*) as n from sqlite_master where name in ('links_parent_idx', 'links_user_idx')`,
        )
        .get();
    expect(indexes()).toEqual({ n: 0 }); // deferred while the links load
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1); // back on, though the load failed
    expect(counterMismatches(c.station.ctx.sqlite)).toEqual([]); // consistent at every committed page

    await puller(c, 4).puller.pullAll();
    await expectEqualToCentre(c);
    expect(cursor(c).cursorId).toBe(0);
    expect(c.rows('links')).toBe(35); // 36 linked, one removed at the centre: never loaded, never doubled
    expect(indexes()).toEqual({ n: 2 });
    expect(c.rows('sync_snapshot_indexes')).toBe(0);
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('says what a first load loads and how far it is, against the centre’s estimate of its rows', async () => {
    await db.query('analyze bags');
    await db.query('analyze links');
    const [counts] = await db.query<{ bags: string; links: string }>(
      `select (select count(*) from bags) as bags, (select count(*) from links where removed_at is null) as links`,
    );
    c = await joinedStation(db, 'Dock C');
    const client = createCentralClient(loadSyncConfig(c.dir)!);
    clients.push(client);
    const ctx = c.station.ctx;
    const events: SyncProgress[] = [];
    const loader = createPuller(
      ctx,
      client,
      createSyncStateRepo(ctx.sqlite),
      createCentralApplier(ctx),
      2_000,
      4,
      (p) => events.push(p),
    );
    await loader.pullAll();
    const bags = events.filter((e) => e.entity === 'bags');
    expect(bags.length).toBeGreaterThan(3); // page by page, not only at the end
    expect(bags.map((e) => e.done)).toEqual([...bags.map((e) => e.done)].sort((x, y) => x - y));
    expect(bags.at(-1)).toEqual({
      step: 'loading',
      entity: 'bags',
      done: Number(counts!.bags),
      total: Number(counts!.bags),
    });
    expect(events.filter((e) => e.entity === 'links').at(-1)?.done).toBe(Number(counts!.links));
    expect(progressLine(bags.at(-1)!)).toBe(`loading bags ${counts!.bags} of ${counts!.bags} (100%)`);
  });

  it('a change committed at the centre while the pages are read is there after the cycle', async () => {
    c = await joinedStation(db, 'Dock C');
    let changed = false;
    const { puller: p } = puller(c, 3, (client) => ({
      ...client,
      async snapshotPage(entity, after, limit) {
        const rows = await client.snapshotPage(entity, after, limit);
        if (entity === 'links' && !changed) {
          changed = true;
          // After the snapshot began: a link already paged is removed, one is moved, new bags are linked.
          await a.call('links.remove', { child: child(31), reason: 'wrong parent' });
          await a.call('links.move', { child: child(32), toParent: 'SB00003', reason: 'wrong parent' });
          await a.scan('SB00000');
          await a.scan(child(0));
          await a.call('bills.complete', { billNo: 'B-2' });
          await a.engine.cycle();
          await settled();
        }
        return rows;
      },
    }));
    await p.pullAll();
    expect(changed).toBe(true);
    const central = await centralState(db);
    expect(central.links).toContain(`${child(0)}>SB00000`);
    expect(central.links).not.toContain(`${child(31)}>SB00002`);
    expect(central.links).toContain(`${child(32)}>SB00003`);
    await expectEqualToCentre(c);
  });

  it('a resync keeps the outbox, removes what the centre no longer has and ends equal to the centre', async () => {
    const b = await joinedStation(db, 'Dock B');
    c = b;
    await b.addUser('bob', 'supervisor');
    await b.login('bob');
    await b.engine.cycle();
    await expectEqualToCentre(b);
    // Changes the centre never got although b thinks it sent them (say b was restored from a copy): a child
    // the centre unlinked is linked again, and a parent put on an open bill.
    await b.scan('SB00003');
    await b.scan(child(33));
    await b.call('bills.addParent', { billNo: 'B-2', parent: 'SB00003' });
    b.station.ctx.sqlite.prepare('update outbox set sent_at = 1 where sent_at is null').run();
    const { seq } = b.station.ctx.sqlite.prepare('select max(seq) as seq from outbox').get() as {
      seq: number;
    };
    await db.query('update stations set last_applied_seq = $2 where id = $1', [b.centralStationId, seq]);
    expect(localState(b.station.ctx.sqlite).billBags).toContain('SB00003@B-2');
    // And b's own work that is still waiting to go up.
    await b.scan('SB00008');
    await b.scan(child(80));
    await b.scan(child(81));
    const outbox = () => b.station.ctx.sqlite.prepare('select * from outbox order by seq').all();
    const before = outbox();
    expect(b.rows('outbox', 'sent_at is null')).toBe(3);
    // Meanwhile a moves a child b holds; the centre asks b to resync.
    await a.call('links.move', { child: child(36), toParent: 'SB00002', reason: 'wrong parent' });
    await a.engine.cycle();
    await settled();
    await db.query('update stations set resync_required = true where id = $1', [b.centralStationId]);

    await puller(b, 2).puller.pullAll(); // the pull alone, with the outbox unsent
    expect(outbox()).toEqual(before);
    const local = localState(b.station.ctx.sqlite);
    expect(local.links).not.toContain(`${child(33)}>SB00003`);
    expect(local.billBags).toEqual(['SB00001@B-1', 'SB00002@B-2']);
    expect(local.links).toEqual(expect.arrayContaining([`${child(80)}>SB00008`, `${child(81)}>SB00008`]));
    expect(local.links).toContain(`${child(36)}>SB00002`);
    expect(counterMismatches(b.station.ctx.sqlite)).toEqual([]);
    const [st] = await db.query<{ resync_required: boolean }>(
      'select resync_required from stations where id = $1',
      [b.centralStationId],
    );
    expect(st?.resync_required).toBe(false);

    await b.engine.cycle(); // b's waiting rows go up
    await settled();
    await a.engine.cycle();
    expect(b.rows('outbox', 'sent_at is null')).toBe(0);
    await expectEqualToCentre(b);
    await expectEqualToCentre(a);
  });
});
