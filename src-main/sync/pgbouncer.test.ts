/**
 * The stations sync through a real PgBouncer started from `baglink central pgbouncer-config` (client TLS, checked
 * with verify-full), all with the one
 * pooled login: the centre and both stations agree, no proof reaches the server log, PostgreSQL sees at most the pool's connections, the pooled
 * login cannot reach PostgreSQL except through PgBouncer, and no station can hold a transaction open (statement
 * pooling) whatever the station SETs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startPooledOnlyCluster,
  startProductBouncer,
  type RunningBouncer,
} from '../central/testing/pgbouncer.ts';
import type { PrivateCluster } from '../central/private-cluster.ts';
import { createCentralDb, type CentralDb } from '../central/scratch-db.ts';
import { child } from '../testing/test-station.ts';
import { runBaglink } from '../testing/cli.ts';
import { loadSyncConfig } from './config.ts';
import { addAdmin, expectAgreement, joinedStation, syncAll, type SyncedStation } from './testing/stations.ts';

const POOL = 3;

describe('two stations through PgBouncer with the one pooled login', () => {
  let cluster: PrivateCluster;
  let db: CentralDb;
  let bouncer: RunningBouncer;
  let bouncerUrl: string;
  let login: string;
  const stations: SyncedStation[] = [];

  beforeAll(async () => {
    cluster = await startPooledOnlyCluster(['log_statement = all']);
    db = await createCentralDb(cluster.url);
    // PgBouncer's own certificate: the stations check it with verify-full against the CA they were given.
    bouncer = await startProductBouncer(cluster, db, {
      serverConnections: POOL,
      idleTransactionTimeoutSeconds: 1,
    });
    login = bouncer.login;
    bouncerUrl = bouncer.url;
    for (const [name, admin] of [
      ['Dock A', 'ana'],
      ['Dock B', 'bob'],
    ] as const) {
      const s = await joinedStation(db, name, 'NORTH', { connectionString: bouncerUrl });
      await addAdmin(db, s, admin);
      await s.login(admin);
      stations.push(s);
    }
  }, 120_000);
  afterAll(async () => {
    for (const s of stations) s.dispose();
    bouncer?.stop();
    await db?.drop().catch(() => undefined);
    cluster?.destroy();
  });

  it('syncs both stations through PgBouncer, with at most the pool’s server connections', async () => {
    const [a, b] = stations as [SyncedStation, SyncedStation];
    await a.scan('SB00001');
    for (let i = 1; i <= 5; i++) await a.scan(child(i));
    await b.scan('SB00002');
    await b.scan(child(1)); // the same child: first commit wins
    await b.scan(child(9));
    await syncAll([a, b]);
    await expectAgreement(db, [a, b]);
    const [n] = await db.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where usename = $1',
      [login],
    );
    expect(n!.n).toBeLessThanOrEqual(POOL);
  });

  it('never writes a station’s proof into the server log, even with log_statement = all', () => {
    const log = readFileSync(join(cluster.dir, 'log'), 'utf8');
    expect(log).toContain('sync.push');
    for (const s of stations) expect(log).not.toContain(loadSyncConfig(s.dir)!.secret!);
  });

  it('refuses the pooled login straight to PostgreSQL: only PgBouncer gets in', async () => {
    const direct = new pg.Client({ connectionString: loadSyncConfig(stations[0]!.dir)!.url });
    await expect(direct.connect()).rejects.toThrow(/pg_hba\.conf rejects connection/);
  });

  // Statement pooling (issue 12's review, break-pool.test.ts): a sync call is one statement, so a transaction
  // block is refused at its first statement and no station can hold a server connection between statements.
  it('lets no station hold a transaction open, even after it switched its own timeout off', async () => {
    const c = new pg.Client({ connectionString: bouncerUrl });
    c.on('error', () => undefined);
    await c.connect();
    const closed = new Promise((resolve) => c.once('end', resolve));
    await c.query('set idle_in_transaction_session_timeout = 0');
    await expect(
      (async () => {
        await c.query('begin');
        await c.query('select pg_current_xact_id()');
      })(),
    ).rejects.toThrow();
    await closed;
    await expect(c.query('select 1')).rejects.toThrow();
    const idle = await db.query(
      `select pid from pg_stat_activity where usename = $1 and state like 'idle in transaction%'`,
      [login],
    );
    expect(idle).toEqual([]);
  });

  it('prints a config and auth file for IT', async () => {
    const out: string[] = [];
    const code = await runBaglink(['central', 'pgbouncer-config', '--url', db.adminUrl], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      stdin: process.stdin,
    });
    expect(code).toBe(0);
    const text = out.join('\n');
    for (const line of [
      'pool_mode = statement',
      'server_reset_query = RESET ALL',
      'server_reset_query_always = 1',
      'idle_transaction_timeout = 10',
      'query_timeout = 60',
    ])
      expect(text).toContain(line);
    expect(text).toContain(`"${login}" "`);
  });
});
