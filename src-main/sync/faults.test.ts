/**
 * Faults with the stations connected as the product runs them: through a real PgBouncer started from
 * `baglink central pgbouncer-config` (statement pooling, client TLS with verify-full), all with the one pooled
 * login, which pg_hba admits only through PgBouncer. A server connection killed mid-batch, the centre stopped
 * during a push, and a station catching up 100k scans it queued offline: each ends with every scan applied once.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startPooledOnlyCluster,
  startProductBouncer,
  type RunningBouncer,
} from '../central/testing/pgbouncer.ts';
import type { PrivateCluster } from '../central/private-cluster.ts';
import { createCentralDb, type CentralDb } from '../central/scratch-db.ts';
import { queuedStation, stationOps } from './queued-ops.ts';
import { child } from '../testing/test-station.ts';
import { loadSyncConfig, saveSyncConfig } from './config.ts';
import type { SyncState } from '../../src-shared/sync-status.ts';
import {
  centralScanCount,
  centralState,
  counterMismatches,
  joinedStation,
  localState,
  type SyncedStation,
} from './testing/stations.ts';

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 60_000,
) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Holds the station's row locked, so its next push waits inside the centre: "mid-batch". */
async function holdStation(db: CentralDb, stationId: string) {
  const c = new pg.Client({ connectionString: db.adminUrl });
  await c.connect();
  c.on('error', () => undefined);
  await c.query('begin');
  await c.query('select * from stations where id = $1 for update', [stationId]);
  return c;
}

/** The server connection (PgBouncer's, of the one pooled login) whose sync.push waits on the held row. */
async function waitingPushPid(db: CentralDb, s: SyncedStation): Promise<number> {
  const role = new URL(s.engine.config.url).username;
  return waitFor('the station push to wait on its row', async () => {
    const rows = await db.query<{ pid: number }>(
      `select pid from pg_stat_activity where usename = $1 and wait_event_type = 'Lock' and query like '%sync.push%'`,
      [role],
    );
    return rows[0]?.pid;
  });
}

describe('faults against a private cluster, the stations through PgBouncer', () => {
  let cluster: PrivateCluster;
  let bouncer: RunningBouncer;
  let db: CentralDb;
  let a: SyncedStation;
  let b: SyncedStation;

  beforeAll(async () => {
    cluster = await startPooledOnlyCluster();
    db = await createCentralDb(cluster.url);
    bouncer = await startProductBouncer(cluster, db, { serverConnections: 3 });
    a = await joinedStation(db, 'Dock A', 'NORTH', {
      connectionString: bouncer.url,
      timeouts: { connectMs: 3_000, statementMs: 30_000, queryMs: 40_000, idleInTransactionMs: 10_000 },
    });
    b = await joinedStation(db, 'Dock B', 'NORTH', { connectionString: bouncer.url });
    // As an enrolment line made with --station-url: the worker reads PgBouncer's address from central.json.
    for (const s of [a, b]) saveSyncConfig(s.dir, { ...loadSyncConfig(s.dir)!, url: bouncer.url });
    await a.addUser('ana', 'admin');
    await b.addUser('bob', 'admin');
    await a.login('ana');
    await b.login('bob');
  }, 120_000);
  afterAll(async () => {
    a?.dispose();
    b?.dispose();
    bouncer?.stop();
    await db?.drop().catch(() => undefined);
    cluster?.destroy();
  });

  async function expectAgreement() {
    await a.engine.cycle();
    await b.engine.cycle();
    await a.engine.cycle();
    const central = await centralState(db);
    for (const s of [a, b]) {
      expect(localState(s.station.ctx.sqlite)).toEqual(central);
      expect(counterMismatches(s.station.ctx.sqlite)).toEqual([]);
      const n = await centralScanCount(db, s.centralStationId);
      expect(n).toBe(s.rows('scans'));
      expect(s.rows('outbox', 'sent_at is null')).toBe(0);
    }
  }

  it('pg_terminate_backend mid-batch: the batch is retried and applied exactly once', async () => {
    await a.scan('SB00001');
    for (let i = 1; i <= 5; i++) await a.scan(child(i));
    const lock = await holdStation(db, a.centralStationId);
    const cycle = a.engine.cycle().then(
      () => null,
      (e: Error) => e,
    );
    const pid = await waitingPushPid(db, a);
    await db.query('select pg_terminate_backend($1)', [pid]);
    const failed = await cycle;
    expect(failed?.message).toMatch(/centre cannot be reached/);
    expect(a.rows('outbox', 'sent_at is null')).toBeGreaterThan(0);
    expect(a.station.status().sync.lastError).toMatch(/centre cannot be reached/);
    await lock.query('rollback');
    await lock.end();
    await expectAgreement();
  });

  it('the centre stopped during a push and started again: the worker retries on its timer', async () => {
    const password = bouncer.password;
    const states: SyncState[] = [];
    const unsubscribe = a.station.subscribe((name, payload) => {
      if (name === 'onSyncState') states.push(payload as SyncState);
    });
    a.station.sync.start({ intervalMs: 200, backoffBaseMs: 100, backoffCapMs: 800 });
    try {
      await waitFor('the worker to sync', () =>
        states.some((s) => s.state === 'idle' && s.outbox.depth === 0),
      );
      const lock = await holdStation(db, a.centralStationId);
      await a.scan('SB00002');
      await a.scan(child(20));
      await waitingPushPid(db, a);
      cluster.stop();
      await lock.end().catch(() => undefined);
      await a.scan(child(21)); // scanning goes on while the centre is down
      await waitFor('the worker to report the failure', () =>
        states.some((s) => s.state === 'retrying' && s.lastError !== null),
      );
      const failing = a.station.status().sync;
      expect(failing.outbox.depth).toBeGreaterThan(0);
      expect(failing.outbox.oldestUnsentAgeMs).not.toBeNull();
      expect(JSON.stringify(states)).not.toContain(password);
      cluster.start();
      // No new scan: only the backoff timer can bring it back.
      await waitFor(
        'the worker to catch up after the restart',
        () => a.station.status().sync.outbox.depth === 0 && a.station.status().sync.lastError === null,
      );
    } finally {
      unsubscribe();
      await a.station.stopSync();
    }
    await expectAgreement();
  }, 120_000);
  it('a station that queued 100k scans offline catches up through PgBouncer: each once at the centre', async () => {
    const queued = 100_000;
    const c = await joinedStation(db, 'Catch-up', 'MAIN', { connectionString: bouncer.url });
    try {
      await c.engine.cycle(); // its first load, then a day offline
      queuedStation(c.dir, stationOps(7, queued));
      const { pushed } = await c.engine.cycle();
      expect(pushed).toBe(queued);
      expect(await centralScanCount(db, c.centralStationId)).toBe(queued);
      expect(c.rows('outbox', 'sent_at is null')).toBe(0);
      expect((await c.engine.cycle()).pushed).toBe(0);
      expect(await centralScanCount(db, c.centralStationId)).toBe(queued);
      const [n] = await db.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where usename = $1',
        [bouncer.login],
      );
      expect(n!.n).toBeLessThanOrEqual(3);
    } finally {
      c.dispose();
    }
  }, 300_000);
});
