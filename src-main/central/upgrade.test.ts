/**
 * A centre and a station enrolled before the pooled login (schema 0003, one login role per station) upgrade:
 * `central migrate` moves the centre with its data, the station claims its secret once with its old role, sends
 * what it queued, forgets the other areas' users it was sent before, and the next migrate drops the old role.
 */
import { rmSync } from 'node:fs';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { afterAll, describe, expect, it } from 'vitest';
import { proofHash } from './enrol.ts';
import { migrateCentral } from './migrate.ts';
import { createCentralDb, type CentralDb } from './scratch-db.ts';
import { centralMigrationTags, migrationsUpTo } from './testing/migrations.ts';
import { createTestStation, type TestStation } from '../testing/test-station.ts';
import { createCentralApplier } from '../sync/apply.ts';
import { loadSyncConfig, saveSyncConfig } from '../sync/config.ts';
import { createSyncEngine } from '../sync/engine.ts';
import { addAdmin, joinedStation } from '../sync/testing/stations.ts';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';

describe('upgrading a centre and a station enrolled on a per-station role', () => {
  let db: CentralDb;
  let station: TestStation | undefined;
  let oldFolder: string | undefined;
  afterAll(async () => {
    station?.dispose();
    await db?.drop();
    if (oldFolder) rmSync(oldFolder, { recursive: true, force: true });
  });

  it('claims a secret once with the old role, keeps every queued scan, and the old role is then dropped', async () => {
    oldFolder = migrationsUpTo('0003_push_generic_plans');
    db = await createCentralDb(undefined, oldFolder);
    // Enrolled as 0003 did it: its own login role, member of baglink_station.
    const stationId = uuidv7();
    const role = `baglink_st_${stationId.replace(/-/g, '').slice(-16)}`;
    await db.query(`create role ${role} login password 'old-password' in role baglink_station`);
    await db.query(
      `insert into stations (id, name, dispatch_area, role_name) values ($1, 'Old dock', 'NORTH', $2)`,
      [stationId, role],
    );
    for (const [username, area] of [
      ['nina', 'NORTH'],
      ['sid', 'SOUTH'],
    ] as const) {
      await db.query(
        `insert into users (id, username, display_name, role, dispatch_area, password_hash, station_id, created_at)
         values ($1, $2, $2, 'dock', $3, $4, $5, 0)`,
        [uuidv7(), username, area, HASH, stationId],
      );
    }
    const url = new URL(db.adminUrl);
    url.username = role;
    url.password = 'old-password';
    station = createTestStation();
    saveSyncConfig(station.dir, {
      stationId,
      name: 'Old dock',
      dispatchArea: 'NORTH',
      url: url.toString(),
      caFile: null,
    });
    station.station.ctx.stationRepo.save({ ...station.station.ctx.station, dispatchArea: 'NORTH' });
    station.station.ctx.reloadStation();
    // What the old centre sent every station: users of every area, with their hashes.
    const applier = createCentralApplier(station.station.ctx);
    station.station.ctx.transaction(() => {
      for (const username of ['nina', 'sid'])
        applier.apply({
          entity: 'users',
          row: { id: uuidv7(), username, role: 'dock', password_hash: HASH },
        });
    });
    await station.addUser('ana', 'admin');
    await station.login('ana');
    await station.scan('SB00001');
    await station.scan('CH000001');

    // 0004 (the pooled login), 0005 (exactly once), 0006 (the pull horizon seen by a station) and every later one.
    const after0003 =
      centralMigrationTags().length - centralMigrationTags().indexOf('0003_push_generic_plans') - 1;
    expect(after0003).toBeGreaterThanOrEqual(3);
    expect(await migrateCentral(db.adminUrl)).toEqual({ applied: after0003 });
    expect(await db.query(`select username, areas from users order by 1`)).toEqual([
      { username: 'nina', areas: ['NORTH'] },
      { username: 'sid', areas: ['SOUTH'] },
    ]);

    const engine = createSyncEngine({ dataDir: station.dir, clock: station.clock });
    try {
      expect(await engine.cycle()).toMatchObject({ pushed: 2 });
    } finally {
      await engine.close();
    }
    const config = loadSyncConfig(station.dir)!;
    expect(config.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(new URL(config.url).username).toBe(`${db.name}_station_login`);
    const [row] = await db.query<{ proof_hash: Buffer }>('select proof_hash from stations where id = $1', [
      stationId,
    ]);
    expect(row!.proof_hash.equals(proofHash(config.secret!))).toBe(true);
    expect(await db.query('select count(*)::int as n from scans')).toEqual([{ n: 2 }]);
    // sid is South's: his hash is gone from this North station; nina's stays.
    const hashOf = (u: string) => station!.station.ctx.users.byUsername(u)?.passwordHash;
    expect(hashOf('sid')).toBe('');
    expect(hashOf('nina')).toBe(HASH);

    await migrateCentral(db.adminUrl);
    expect(await db.query('select 1 from pg_roles where rolname = $1', [role])).toEqual([]);
    expect(await db.query('select role_name from stations where id = $1', [stationId])).toEqual([
      { role_name: null },
    ]);
    const oldLogin = new pg.Client({ connectionString: url.toString() });
    await expect(oldLogin.connect()).rejects.toThrow(/role .* does not exist|authentication/);
  });

  it('a station whose old role is gone says what to do, and keeps its scans', async () => {
    const gone = createTestStation();
    try {
      const stationId = uuidv7();
      await db.query(
        `insert into stations (id, name, dispatch_area, role_name) values ($1, 'Gone', 'NORTH', 'baglink_st_gone')`,
        [stationId],
      );
      const url = new URL(db.adminUrl);
      url.username = 'baglink_st_gone';
      url.password = 'whatever';
      saveSyncConfig(gone.dir, {
        stationId,
        name: 'Gone',
        dispatchArea: 'NORTH',
        url: url.toString(),
        caFile: null,
      });
      await gone.addUser('ana', 'admin');
      await gone.login('ana');
      await gone.scan('SB00002');
      const engine = createSyncEngine({ dataDir: gone.dir, clock: gone.clock });
      try {
        await expect(engine.cycle()).rejects.toThrow(
          /enrolled before the centre moved to one shared station login.*ask IT for a new enrolment line.*Unsent scans stay/,
        );
      } finally {
        await engine.close();
      }
      expect(gone.station.status().sync.outbox.depth).toBe(1);
    } finally {
      gone.dispose();
    }
  });
});

describe('a station of this version and a centre not yet migrated', () => {
  it('syncs with a centre of 0006, whose hello takes no outbox report', async () => {
    const folder = migrationsUpTo('0006_horizon_wait');
    const old = await createCentralDb(undefined, folder);
    const station = await joinedStation(old, 'Dock 6', 'NORTH');
    try {
      await addAdmin(old, station, 'ana');
      await station.login('ana');
      await station.scan('SB00006');
      await station.scan('CH000006');
      expect(await station.engine.cycle()).toMatchObject({ pushed: 2 });
      expect(await station.engine.cycle()).toMatchObject({ pushed: 0 });
      expect(await old.query('select count(*)::int as n from scans')).toEqual([{ n: 2 }]);
    } finally {
      station.dispose();
      await old.drop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
