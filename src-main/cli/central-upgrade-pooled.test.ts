/**
 * A station enrolled on a per-station role upgrades against a real centre migrated one migration at a time, the
 * way the product runs: pg_hba lets the old per-station roles log in over TCP but admits the pooled login only
 * over the Unix socket, i.e. through PgBouncer started from `central pgbouncer-config`. Before IT stores the
 * stations' address the station says what IT must do and keeps everything; after `central migrate
 * --station-url`, it claims its secret with its old role, moves to PgBouncer, sends what it queued, and the
 * next migrate drops the old role. Old software calling the signatures of before is told to update, not
 * "permission denied", with its old role and through PgBouncer with the pooled login.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCentral } from '../central/migrate.ts';
import { centralStatus } from '../central/status.ts';
import { startProductBouncer, pooledOnlyHba, type RunningBouncer } from '../central/testing/pgbouncer.ts';
import { startPrivateCluster, type PrivateCluster } from '../central/private-cluster.ts';
import { createCentralDb, type CentralDb } from '../central/scratch-db.ts';
import { centralMigrationTags, migrationsUpTo } from '../central/testing/migrations.ts';
import { main } from './main.ts';
import { createTestStation, type TestStation } from '../testing/test-station.ts';
import { loadSyncConfig, saveSyncConfig } from '../sync/config.ts';
import { createSyncEngine } from '../sync/engine.ts';

/** As pooledOnlyHba, and the old per-station roles (members of baglink_station) over TCP with their password. */
const oldRolesOverTcp = [
  ...pooledOnlyHba.slice(0, -1),
  'host all +baglink_station 127.0.0.1/32 scram-sha-256',
  ...pooledOnlyHba.slice(-1),
];

const UPDATE_SENTENCE =
  /needs this station's software updated before it syncs again; nothing on the station is lost/;

async function sqlStateOf(url: string, sql: string, params: unknown[]): Promise<[string, string]> {
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    await c.query(sql, params);
    return ['allowed', ''];
  } catch (e) {
    const err = e as { code?: string; message: string };
    return [err.code ?? '', err.message];
  } finally {
    await c.end().catch(() => undefined);
  }
}

describe('a station on a per-station role, upgraded through PgBouncer', () => {
  let cluster: PrivateCluster;
  let db: CentralDb;
  let bouncer: RunningBouncer | undefined;
  let station: TestStation;
  const folders: string[] = [];
  const stationId = uuidv7();
  const role = `baglink_st_${stationId.replace(/-/g, '').slice(-16)}`;
  let oldUrl: string;

  beforeAll(async () => {
    cluster = await startPrivateCluster(undefined, 40, [], oldRolesOverTcp);
    const first = migrationsUpTo('0003_push_generic_plans');
    folders.push(first);
    db = await createCentralDb(cluster.url, first);
    await db.query(`create role ${role} login password 'old-password' in role baglink_station`);
    await db.query(
      `insert into stations (id, name, dispatch_area, role_name) values ($1, 'Old dock', 'NORTH', $2)`,
      [stationId, role],
    );
    const url = new URL(db.adminUrl);
    url.username = role;
    url.password = 'old-password';
    oldUrl = url.toString();
    // The station's data folder as the old software left it: central.json with its own role, no secret.
    station = createTestStation();
    saveSyncConfig(station.dir, {
      stationId,
      name: 'Old dock',
      dispatchArea: 'NORTH',
      url: oldUrl,
      caFile: null,
    });
    station.station.ctx.stationRepo.save({ ...station.station.ctx.station, dispatchArea: 'NORTH' });
    station.station.ctx.reloadStation();
    await station.addUser('ana', 'admin');
    await station.login('ana');
    await station.scan('SB00001');
    await station.scan('CH000001');
  }, 120_000);
  afterAll(async () => {
    station?.dispose();
    bouncer?.stop();
    await db?.drop().catch(() => undefined);
    cluster?.destroy();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });

  it('migrates the centre one migration at a time, with the old station still on its role', async () => {
    const tags = centralMigrationTags();
    for (const tag of tags.slice(tags.indexOf('0003_push_generic_plans') + 1)) {
      const folder = migrationsUpTo(tag);
      folders.push(folder);
      expect([tag, await migrateCentral(db.adminUrl, folder)]).toEqual([tag, { applied: 1 }]);
    }
    expect(await db.query('select role_name from stations where id = $1', [stationId])).toEqual([
      { role_name: role },
    ]);
    bouncer = await startProductBouncer(cluster, db);
  }, 120_000);

  it('tells old software on its old role to update, not "permission denied"', async () => {
    const [code, message] = await sqlStateOf(oldUrl, 'select sync.hello($1::uuid, 1)', [stationId]);
    expect(code).toBe('08P01');
    expect(message).toMatch(UPDATE_SENTENCE);
  });

  it('tells old software on the pooled login, through PgBouncer, to update, whichever old signature it calls', async () => {
    const secret = 'a'.repeat(64);
    for (const [sql, params] of [
      ['select sync.hello($1::uuid, 1)', [stationId]],
      ['select sync.push($1::uuid, 1, $2::jsonb)', [stationId, '[]']],
      ['select sync.pull($1::uuid, 1, $2, 0, 10)', [stationId, '0']],
      ['select sync.hello($1::uuid, $2::text, 1)', [stationId, secret]],
      ['select sync.pull($1::uuid, $2::text, 1, $3, 0, 10)', [stationId, secret, '0']],
      [
        'select sync.reject($1::uuid, $2::text, 1, 1::bigint, $3, $4::jsonb, $5)',
        [stationId, secret, 'scan', '{}', 'unreadable'],
      ],
    ] as const) {
      const [code, message] = await sqlStateOf(bouncer!.url, sql, [...params]);
      expect([sql, code]).toEqual([sql, '08P01']);
      expect(message).toMatch(UPDATE_SENTENCE);
    }
  });

  it('before IT stores the stations’ address, says what to do, keeps its old login and every scan', async () => {
    const engine = createSyncEngine({ dataDir: station.dir, clock: station.clock });
    try {
      await expect(engine.cycle()).rejects.toThrow(
        /does not let it in where the station's old login connected \(127\.0\.0\.1:\d+\): IT runs "baglink central migrate --station-url URL"/,
      );
    } finally {
      await engine.close();
    }
    const config = loadSyncConfig(station.dir)!;
    expect([config.url, config.secret ?? null]).toEqual([oldUrl, null]);
    expect(station.station.status().sync.outbox.depth).toBe(2);
    expect(await db.query('select count(*)::int as n from scans')).toEqual([{ n: 0 }]);
    // Its claim took a secret it could not use: IT still sees it as not yet upgraded.
    expect((await centralStatus(db.adminUrl)).stations).toMatchObject([{ id: stationId, oldRole: true }]);
  });

  it('after "central migrate --station-url", claims its secret, moves to PgBouncer and sends its scans', async () => {
    const caFile = join(cluster.dir, 'stations-ca.pem');
    writeFileSync(caFile, readFileSync(bouncer!.caFile));
    const out: string[] = [];
    const err: string[] = [];
    const address = `postgres://127.0.0.1:${bouncer!.port}/${db.name}?sslmode=verify-full`;
    const code = await main(
      ['central', 'migrate', '--url', db.adminUrl, '--station-url', address, '--ca', caFile],
      { out: (l) => out.push(l), err: (l) => err.push(l), stdin: Readable.from(['']) },
    );
    expect([code, err.join('\n')]).toEqual([0, '']);
    expect(out.join('\n')).toMatch(
      /Stations enrolled before the pooled login move to .*:\d+\/.* at their next sync/,
    );

    const engine = createSyncEngine({ dataDir: station.dir, clock: station.clock });
    try {
      expect(await engine.cycle()).toMatchObject({ pushed: 2 });
    } finally {
      await engine.close();
    }
    const config = loadSyncConfig(station.dir)!;
    expect(config.secret).toMatch(/^[0-9a-f]{64}$/);
    const url = new URL(config.url);
    expect([url.username, url.port, url.searchParams.get('sslmode')]).toEqual([
      bouncer!.login,
      String(bouncer!.port),
      'verify-full',
    ]);
    expect(readFileSync(config.caFile!, 'utf8')).toBe(readFileSync(bouncer!.caFile, 'utf8'));
    expect(await db.query('select count(*)::int as n from scans')).toEqual([{ n: 2 }]);
    expect(station.station.status().sync.outbox.depth).toBe(0);
    expect((await centralStatus(db.adminUrl)).stations).toMatchObject([{ id: stationId, oldRole: false }]);

    await migrateCentral(db.adminUrl);
    expect(await db.query('select 1 from pg_roles where rolname = $1', [role])).toEqual([]);
    const [refused] = await sqlStateOf(oldUrl, 'select 1', []);
    expect(refused).toMatch(/^28/);
  });
});
