/**
 * The central bench (`baglink bench --central private|URL`): 200 simulated stations pushing at once, directly
 * and through PgBouncer in transaction mode; the COPY floor of the same rows; catch-up of a station's 100k
 * queued scans; bootstrap of a new station from a centre holding 2M bags. JSON out; never fails on a time.
 * "private" (the default) starts a throwaway cluster so the bench cannot disturb a shared server.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { addStation } from '../central/enrol.ts';
import { setUser } from '../central/it-admin.ts';
import { serverLikeSettings, startPrivateCluster, type PrivateCluster } from '../central/private-cluster.ts';
import { createCentralDb, type CentralDb } from '../central/testing.ts';
import { openStore } from '../store/open.ts';
import { saveEnrolment } from '../sync/config.ts';
import { createSyncEngine } from '../sync/engine.ts';
import { copyFloor, runIngest, stationOps, type Op, type SimStation } from './central-load.ts';
import { startPgBouncer } from './central-pgbouncer.ts';
import { runSteadyState } from './central-steady.ts';
import { pageFaultMicros } from './page-faults.ts';

export interface CentralBenchOptions {
  central: string;
  stations: number;
  scansPerStation: number;
  batch: number;
  catchUpScans: number;
  bootstrapBags: number;
  /** Seconds of the steady state through PgBouncer (0 skips it). */
  steadySeconds?: number;
  log: (line: string) => void;
}

async function enrol(db: CentralDb, n: number): Promise<SimStation[]> {
  const out: SimStation[] = [];
  for (let i = 0; i < n; i++) {
    const e = await addStation({
      adminUrl: db.adminUrl,
      name: `Bench ${i}`,
      dispatchArea: 'MAIN',
      insecure: true,
    });
    out.push({ stationId: e.stationId, url: e.url, secret: e.secret! });
  }
  return out;
}

/** What the centre holds after an ingest: every scan once, every station's last sequence at its end. */
async function verifyIngest(db: CentralDb, ops: Op[][]) {
  const expected = ops.reduce((n, o) => n + o.length, 0);
  const perStation = ops[0]?.length ?? 0;
  const [row] = await db.query<{ scans: number; links: number; behind: number }>(
    `select (select count(*)::int from scans) as scans, (select count(*)::int from links) as links,
       (select count(*)::int from stations where last_applied_seq <> $1) as behind`,
    [perStation],
  );
  return { ...row, expectedScans: expected, lost: expected - (row?.scans ?? 0) };
}

const connectionsOf = (db: CentralDb) => async () =>
  (
    await db.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = $1 and usename <> current_user',
      [db.name],
    )
  )[0]?.n ?? 0;

/** Every station pushes its outbox at once (through `stations`' URLs), then the centre is checked. */
async function ingestInto(db: CentralDb, stations: SimStation[], ops: Op[][], batch: number) {
  return {
    ...(await runIngest(stations, ops, batch, connectionsOf(db))),
    centre: await verifyIngest(db, ops),
  };
}

/** A station whose outbox holds n scans it made offline (its own bags and links already local). */
export function queuedStation(dir: string, ops: ReturnType<typeof stationOps>): void {
  const { sqlite } = openStore(dir);
  const at = Date.now();
  sqlite.transaction(() => {
    const bag = sqlite.prepare(
      `insert into bags (id, code, kind, dispatch_area, child_count, first_seen_at, station_id, updated_at)
       values (?, ?, ?, 'MAIN', 0, ?, 'bench', ?)`,
    );
    const link = sqlite.prepare(
      `insert into links (id, child_id, parent_id, linked_at, linked_by, station_id) values (?, ?, ?, ?, 'bench', 'bench')`,
    );
    const byCode = sqlite.prepare('select id from bags where code = ?');
    const outbox = sqlite.prepare(
      `insert into outbox (id, op, payload, created_at) values (?, 'scan', ?, ?)`,
    );
    for (const o of ops) {
      bag.run(o.bag[0], o.bag[1], o.bag[2], at, at);
      if (o.link) {
        const parent = byCode.get(o.link[2]) as { id: string };
        link.run(o.link[0], o.bag[0], parent.id, at);
      }
      outbox.run(uuidv7(), JSON.stringify((JSON.parse(o.json) as { payload: unknown }).payload), at);
    }
  })();
  sqlite.close();
}

async function timedCycle(dir: string) {
  const engine = createSyncEngine({ dataDir: dir });
  const t0 = performance.now();
  try {
    const counts = await engine.cycle();
    return { ...counts, seconds: Math.round((performance.now() - t0) / 10) / 100 };
  } finally {
    await engine.close();
  }
}

/**
 * An id shaped like the stations' uuidv7: the scan's millisecond first (bag g and its link were made at the same
 * scan, one scan a millisecond), then version 7 and random bits, so ids sort by creation as at a real centre.
 */
const uuidv7Sql = (salt: string) =>
  `(lpad(to_hex(1767225600000 + g), 12, '0') || '7' || substr(md5(g::text || '${salt}'), 1, 3) || '8' ||
    substr(md5(g::text || '${salt}'), 4, 15))::uuid`;

/** The centre holding `bags` bags (a parent per 30 children, all linked), generated in the server (triggers on). */
export async function loadCentre(db: CentralDb, bags: number) {
  const t0 = performance.now();
  await db.query(
    `insert into bags (id, code, kind, dispatch_area, first_seen_at, station_id)
     select ${uuidv7Sql('bag')}, case when g % 31 = 0 then 'SBX' else 'CHX' end || g,
       case when g % 31 = 0 then 'parent' else 'child' end, 'MAIN', 0, '00000000-0000-7000-8000-000000000001'
     from generate_series(0, $1::int - 1) g`,
    [bags],
  );
  const links = await db.query<{ n: number }>(
    `with l as (insert into links (id, child_code, parent_code, linked_at, linked_by, station_id)
       select ${uuidv7Sql('link')}, 'CHX' || g, 'SBX' || (g / 31 * 31), 0, 'bench',
         '00000000-0000-7000-8000-000000000001'
       from generate_series(0, $1::int - 1) g where g % 31 <> 0 returning 1)
     select count(*)::int as n from l`,
    [bags],
  );
  // Settled as a centre that has been running would be: vacuumed and analysed (so the planner knows the tables'
  // size), and checkpointed so the bootstrap does not share the disk with the load's own write-back.
  await db.query('vacuum (analyze) bags, links, changes');
  await db.query('checkpoint');
  return { bags, links: links[0]?.n ?? 0, loadSeconds: Math.round((performance.now() - t0) / 10) / 100 };
}

export async function runCentralBench(o: CentralBenchOptions): Promise<Record<string, unknown>> {
  const work = mkdtempSync(join(tmpdir(), 'baglink-central-bench-'));
  // The COPY floor is read by the server process from here: a server on this machine must be able to enter.
  chmodSync(work, 0o755);
  let cluster: PrivateCluster | null = null;
  const dbs: CentralDb[] = [];
  const report: Record<string, unknown> = {
    bench: 'central',
    at: new Date().toISOString(),
    // Microseconds to fault in one fresh 4 KiB page here (commonly well under 1 µs on bare metal).
    machine: { pageFaultMicros: pageFaultMicros() },
  };
  try {
    let server = o.central;
    if (o.central === 'private') {
      cluster = await startPrivateCluster(undefined, o.stations + 60, serverLikeSettings);
      server = cluster.url;
    }
    const chown = (p: string) => cluster?.chownToServer(p);
    if (cluster) cluster.chownToServer(work);
    const fresh = async () => {
      const db = await createCentralDb(server);
      dbs.push(db);
      // The stations' scans are made by "bench", a dock worker of their area, as IT would have set up.
      await setUser(db.adminUrl, { username: 'bench', role: 'dock', areas: ['MAIN'], passwordHash: '-' });
      return db;
    };
    const ops = Array.from({ length: o.stations }, (_, i) => stationOps(i, o.scansPerStation));

    o.log(`central bench: ${o.stations} stations x ${o.scansPerStation} scans, direct`);
    const direct = await fresh();
    const directStations = await enrol(direct, o.stations);
    report.ingestDirect = await ingestInto(direct, directStations, ops, o.batch);

    o.log(JSON.stringify({ ingestDirect: report.ingestDirect }));
    o.log('central bench: the COPY floor of the same rows');
    report.copyFloor = await copyFloor(direct.adminUrl, ops, work, chown);

    o.log(JSON.stringify({ copyFloor: report.copyFloor }));
    if (cluster) {
      o.log(
        'central bench: the same through PgBouncer (transaction mode, a pool of 19 so that with one closing there are never more than 20)',
      );
      const pooled = await fresh();
      const pooledStations = await enrol(pooled, o.stations);
      const users = [...new Set(pooledStations.map((s) => decodeURIComponent(new URL(s.url).username)))];
      const bouncer = await startPgBouncer(cluster, pooled.name, 19, users);
      try {
        const viaBouncer = pooledStations.map((s) => {
          const u = new URL(s.url);
          u.port = String(bouncer.port);
          return { ...s, url: u.toString() };
        });
        report.ingestPgBouncer = await ingestInto(pooled, viaBouncer, ops, o.batch);
      } finally {
        bouncer.stop();
      }
    } else {
      report.ingestPgBouncer = {
        skipped: 'PgBouncer runs only in front of the private cluster (--central private)',
      };
    }

    o.log(JSON.stringify({ ingestPgBouncer: report.ingestPgBouncer }));
    if (cluster && (o.steadySeconds ?? 60) > 0) {
      const seconds = o.steadySeconds ?? 60;
      o.log(
        `central bench: steady state, ${o.stations} stations pushing 5 scans every 5 s for ${seconds} s through PgBouncer`,
      );
      const steadyDb = await fresh();
      // Time inside the server: PostgreSQL's own per-function counters (calls, total ms) for this database.
      await steadyDb.query(`alter database ${steadyDb.name} set track_functions = 'pl'`);
      const steadyStations = await enrol(steadyDb, o.stations);
      const login = decodeURIComponent(new URL(steadyStations[0]!.url).username);
      const bouncer = await startPgBouncer(cluster, steadyDb.name, 19, [login]);
      try {
        const viaBouncer = steadyStations.map((s) => {
          const u = new URL(s.url);
          u.port = String(bouncer.port);
          return { ...s, url: u.toString() };
        });
        // One IT connection for all the sampling, so the sampler starts no backends of its own.
        const it = new pg.Client({ connectionString: steadyDb.adminUrl });
        await it.connect();
        const count = async (sql: string, params: unknown[] = []) =>
          (await it.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0;
        try {
          report.steadyState = await runSteadyState(
            viaBouncer,
            { seconds, intervalMs: 5_000, scansPerPush: 5 },
            {
              sessions: () =>
                count('select sessions::int as n from pg_stat_database where datname = current_database()'),
              serverConnections: () =>
                count('select count(*)::int as n from pg_stat_activity where usename = $1', [login]),
            },
          );
          const [inServer] = (
            await it.query<{ calls: number; ms: number }>(
              `select calls::int, total_time as ms from pg_stat_user_functions where funcname = 'push' and schemaname = 'sync'`,
            )
          ).rows;
          report.steadyState = {
            ...(report.steadyState as object),
            insideServer: inServer
              ? {
                  calls: inServer.calls,
                  meanMs: Math.round((inServer.ms / Math.max(1, inServer.calls)) * 1000) / 1000,
                }
              : null,
          };
        } finally {
          await it.end();
        }
      } finally {
        bouncer.stop();
      }
      o.log(JSON.stringify({ steadyState: report.steadyState }));
    }
    // The ceiling for a pool whose backends outlive one station's visit: as many backends as PgBouncer's pool,
    // each kept by one station that pushes its share of the same number of scans, so no push pays for a
    // backend's start-up. Per-station roles rule this out through PgBouncer (a backend serves one role).
    const warmBackends = 19;
    o.log(`central bench: the same number of scans from ${warmBackends} stations on warm connections`);
    const warmDb = await fresh();
    const warmStations = await enrol(warmDb, warmBackends);
    const share = Math.ceil((o.stations * o.scansPerStation) / warmBackends);
    const warmOps = warmStations.map((_, i) => stationOps(10_000 + i, share));
    report.ingestWarmBackends = await ingestInto(warmDb, warmStations, warmOps, o.batch);
    o.log(JSON.stringify({ ingestWarmBackends: report.ingestWarmBackends }));
    if (o.catchUpScans > 0) {
      o.log(`central bench: catch-up of ${o.catchUpScans} queued scans`);
      const catchUpDb = await fresh();
      const catchUpDir = join(work, 'catch-up');
      // A station that had synced (its first pull done) and then scanned a day offline.
      openStore(catchUpDir, { create: true }).close();
      saveEnrolment(
        catchUpDir,
        await addStation({
          adminUrl: catchUpDb.adminUrl,
          name: 'Catch-up',
          dispatchArea: 'MAIN',
          insecure: true,
        }),
      );
      await timedCycle(catchUpDir);
      queuedStation(catchUpDir, stationOps(9999, o.catchUpScans));
      report.catchUp = { scans: o.catchUpScans, ...(await timedCycle(catchUpDir)) };

      o.log(JSON.stringify({ catchUp: report.catchUp }));
    }
    if (o.bootstrapBags > 0) {
      o.log(`central bench: bootstrap of a new station from ${o.bootstrapBags} bags`);
      const bootDb = await fresh();
      const loaded = await loadCentre(bootDb, o.bootstrapBags);
      const bootDir = join(work, 'bootstrap');
      openStore(bootDir, { create: true }).close();
      saveEnrolment(
        bootDir,
        await addStation({ adminUrl: bootDb.adminUrl, name: 'New', dispatchArea: 'MAIN', insecure: true }),
      );
      const boot = await timedCycle(bootDir);
      const { sqlite } = openStore(bootDir);
      const local = sqlite
        .prepare('select (select count(*) from bags) as bags, (select count(*) from links) as links')
        .get();
      sqlite.close();
      report.bootstrap = { ...loaded, ...boot, local };
      o.log(JSON.stringify({ bootstrap: report.bootstrap }));
    }

    const floor = (report.copyFloor as { scansPerSecond: number }).scansPerSecond;
    const vsCopy = (part: unknown) => {
      const rate = (part as { scansPerSecond?: number }).scansPerSecond;
      return rate ? Math.round((rate / floor) * 1000) / 1000 : null;
    };
    report.ratios = {
      directVsCopy: vsCopy(report.ingestDirect),
      pgBouncerVsCopy: vsCopy(report.ingestPgBouncer),
      warmBackendsVsCopy: vsCopy(report.ingestWarmBackends),
    };
    return report;
  } finally {
    for (const db of dbs) await db.drop().catch(() => undefined);
    cluster?.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}
