/**
 * A 0011 centre in use, migrated to 0012 (weights): the bills it holds read as estimated in bill_weights (nothing
 * was weighed before), and the station that made them goes on syncing and sends its first weighing, after which
 * the bill reads as recorded.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { child } from '../testing/test-station.ts';
import { addAdmin, expectAgreement, joinedStation, type SyncedStation } from '../sync/testing/stations.ts';
import { queueWeight } from '../sync/testing/weights.ts';
import { migrateCentral } from './migrate.ts';
import { createCentralDb, type CentralDb } from './scratch-db.ts';
import { migrationsUpTo } from './testing/migrations.ts';

describe('a 0011 centre migrated to 0012: existing bills read as estimated, new weighings as recorded', () => {
  let db: CentralDb | undefined;
  let station: SyncedStation | undefined;
  afterAll(async () => {
    station?.dispose();
    await db?.drop();
  });

  it('bill_weights marks the old bill estimated, then recorded once its parent is weighed', async () => {
    const old = migrationsUpTo('0011_review_holes');
    try {
      db = await createCentralDb(undefined, old);
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
    const s = (station = await joinedStation(db, 'Dock N', 'NORTH'));
    await addAdmin(db, s, 'ana');
    await s.login('ana');
    await s.scan('SB00001');
    for (let i = 1; i <= 3; i++) await s.scan(child(i));
    await s.call('bills.create', { billNo: 'B-1', destination: 'Pune', vehicleNo: 'MH12', capacity: 2 });
    await s.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
    await s.engine.cycle();
    expect(await db.query(`select to_regclass('public.parent_weights') is null as none`)).toEqual([
      { none: true },
    ]);

    expect(await migrateCentral(db.adminUrl)).toEqual({ applied: 1 });
    const billWeights = () =>
      db!.query(
        `select bill_no, parents, weighed_parents, recorded_kg, estimated_children, estimated from bill_weights`,
      );
    expect(await billWeights()).toEqual([
      {
        bill_no: 'B-1',
        parents: 1,
        weighed_parents: 0,
        recorded_kg: 0,
        estimated_children: 3,
        estimated: true,
      },
    ]);

    s.clock.advance(30_000);
    queueWeight(s, 'SB00001', { kg: 3.4, childCount: 3 });
    await s.scan('SB00002');
    await s.scan(child(4));
    await s.engine.cycle();
    await expectAgreement(db, [s]);
    expect(await billWeights()).toEqual([
      {
        bill_no: 'B-1',
        parents: 1,
        weighed_parents: 1,
        recorded_kg: 3.4,
        estimated_children: 0,
        estimated: false,
      },
    ]);
  });
});
