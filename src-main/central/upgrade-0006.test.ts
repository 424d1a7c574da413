/**
 * A 0006 centre in use moves to the key change log (0007) and one exactly-once row per batch (0008): a station
 * whose pull cursor sits in the old log goes on pulling and gets everything, operations applied before the move
 * keep their stored replies and their divergence checks, and a statement that writes thousands of rows is pulled
 * in pages.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { child } from '../testing/test-station.ts';
import { createCentralClient } from '../sync/central-client.ts';
import { loadSyncConfig } from '../sync/config.ts';
import { encodeBatch, withHash } from '../sync/push.ts';
import {
  addAdmin,
  centralState,
  expectAgreement,
  joinedStation,
  localState,
  syncAll,
  type SyncedStation,
} from '../sync/testing/stations.ts';
import { migrateCentral } from './migrate.ts';
import { createCentralDb, type CentralDb } from './scratch-db.ts';
import { centralMigrationTags, migrationsUpTo } from './testing/migrations.ts';

const noOutbox = { depth: 0, oldestUnsentSeconds: null };

const outboxRows = (s: SyncedStation) =>
  withHash(
    s.station.ctx.sqlite.prepare('select seq, id, op, payload from outbox order by seq').all() as {
      seq: number;
      id: string;
      op: string;
      payload: string;
    }[],
  );

const strip = (r: Record<string, unknown>) =>
  (r.results as Record<string, unknown>[]).map(({ resent: _resent, ...rest }) => rest);

describe('a 0006 centre in use, migrated to the key change log and one exactly-once row per batch', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  async function stationsOn(db: CentralDb): Promise<[SyncedStation, SyncedStation]> {
    const a = await joinedStation(db, 'Dock A');
    const b = await joinedStation(db, 'Dock B');
    cleanup.push(
      () => a.dispose(),
      () => b.dispose(),
    );
    await addAdmin(db, a, 'ana');
    await addAdmin(db, b, 'bob');
    await a.login('ana');
    await b.login('bob');
    return [a, b];
  }

  it('keeps every pull cursor, stored reply and divergence check across the move', async () => {
    const folder = migrationsUpTo('0006_horizon_wait');
    cleanup.push(() => rmSync(folder, { recursive: true, force: true }));
    const db = await createCentralDb(undefined, folder);
    cleanup.push(() => db.drop());
    const [a, b] = await stationsOn(db);
    await syncAll([a, b]);

    // Before the move: A's first batch, with a refusal (parent full), reaches the centre but its reply is lost.
    await db.query('update stations set parent_capacity = 2 where id = $1', [a.centralStationId]);
    await a.scan('SB00001');
    for (let i = 1; i <= 3; i++) await a.scan(child(i));
    const client = createCentralClient(loadSyncConfig(a.dir)!);
    cleanup.push(() => client.close());
    const first = await client.push(encodeBatch(1, outboxRows(a)));
    expect(strip(first)).toMatchObject([{ status: 'conflict', kind: 'parent_full' }]);
    await b.engine.cycle(); // B's cursor now sits in the old log
    await a.scan('SB00002');
    await a.scan(child(4));
    const before = outboxRows(a);
    const firstAll = await client.push(encodeBatch(1, before)); // B has not pulled these
    expect(await db.query('select count(*)::int as n from applied_ops')).toEqual([{ n: before.length }]);

    const tags = centralMigrationTags();
    expect(await migrateCentral(db.adminUrl)).toEqual({
      applied: tags.length - tags.indexOf('0006_horizon_wait') - 1,
    });
    expect(
      await db.query(`select first_seq::int as f, last_seq::int as l from applied_batches order by 1`),
    ).toEqual([{ f: 1, l: before.length }]);

    // hello compares the station's last operation with the one applied before the move.
    const last = before.at(-1)!;
    expect(await client.hello(1, last.seq, last.id, noOutbox)).toMatchObject({ diverged: null });
    expect(await client.hello(1, last.seq, 'not-this-one', noOutbox)).toMatchObject({
      diverged: { reason: 'different_op', seq: last.seq, centralOpId: last.id },
    });
    // A resent batch gets the replies stored before the move, the refusal's correction included.
    expect(strip(await client.push(encodeBatch(1, before)))).toEqual(strip(firstAll));
    // New operations after the move, and B pulls the old log's rest and the new keys.
    await a.scan('SB00003');
    await a.scan(child(5));
    await a.engine.cycle(); // resends what it never saw acknowledged, then its new scans
    expect(localState(a.station.ctx.sqlite).links).not.toContain(`${child(3)}>SB00001`);
    const conflicts = await a.call<{ id: number; kind: string }[]>('conflicts.list');
    expect(conflicts.map((c) => c.kind)).toEqual(['parent_full']);
    await a.call('conflicts.resolve', { id: conflicts[0]!.id, resolution: 'keep_central' });
    await syncAll([a, b]);
    expect(localState(b.station.ctx.sqlite)).toEqual(await centralState(db));
    await expectAgreement(db, [a, b]);

    // The same seq with another id or hash, before and after the move, is a divergence.
    const oldOp = before[1]!;
    expect(await client.push(encodeBatch(1, [{ ...oldOp, id: 'another-op' }]))).toMatchObject({
      error: 'diverged',
      diverged: { reason: 'different_op', seq: oldOp.seq, centralOpId: oldOp.id },
    });
    const newOp = outboxRows(a).at(-1)!;
    expect(await client.push(encodeBatch(1, [{ ...newOp, hash: 'f'.repeat(64) }]))).toMatchObject({
      error: 'diverged',
      diverged: { reason: 'different_op', seq: newOp.seq, centralOpId: newOp.id },
    });
  });

  it('logs a statement of thousands of rows as keys, 1,000 a log row, and pulls them in pages', async () => {
    const db = await createCentralDb();
    cleanup.push(() => db.drop());
    const [a, b] = await stationsOn(db);
    await syncAll([a, b]);
    const mark = await db.query<{ id: number }>('select coalesce(max(id), 0)::int as id from changes');
    // IT's bulk insert: one statement, 2,500 rows.
    await db.query(
      `insert into bags (id, code, kind, dispatch_area, first_seen_at, station_id)
       select gen_random_uuid(), 'SB9' || lpad(g::text, 4, '0'), 'parent', 'NORTH', 1, $1
       from generate_series(1, 2500) g`,
      [a.centralStationId],
    );
    expect(
      await db.query('select cardinality(keys) as n, row from changes where id > $1 order by id', [
        mark[0]!.id,
      ]),
    ).toEqual([
      { n: 1000, row: null },
      { n: 1000, row: null },
      { n: 500, row: null },
    ]);
    const pages: number[] = [];
    const client = createCentralClient(loadSyncConfig(b.dir)!);
    cleanup.push(() => client.close());
    const state = b.station.ctx.sqlite
      .prepare('select cursor_xid as x, cursor_id as i from sync_state')
      .get() as {
      x: string;
      i: number;
    };
    for (let cursor = { xid: state.x, id: state.i }, more = true; more;) {
      const page = await client.pull(1, cursor.xid, cursor.id, 1500);
      pages.push((page.changes as unknown[]).length);
      more = page.more === true;
      if (page.cursor) cursor = page.cursor as { xid: string; id: number };
    }
    // At least one whole log row a page, otherwise at most the page size.
    expect(pages).toEqual([1000, 1500]);
    await syncAll([a, b]);
    expect(localState(b.station.ctx.sqlite)).toEqual(await centralState(db));
    expect(localState(b.station.ctx.sqlite).bags.filter((x) => x.startsWith('SB9'))).toHaveLength(2500);
  });
});
