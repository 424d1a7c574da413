/**
 * Adversarial review of issue 12 (i12-break): role defaults one station writes on the shared pooled login, which
 * PgBouncer's pins (pooled-login.ts pinnedSessionSettings) do not cover, hurting every other station. Both tests
 * FAIL on the code they were written against. `central status` does warn about such a default, but nothing stops
 * it from acting until IT runs `central repair-login`; pinning the two settings (or a SET clause on the sync
 * functions) would. A server connection opened after the default was written (PgBouncer's server_lifetime, a
 * restart of PostgreSQL or PgBouncer) takes it; the tests open one by ending the pooled backends as IT.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addStation, pooledLogin, withAdmin, type Enrolment } from './enrol.ts';
import { repairPooledLogin } from './pooled-login.ts';
import type { CentralDb } from './scratch-db.ts';
import { startPooledCentre, type PooledCentre } from './testing/pooled-centre.ts';

let centre: PooledCentre;
let db: CentralDb;
const asStation = <T>(fn: (client: pg.Client) => Promise<T>) => centre.asStation(fn);
let b: Enrolment;

/** The attacker (any station: all share the login and its password): a default on the shared role, through PgBouncer. */
async function defaultOnSharedRole(setting: string): Promise<void> {
  await asStation((client) => client.query(`alter role current_user set ${setting}`));
}

/** IT ends the pooled login's backends; PgBouncer's next server connection reads the role's defaults afresh. */
async function freshServerConnection(): Promise<void> {
  await withAdmin(db.adminUrl, async (c) => {
    const { role } = await pooledLogin(c);
    await c.query(`select pg_terminate_backend(pid) from pg_stat_activity where usename = $1`, [role]);
  });
  // PgBouncer finds the closed server connection on its next use: the first call may see it, not the test.
  for (let i = 0; i < 3; i++) {
    const ok = await asStation((client) => client.query('select 1')).then(
      () => true,
      () => false,
    );
    if (ok) return;
  }
}

beforeAll(async () => {
  centre = await startPooledCentre();
  db = centre.db;
  const bouncer = centre.bouncer;
  b = await addStation({
    adminUrl: db.adminUrl,
    name: 'Dock B',
    dispatchArea: 'NORTH',
    stationUrlBase: bouncer.base,
  });
}, 120_000);

afterEach(async () => {
  await withAdmin(db.adminUrl, (c) => repairPooledLogin(c));
  await freshServerConnection();
});

afterAll(() => centre?.stop());

describe('defaults one station writes on the shared login (issue 12, adversarial)', () => {
  // MEDIUM: `lock_timeout = 1ms` on the shared role: every other station's push that waits for a row lock (its own
  // station row, a parent bag, a bill) fails with 55P03 instead of waiting its turn; the README calls this default
  // one that "cannot be prevented", but PgBouncer's connect_query and server_reset_query already pin others.
  it("a station's lock_timeout default does not fail another station's push that waits for a lock", async () => {
    await defaultOnSharedRole(`lock_timeout = '1ms'`);
    await freshServerConnection();
    const itSession = new pg.Client({ connectionString: db.adminUrl });
    await itSession.connect();
    try {
      // IT (or another push of B's twin) holds B's station row for a moment, as any write to it does.
      await itSession.query('begin');
      await itSession.query('select 1 from stations where id = $1 for update', [b.stationId]);
      const batch = {
        incarnation: 1,
        ops: [
          {
            seq: 1,
            id: randomUUID(),
            hash: 'h1',
            op: 'conflict.resolve',
            payload: { conflictId: 0, resolution: 'keep_central' },
          },
        ],
      };
      let settled = false;
      const pushed = asStation((client) =>
        client.query<{ r: { lastAppliedSeq?: number } }>('select sync.push($1, $2, 2, $3) as r', [
          b.stationId,
          b.secret,
          JSON.stringify(batch),
        ]),
      ).finally(() => {
        settled = true;
      });
      pushed.catch(() => undefined);
      // Until B's push waits for the lock (or has already given up on it).
      for (;;) {
        if (settled) break;
        // Read outside IT's transaction: pg_stat_activity is a snapshot taken once per transaction.
        const waiting = await db.query(
          `select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like 'select sync.push%'`,
        );
        if (waiting.length > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await itSession.query('commit');
      const r = await pushed;
      expect(r.rows[0]!.r.lastAppliedSeq).toBe(1);
    } finally {
      await itSession.end();
    }
  });

  // MEDIUM: `idle_session_timeout` on the shared role: PostgreSQL closes PgBouncer's idle server connections
  // between transactions, so every push of every station starts a backend (issue 12's budget: <= 0.1 backends
  // per push; the per-station-role design failed it for the same reason).
  it("a station's idle_session_timeout default does not make PgBouncer start a backend per transaction", async () => {
    await defaultOnSharedRole(`idle_session_timeout = '50ms'`);
    await freshServerConnection();
    const pid = () =>
      asStation(async (client) => {
        const r = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
        return r.rows[0]!.pid;
      });
    const first = await pid().catch(() => -1);
    // Idle between two pushes, as a station is for 5 s between syncs (serverConnections is 1: one backend).
    await new Promise((r) => setTimeout(r, 300));
    const second = await pid().catch(() => -2);
    expect(second).toBe(first);
  });
});
