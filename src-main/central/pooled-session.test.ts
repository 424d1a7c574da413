/**
 * What one station can leave behind on the shared pooled login, tried through a real PgBouncer started from
 * `central pgbouncer-config` with one server connection, so every client here gets the same backend: named
 * prepared statements, held cursors and LISTEN (which RESET ALL keeps) are gone for the next client, and the
 * role defaults and password any role may write on itself neither break the sync nor go unseen.
 */
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBaglink } from '../testing/cli.ts';
import { opHash } from '../sync/op-identity.ts';
import { addStation, type Enrolment } from './enrol.ts';
import { migrateCentral } from './migrate.ts';
import { startPooledOnlyCluster, startProductBouncer, type RunningBouncer } from './testing/pgbouncer.ts';
import { pooledRoleDefaults, type PooledLoginHealth } from './pooled-login.ts';
import type { PrivateCluster } from './private-cluster.ts';
import { createCentralDb, type CentralDb } from './scratch-db.ts';

type Failure = { code?: string };
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: Failure) => e.code,
  );

describe('the pooled login through PgBouncer: what one station leaves behind', () => {
  let cluster: PrivateCluster;
  let db: CentralDb;
  let bouncer: RunningBouncer;
  let station: Enrolment;
  let seq = 0;
  const open: pg.Client[] = [];
  const client = async (notified: string[] = []) => {
    const c = new pg.Client({ connectionString: bouncer.url });
    c.on('error', () => undefined);
    c.on('notification', (n) => notified.push(`${n.channel}:${n.payload ?? ''}`));
    await c.connect();
    open.push(c);
    return c;
  };
  const pid = async (c: pg.Client) => (await c.query('select pg_backend_pid() as p')).rows[0].p as number;
  /** A push of one scan with the station's proof: a write, so a read-only transaction would refuse it. */
  const push = async (c: pg.Client) => {
    seq += 1;
    const payload = {
      scan: {
        id: uuidv7(),
        at: Date.now(),
        raw: `SB9${seq}`,
        code: `SB9${seq}`,
        action: 'link',
        outcome: 'parent',
        scanner: 'kbd',
      },
      effects: [
        {
          type: 'bag.created',
          id: uuidv7(),
          code: `SB9${seq}`,
          kind: 'parent',
          dispatchArea: 'NORTH',
          at: 1,
        },
      ],
    };
    const ops = [{ seq, op: 'scan', payload, id: uuidv7(), hash: opHash('scan', JSON.stringify(payload)) }];
    const r = await c.query('select sync.push($1, $2, 2, $3) as r', [
      station.stationId,
      station.secret,
      JSON.stringify({ incarnation: 1, ops }),
    ]);
    return (r.rows[0].r as { lastAppliedSeq: number }).lastAppliedSeq;
  };
  const health = async (): Promise<{
    code: number;
    json: { pooledLogin: PooledLoginHealth };
    text: string;
  }> => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), stdin: process.stdin };
    const code = await runBaglink(['central', 'status', '--json', '--url', db.adminUrl], io);
    const json = JSON.parse(out.join('\n')) as { pooledLogin: PooledLoginHealth };
    out.length = 0;
    await runBaglink(['central', 'status', '--url', db.adminUrl], io);
    return { code, json, text: out.join('\n') };
  };
  /** Makes PgBouncer open a new server connection (so its connect_query runs, and it logs in again). */
  const dropServerConnections = () =>
    db.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [bouncer.login]);

  beforeAll(async () => {
    cluster = await startPooledOnlyCluster();
    db = await createCentralDb(cluster.url);
    bouncer = await startProductBouncer(cluster, db, { serverConnections: 1, queryTimeoutSeconds: 2 });
    station = await addStation({
      adminUrl: db.adminUrl,
      name: 'Dock 1',
      dispatchArea: 'NORTH',
      stationUrlBase: bouncer.base,
    });
  }, 120_000);
  afterAll(async () => {
    for (const c of open) await c.end().catch(() => undefined);
    bouncer?.stop();
    await db?.drop().catch(() => undefined);
    cluster?.destroy();
  });

  it('leaves no prepared statement, held cursor, LISTEN, advisory lock, temp table or large object to the next client', async () => {
    const notified: string[] = [];
    const a = await client();
    const b = await client(notified);
    expect(await pid(a)).toBe(await pid(b)); // one server connection: b runs where a just ran
    await a.query('prepare leftover as select 42');
    await a.query('declare held cursor with hold for select 7');
    await a.query('listen dock');
    for (const sql of [
      'select pg_advisory_lock(1)',
      'select pg_try_advisory_lock(1)',
      'create temp table t (x int)',
      `select lo_from_bytea(0, 'kept after the session'::bytea)`,
      'select lo_create(0)',
      `select pg_logical_emit_message(false, 'x', 'written to the WAL')`,
    ])
      expect([sql, await codeOf(a.query(sql))]).toEqual([sql, '42501']);
    expect(await codeOf(b.query('execute leftover'))).toBe('26000');
    expect((await b.query('select count(*)::int as n from pg_prepared_statements')).rows[0].n).toBe(0);
    expect(await codeOf(b.query('fetch held'))).toBe('34000');
    // A notification to a's channel sent by b (NOTIFY: pg_notify is revoked) reaches b only if a's LISTEN
    // survived (a backend gets its own; statement pooling lets b hold the connection for one statement only).
    await b.query(`notify dock, 'for a'`);
    await b.query('select 1');
    expect(notified).toEqual([]);
    expect(
      (await b.query('select count(*)::int as n from pg_locks where locktype = $1', ['advisory'])).rows[0].n,
    ).toBe(0);
  });

  it('reaches no other database: PgBouncer knows only the centre’s', async () => {
    const other = new URL(bouncer.url);
    other.pathname = '/postgres';
    const c = new pg.Client({ connectionString: other.toString() });
    c.on('error', () => undefined);
    await expect(c.connect()).rejects.toThrow(/no such database: postgres/);
  });

  it('a statement PgBouncer cut at query_timeout runs on in PostgreSQL until the watchdog ends it', async () => {
    const c = await client();
    // One statement string (statement pooling refuses a transaction block): one implicit transaction.
    await expect(
      c.query(`set statement_timeout = 0; set client_connection_check_interval = 0; select pg_current_xact_id();
        select count(*) from generate_series(1::bigint, 1000000000000)`),
    ).rejects.toThrow(/query timeout/);
    const holding = () =>
      db.query<{ pid: number }>(
        'select pid from pg_stat_activity where usename = $1 and backend_xid is not null',
        [bouncer.login],
      );
    // The station is gone, its backend is not: it still holds its transaction id, and so the pull horizon.
    const [held] = await holding();
    expect(held).toBeDefined();
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), stdin: process.stdin };
    expect(
      await runBaglink(['central', 'watchdog', '--once', '--max-seconds', '1', '--url', db.adminUrl], io),
    ).toBe(0);
    expect(out.join('\n')).toContain(`Ended station backend pid ${held!.pid} (active`);
    for (let i = 0; i < 50 && (await holding()).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await holding()).toEqual([]);
  });

  it('lets a station rewrite the shared role’s defaults, and the sync does not depend on them', async () => {
    const c = await client();
    for (const sql of [
      'alter role current_user set default_transaction_read_only = on',
      'alter role current_user set default_transaction_isolation = serializable',
      'alter role current_user set synchronous_commit = off',
      `alter role current_user set work_mem = '1GB'`,
      'alter role current_user set log_parameter_max_length_on_error = -1',
      `alter role current_user in database ${db.name} set search_path = pg_catalog`,
    ])
      expect([sql, await codeOf(c.query(sql))]).toEqual([sql, 'allowed']);
    // The superuser-only log setting stays, whatever the station tries.
    expect(await codeOf(c.query('alter role current_user reset log_parameter_max_length'))).toBe('42501');
    await dropServerConnections();
    const fresh = await client();
    const show = async () =>
      (
        await fresh.query(`select current_setting('default_transaction_read_only') as ro,
          current_setting('transaction_isolation') as iso, current_setting('synchronous_commit') as sc,
          current_setting('work_mem') as wm, current_setting('log_parameter_max_length_on_error') as lp`)
      ).rows[0];
    // The server's own values (IT's session), not the 1GB and "off" the station wrote.
    const [server] = await db.query<{ sc: string; wm: string }>(
      `select current_setting('synchronous_commit') as sc, current_setting('work_mem') as wm`,
    );
    const pinned = { ro: 'off', iso: 'read committed', sc: server!.sc, wm: server!.wm, lp: '0' };
    expect(pinned.wm).not.toBe('1GB');
    expect(await show()).toEqual(pinned); // a new server connection: connect_query
    expect(await push(fresh)).toBe(seq);
    await fresh.query('set default_transaction_read_only = on');
    expect(await show()).toEqual(pinned); // after a transaction: server_reset_query
    expect(await push(fresh)).toBe(seq);
    // Every sync function runs as its owner with its own search_path, whatever the caller's; the old
    // signatures too, or an old station reads "permission denied" instead of "update this station's software".
    const fns = await db.query<{ name: string; definer: boolean; config: string[] | null }>(
      `select p.oid::regprocedure::text as name, p.prosecdef as definer, p.proconfig as config from pg_proc p
       where p.pronamespace = 'sync'::regnamespace`,
    );
    expect(fns.length).toBeGreaterThan(10);
    for (const f of fns)
      expect([f.name, f.definer, f.config]).toEqual([
        f.name,
        true,
        expect.arrayContaining(['search_path=public, pg_temp']),
      ]);
  });

  it('central status shows what a station wrote on the role, and repair-login puts it back', async () => {
    const c = await client();
    await c.query(`alter role current_user password 'taken-over'`);
    const seen = await health();
    expect(seen.code).toBe(0);
    expect(seen.json.pooledLogin).toEqual({
      role: bouncer.login,
      unexpectedDefaults: expect.arrayContaining([
        'default_transaction_read_only=on',
        'default_transaction_isolation=serializable',
        'synchronous_commit=off',
        'work_mem=1GB',
        'log_parameter_max_length_on_error=-1',
        `search_path=pg_catalog in database ${db.name}`,
      ]),
      missingDefaults: ['log_parameter_max_length_on_error=0'],
      passwordMatches: false,
    });
    expect(seen.text).toContain('WARNING: the pooled login');
    expect(seen.text).toContain('default_transaction_read_only=on');
    expect(seen.text).toContain('baglink central repair-login');
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), stdin: process.stdin };
    expect(await runBaglink(['central', 'repair-login', '--url', db.adminUrl], io)).toBe(0);
    expect(out.join('\n')).toContain('default_transaction_read_only=on');
    const repaired = await health();
    expect(repaired.json.pooledLogin).toEqual({
      role: bouncer.login,
      unexpectedDefaults: [],
      missingDefaults: [],
      passwordMatches: true,
    });
    expect(repaired.text).not.toContain('WARNING');
    const settings = await db.query<{ setconfig: string[] }>(
      'select setconfig from pg_db_role_setting where setrole = $1::regrole',
      [bouncer.login],
    );
    expect(settings.map((s) => [...s.setconfig].sort())).toEqual([[...pooledRoleDefaults].sort()]);
    // PgBouncer logs in again with the password it has, which is PostgreSQL's again.
    await dropServerConnections();
    const after = await client();
    expect(await push(after)).toBe(seq);
  });

  it('central migrate puts back defaults a station removed', async () => {
    const c = await client();
    await c.query('alter role current_user reset all');
    expect((await health()).json.pooledLogin.missingDefaults).toEqual([
      'statement_timeout=30s',
      'idle_in_transaction_session_timeout=10s',
      'log_parameter_max_length_on_error=0',
    ]);
    await migrateCentral(db.adminUrl);
    expect((await health()).json.pooledLogin).toMatchObject({ unexpectedDefaults: [], missingDefaults: [] });
  });
});
