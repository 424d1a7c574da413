/**
 * `central migrate` moves a centre from each earlier central schema with its data: bags, links, a bill with its
 * parent, scans and users written as that version's tables held them. Afterwards a station enrolled on the pooled
 * login loads all of it, scans into the old parent, and the centre and station agree. (upgrade.test.ts follows a
 * station enrolled on a per-station role through the same move.)
 */
import { rmSync } from 'node:fs';
import { uuidv7 } from 'uuidv7';
import { afterAll, describe, expect, it } from 'vitest';
import { child } from '../testing/test-station.ts';
import {
  addAdmin,
  centralState,
  expectAgreement,
  joinedStation,
  syncAll,
  type SyncedStation,
} from '../sync/testing/stations.ts';
import { migrateCentral } from './migrate.ts';
import { centralStatus } from './status.ts';
import { createCentralDb, type CentralDb } from './scratch-db.ts';
import { centralMigrationTags, migrationsUpTo } from './testing/migrations.ts';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
const earlier = centralMigrationTags().slice(0, -1);

/** What a centre of any version held, in the columns every version has (those of 0000). */
async function writeOldCentre(db: CentralDb, stationId: string): Promise<void> {
  await db.query(
    `insert into stations (id, name, dispatch_area, role_name, last_applied_seq)
    values ($1, 'Old dock', 'NORTH', $2, 4)`,
    [stationId, `baglink_st_${stationId.slice(-12)}`],
  );
  await db.query(
    `insert into users (id, username, display_name, role, dispatch_area, password_hash, station_id,
    created_at) values ($1, 'olga', 'Olga', 'dock', 'NORTH', $2, $3, 0)`,
    [uuidv7(), HASH, stationId],
  );
  const bag = (code: string, kind: string) =>
    db.query(
      `insert into bags (id, code, kind, dispatch_area, first_seen_at, station_id)
      values ($1, $2, $3, 'NORTH', 1, $4)`,
      [uuidv7(), code, kind, stationId],
    );
  await bag('SB00001', 'parent');
  for (let i = 1; i <= 3; i++) {
    await bag(child(i), 'child');
    await db.query(
      `insert into links (id, child_code, parent_code, linked_at, linked_by, station_id)
      values ($1, $2, 'SB00001', $3, 'olga', $4)`,
      [uuidv7(), child(i), i, stationId],
    );
    await db.query(
      `insert into scans (id, station_id, seq, at, raw, code, action, outcome, username, scanner,
      parent_code) values ($1, $2, $3, $3, $4, $4, 'link', 'linked', 'olga', 'kbd', 'SB00001')`,
      [uuidv7(), stationId, i, child(i)],
    );
  }
  await db.query(
    `insert into bills (id, bill_no, destination, vehicle_no, capacity, status, dispatch_area,
    station_id, created_at) values ($1, 'B-1', 'Pune', 'MH12', 10, 'open', 'NORTH', $2, 1)`,
    [uuidv7(), stationId],
  );
  await db.query(
    `insert into bill_bags (id, bill_no, parent_code, added_at, station_id)
    values ($1, 'B-1', 'SB00001', 2, $2)`,
    [uuidv7(), stationId],
  );
}

describe('central migrate from each earlier central schema, with data in it', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it.each(earlier)('from %s', async (tag) => {
    const folder = migrationsUpTo(tag);
    cleanup.push(() => rmSync(folder, { recursive: true, force: true }));
    const db = await createCentralDb(undefined, folder);
    cleanup.push(() => db.drop());
    const oldStation = uuidv7();
    await writeOldCentre(db, oldStation);
    const before = await centralState(db);

    const all = centralMigrationTags().length;
    expect(await migrateCentral(db.adminUrl)).toEqual({ applied: all - earlier.indexOf(tag) - 1 });
    expect(await centralState(db)).toEqual(before);
    expect(await db.query('select count(*)::int as n from scans')).toEqual([{ n: 3 }]);
    expect(await db.query(`select areas from users where username = 'olga'`)).toEqual([{ areas: ['NORTH'] }]);
    const status = await centralStatus(db.adminUrl);
    expect(status.stations.find((s) => s.id === oldStation)).toMatchObject({
      oldRole: true,
      lastAppliedSeq: 4,
    });
    expect(status.pooledLogin).toMatchObject({
      unexpectedDefaults: [],
      missingDefaults: [],
      passwordMatches: true,
    });

    const station: SyncedStation = await joinedStation(db, 'New dock', 'NORTH');
    cleanup.push(() => station.dispose());
    await addAdmin(db, station, 'ana');
    await station.login('ana');
    await syncAll([station]);
    await expectAgreement(db, [station]);
    await station.scan('SB00001');
    await station.scan(child(4));
    await syncAll([station]);
    await expectAgreement(db, [station]);
    expect((await centralState(db)).links).toContain(`${child(4)}>SB00001`);
  });
});
