import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startPooledOnlyCluster,
  startProductBouncer,
  type RunningBouncer,
} from '../../src-main/central/testing/pgbouncer.ts';
import type { PrivateCluster } from '../../src-main/central/private-cluster.ts';
import { createCentralDb, type CentralDb } from '../../src-main/central/scratch-db.ts';
import {
  centralScanCount,
  centralState,
  counterMismatches,
  localState,
} from '../../src-main/sync/testing/stations.ts';
import { baglink, serve, type Served } from '../../src-main/bench/serve-process.ts';

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  ms = 90_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Dock {
  dir: string;
  user: string;
  stationId: string;
  role: string;
  served?: Served;
}

/**
 * The "done means": two `baglink serve` stations against one centre, the centre stopped while both
 * scan (the same child on both), one station killed with SIGKILL in the middle of a push and restarted. In the
 * end the centre and both stations hold the same bags and links, every scan exactly once, one conflict shown.
 * The stations reach the centre as the product runs them: enrolled with --station-url and --ca for a real
 * PgBouncer started from `central pgbouncer-config` (verify-full), with the one pooled login, which pg_hba admits
 * only through PgBouncer.
 */
describe('two stations, one centre, faults on both sides', () => {
  let cluster: PrivateCluster;
  let bouncer: RunningBouncer;
  let db: CentralDb;
  const docks: Dock[] = [];
  const previousInterval = process.env.BAGLINK_SYNC_INTERVAL_MS;

  beforeAll(async () => {
    process.env.BAGLINK_SYNC_INTERVAL_MS = '300';
    cluster = await startPooledOnlyCluster();
    db = await createCentralDb(cluster.url);
    bouncer = await startProductBouncer(cluster, db, { serverConnections: 3 });
    const stationUrl = `postgres://127.0.0.1:${bouncer.port}/${db.name}?sslmode=verify-full`;
    for (const [name, user] of [
      ['Dock A', 'ana'],
      ['Dock B', 'bob'],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'baglink-e2e-sync-'));
      const added = baglink(
        ['user', 'add', '--data-dir', dir, '--username', user, '--role', 'admin', '--password-stdin'],
        'a-long-password\n',
      );
      expect(added.code, added.stderr).toBe(0);
      const enrol = baglink([
        'central',
        'add-station',
        '--url',
        db.adminUrl,
        '--name',
        name,
        '--area',
        'MAIN',
        '--station-url',
        stationUrl,
        '--ca',
        bouncer.caFile,
        '--json',
      ]);
      expect(enrol.code, enrol.stderr).toBe(0);
      const { stationId, enrolment } = JSON.parse(enrol.stdout) as { stationId: string; enrolment: string };
      const lineFile = join(dir, 'enrolment.txt');
      writeFileSync(lineFile, enrolment, { mode: 0o600 });
      const joined = baglink(['join', '--data-dir', dir, '--enrolment-file', lineFile]);
      expect(joined.code, joined.stderr).toBe(0);
      rmSync(lineFile);
      const [row] = await db.query<{ value: string }>(
        `select value from central_settings where key = 'login_role'`,
      );
      docks.push({ dir, user, stationId, role: row!.value });
    }
  }, 120_000);

  afterAll(async () => {
    for (const d of docks) {
      await d.served?.stop('SIGKILL');
      rmSync(d.dir, { recursive: true, force: true });
    }
    bouncer?.stop();
    await db?.drop().catch(() => undefined);
    cluster?.destroy();
    if (previousInterval === undefined) delete process.env.BAGLINK_SYNC_INTERVAL_MS;
    else process.env.BAGLINK_SYNC_INTERVAL_MS = previousInterval;
  });

  async function start(d: Dock) {
    d.served = await serve(d.dir);
    const login = await d.served.call('auth.login', { username: d.user, password: 'a-long-password' });
    expect(login.ok, JSON.stringify(login)).toBe(true);
  }
  const scan = async (d: Dock, code: string) => {
    const r = await d.served!.call('scan.submit', { code });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    return r.value as { outcome: string };
  };
  const synced = (d: Dock) => async () => {
    const s = (await d.served!.call('sync.status')).value as {
      outbox: { depth: number };
      lastError: string | null;
    };
    return s.outbox.depth === 0 && s.lastError === null;
  };
  const local = (d: Dock) => {
    const sqlite = new Database(join(d.dir, 'station.db'), { readonly: true });
    try {
      return {
        state: localState(sqlite),
        counters: counterMismatches(sqlite),
        scans: (sqlite.prepare('select count(*) as n from scans').get() as { n: number }).n,
      };
    } finally {
      sqlite.close();
    }
  };

  it('ends with the centre and both stations equal, every scan once, one conflict shown', async () => {
    const [a, b] = docks as [Dock, Dock];
    await start(a);
    await start(b);
    await waitFor(
      'both stations to sync their users',
      async () => (await synced(a)()) && (await synced(b)()),
    );

    cluster.stop(); // the centre goes away; both docks keep scanning the same child
    await scan(a, 'SB00001');
    for (const c of ['CHA001', 'CHA002', 'CHX999']) expect((await scan(a, c)).outcome).toBe('linked');
    await scan(b, 'SB00002');
    for (const c of ['CHB001', 'CHX999']) expect((await scan(b, c)).outcome).toBe('linked');
    await waitFor('station A to see the centre is down', async () => {
      const s = (await a.served!.call('status.get')).value as { sync: { lastError: string | null } };
      return s.sync.lastError !== null;
    });
    cluster.start();
    await waitFor('both stations to catch up', async () => (await synced(a)()) && (await synced(b)()));

    // Station A is killed while its next push waits inside the centre, then restarted.
    const lock = new pg.Client({ connectionString: db.adminUrl });
    await lock.connect();
    await lock.query('begin');
    await lock.query('select * from stations where id = $1 for update', [a.stationId]);
    await scan(a, 'SB00003');
    await scan(a, 'CHA003');
    await waitFor('A to push into the held row', async () => {
      const rows = await db.query(
        `select pid from pg_stat_activity where usename = $1 and wait_event_type = 'Lock'
           and query like '%sync.push%'`,
        [a.role],
      );
      return rows.length > 0;
    });
    await a.served!.stop('SIGKILL');
    await lock.query('commit');
    await lock.end();
    await start(a);
    await scan(a, 'CHA004');
    await waitFor('both stations to agree with the centre', async () => {
      if (!(await synced(a)()) || !(await synced(b)())) return false;
      const central = await centralState(db);
      const la = local(a).state;
      const lb = local(b).state;
      return JSON.stringify(la) === JSON.stringify(central) && JSON.stringify(lb) === JSON.stringify(central);
    });

    const central = await centralState(db);
    expect(central.links.filter((l) => l.startsWith('CHX999>'))).toHaveLength(1);
    expect(central.links).toContain('CHA004>SB00003');
    for (const d of [a, b]) {
      const l = local(d);
      expect(l.state).toEqual(central);
      expect(l.counters).toEqual([]);
      const n = await centralScanCount(db, d.stationId);
      expect(n).toBe(l.scans);
    }
    const conflicts = [
      ((await a.served!.call('conflicts.list')).value as unknown[]).length,
      ((await b.served!.call('conflicts.list')).value as unknown[]).length,
    ];
    expect(conflicts.sort()).toEqual([0, 1]);
    const status = baglink(['status', '--data-dir', docks[conflicts[0] === 1 ? 0 : 1]!.dir]);
    expect(status.stdout).toMatch(/conflicts [01]/);
    expect(status.stdout).not.toMatch(/:[^@/*]+@127/);
  }, 180_000);
});
