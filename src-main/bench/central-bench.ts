/**
 * The central bench (`baglink bench --central private|URL`), one run and one JSON report: every station catching
 * up at once through PgBouncer (statement mode, the one pooled login, a proof per call) against the COPY floor
 * of the same rows, in interleaved rounds; a steady state of every station pushing a few scans every ~5 s (what
 * the station sees, what the server spends, server connections and backends started per push, load average);
 * the same stations straight to PostgreSQL for comparison; catch-up of one station's 100k queued scans; bootstrap
 * of a new station from a centre holding 2M bags. Never fails on a time. "private" (the default) starts a
 * throwaway cluster (and PgBouncer, with TLS) so the bench cannot disturb a shared server.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { addStation } from '../central/enrol.ts';
import { setUser } from '../central/it-admin.ts';
import { serverLikeSettings, startPrivateCluster, type PrivateCluster } from '../central/private-cluster.ts';
import { createCentralDb, type CentralDb } from '../central/scratch-db.ts';
import { openStore } from '../store/open.ts';
import { saveEnrolment } from '../sync/config.ts';
import { createSyncEngine } from '../sync/engine.ts';
import { copyFloor, runIngest, type SimStation } from './central-load.ts';
import { queuedStation, stationOps, type Op } from '../sync/queued-ops.ts';
import { startPgBouncer, type RunningBouncer } from './central-pgbouncer.ts';
import { runSteadyState } from './central-steady.ts';
import { rowsPerScan, tableRows, walBytesPerScan, walMark } from './central-work.ts';
import { pageFaultMicros } from './page-faults.ts';
import { logDurationsSql } from './server-log.ts';
import { makeBenchTls, type BenchTls } from './tls-files.ts';

export interface CentralBenchOptions {
  central: string;
  stations: number;
  scansPerStation: number;
  batch: number;
  catchUpScans: number;
  bootstrapBags: number;
  /** Interleaved rounds of COPY and every station catching up at once (the ratio is their median). */
  rounds: number;
  /** 0 skips the steady state. */
  steadySeconds: number;
  steadyIntervalMs: number;
  steadyScans: number;
  /** Also every station straight to PostgreSQL, a backend each (the comparison without PgBouncer). */
  direct: boolean;
  /** Stations reach PgBouncer with TLS (verify-full against a throwaway CA), as a fleet does. */
  tls: boolean;
  log: (line: string) => void;
}

/**
 * The bench's cluster: a server's settings, pg_stat_statements loaded, and the product's pg_hba but for one
 * line: the pooled login may also come over TCP, only so that the direct comparison can run.
 */
const benchSettings = [...serverLikeSettings, `shared_preload_libraries = 'pg_stat_statements'`];
const benchHba = [
  'local all postgres trust',
  'host all postgres 127.0.0.1/32 trust',
  'local all all scram-sha-256',
  'host all all 127.0.0.1/32 scram-sha-256',
];

/**
 * The bench's station setup, in one place: n stations enrolled at the centre, each with its own secret, all on
 * the one pooled login, reaching the centre at `base` (PgBouncer's address, or the server's for a direct run).
 */
async function enrol(db: CentralDb, n: number, base?: string, ca?: string): Promise<SimStation[]> {
  const out: SimStation[] = [];
  for (let i = 0; i < n; i++) {
    const e = await addStation({
      adminUrl: db.adminUrl,
      name: `Bench ${i}`,
      dispatchArea: 'MAIN',
      ...(base ? { stationUrlBase: base } : {}),
      ...(ca ? { ca } : {}),
      insecure: !base?.includes('sslmode=verify-full'),
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

/** The pooled login's connection string through `bouncer` (sslmode=verify-full against the bench CA with TLS). */
function bouncerBase(bouncer: RunningBouncer, database: string, tls: BenchTls | null): string {
  const u = new URL(`postgres://127.0.0.1:${bouncer.port}/${database}`);
  if (tls) u.searchParams.set('sslmode', 'verify-full');
  return u.toString();
}

/** The CA file in a simulated station's URL, where node-pg reads it (a real station keeps it beside its enrolment). */
function withRootCert(stations: SimStation[], tls: BenchTls | null): SimStation[] {
  if (!tls) return stations;
  return stations.map((s) => {
    const u = new URL(s.url);
    u.searchParams.set('sslrootcert', tls.caFile);
    return { ...s, url: u.toString() };
  });
}

interface Centre {
  cluster: PrivateCluster | null;
  tls: BenchTls | null;
  fresh(): Promise<CentralDb>;
}

/**
 * A fresh database with n stations reaching it as the fleet does: through its own PgBouncer (started from the
 * product's config, at most 19 server connections, so with one closing never more than 20) with the one pooled
 * login; on a server given by URL (no PgBouncer here), directly.
 */
async function pooledCentre(c: Centre, n: number) {
  const db = await c.fresh();
  if (!c.cluster) {
    const stations = await enrol(db, n);
    const login = decodeURIComponent(new URL(stations[0]?.url ?? db.adminUrl).username);
    return { db, stations, login, caFile: null, bouncer: null, stop: () => undefined };
  }
  const bouncer = await startPgBouncer(c.cluster, db.adminUrl, 19, c.tls ?? undefined);
  const ca = c.tls ? readFileSync(c.tls.caFile, 'utf8') : undefined;
  const base = bouncerBase(bouncer, db.name, c.tls);
  const stations = withRootCert(await enrol(db, n, base, ca), c.tls);
  return { db, stations, login: bouncer.login, caFile: c.tls?.caFile ?? null, bouncer, stop: bouncer.stop };
}

const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * Catch-up of every station at once against the COPY floor of the same rows, interleaved (COPY, then the
 * stations, in each round, each round on a fresh database) so a slow minute of a shared machine falls on both.
 */
async function catchUpRounds(c: Centre, o: CentralBenchOptions, work: string) {
  const ops = Array.from({ length: o.stations }, (_, i) => stationOps(i, o.scansPerStation));
  const rounds = [];
  for (let r = 1; r <= o.rounds; r++) {
    o.log(
      `central bench: round ${r} of ${o.rounds}: COPY floor, then ${o.stations} stations catching up at once`,
    );
    const centre = await pooledCentre(c, o.stations);
    try {
      const scans = o.stations * o.scansPerStation;
      const copyWal = await walMark(centre.db);
      const copy = await copyFloor(centre.db.adminUrl, ops, work, (p) => c.cluster?.chownToServer(p));
      const copyWork = { walBytesPerScan: await walBytesPerScan(centre.db, copyWal, scans) };
      const rowsBefore = await tableRows(centre.db);
      const ingestWal = await walMark(centre.db);
      const ingest = await ingestInto(centre.db, centre.stations, ops, o.batch);
      const ingestWork = {
        walBytesPerScan: await walBytesPerScan(centre.db, ingestWal, scans),
        rowsPerScan: rowsPerScan(rowsBefore, await tableRows(centre.db), scans),
      };
      rounds.push({
        copy: { ...copy, ...copyWork },
        ingest: { ...ingest, ...ingestWork },
        ratio: ratio(ingest.scansPerSecond, copy.scansPerSecond),
      });
      o.log(JSON.stringify({ round: r, ...rounds[rounds.length - 1] }));
    } finally {
      centre.stop();
      await centre.db.drop().catch(() => undefined);
    }
  }
  return {
    via: c.cluster
      ? `PgBouncer (statement mode, 19 server connections${c.tls ? ', TLS verify-full' : ''})`
      : 'direct',
    stations: o.stations,
    scans: o.stations * o.scansPerStation,
    rounds,
    medianRatioVsCopy: median(rounds.map((x) => x.ratio)),
    // The centre's work per scan beside COPY's (the WAL of the COPY's three rows per scan is the floor).
    medianWalVsCopy: median(
      rounds.map((x) => ratio(x.ingest.walBytesPerScan, Math.max(1, x.copy.walBytesPerScan))),
    ),
  };
}

async function steadyState(c: Centre, o: CentralBenchOptions) {
  const centre = await pooledCentre(c, o.stations);
  try {
    if (c.cluster) await centre.db.query(logDurationsSql(centre.login));
    return await runSteadyState({
      stations: centre.stations,
      seconds: o.steadySeconds,
      intervalMs: o.steadyIntervalMs,
      scansPerPush: o.steadyScans,
      db: centre.db,
      login: centre.login,
      serverLog: c.cluster ? join(c.cluster.dir, 'log') : null,
      bouncerLog: centre.bouncer?.logFile ?? null,
      caFile: centre.caFile,
      log: o.log,
    });
  } finally {
    centre.stop();
  }
}

/** A station's data folder enrolled through the centre's PgBouncer (with the CA beside it under TLS). */
async function enrolledFolder(c: Centre, dir: string, name: string) {
  const centre = await pooledCentre(c, 0);
  openStore(dir, { create: true }).sqlite.close();
  const base = centre.bouncer ? bouncerBase(centre.bouncer, centre.db.name, c.tls) : undefined;
  saveEnrolment(
    dir,
    await addStation({
      adminUrl: centre.db.adminUrl,
      name,
      dispatchArea: 'MAIN',
      ...(base ? { stationUrlBase: base } : {}),
      ...(c.tls ? { ca: readFileSync(c.tls.caFile, 'utf8') } : {}),
      insecure: !c.tls,
    }),
  );
  return centre;
}

async function catchUpQueued(c: Centre, o: CentralBenchOptions, work: string) {
  o.log(`central bench: catch-up of ${o.catchUpScans} queued scans`);
  const dir = join(work, 'catch-up');
  const centre = await enrolledFolder(c, dir, 'Catch-up');
  try {
    // A station that had synced (its first pull done) and then scanned a day offline.
    await timedCycle(dir);
    queuedStation(dir, stationOps(9999, o.catchUpScans));
    return { scans: o.catchUpScans, ...(await timedCycle(dir)) };
  } finally {
    centre.stop();
  }
}

async function bootstrap(c: Centre, o: CentralBenchOptions, work: string) {
  o.log(`central bench: bootstrap of a new station from ${o.bootstrapBags} bags`);
  const dir = join(work, 'bootstrap');
  const centre = await enrolledFolder(c, dir, 'New');
  try {
    const loaded = await loadCentre(centre.db, o.bootstrapBags);
    const boot = await timedCycle(dir);
    const { sqlite } = openStore(dir);
    const local = sqlite
      .prepare('select (select count(*) from bags) as bags, (select count(*) from links) as links')
      .get();
    sqlite.close();
    return { ...loaded, ...boot, local };
  } finally {
    centre.stop();
  }
}

/** The same scans from every station at once straight to PostgreSQL (a backend each), for comparison. */
async function directIngest(c: Centre, o: CentralBenchOptions) {
  o.log(`central bench: ${o.stations} stations x ${o.scansPerStation} scans, directly (no PgBouncer)`);
  const db = await c.fresh();
  const ops = Array.from({ length: o.stations }, (_, i) => stationOps(i, o.scansPerStation));
  return ingestInto(db, await enrol(db, o.stations), ops, o.batch);
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
    machine: { pageFaultMicros: pageFaultMicros(), cores: cpus().length, loadAverageAtStart: loadavg() },
  };
  try {
    let server = o.central;
    if (o.central === 'private') {
      cluster = await startPrivateCluster(undefined, o.stations + 60, benchSettings, benchHba);
      server = cluster.url;
    }
    if (cluster) cluster.chownToServer(work);
    const centre: Centre = {
      cluster,
      tls: cluster && o.tls ? makeBenchTls(work, (p) => cluster?.chownToServer(p)) : null,
      fresh: async () => {
        const db = await createCentralDb(server);
        dbs.push(db);
        // The stations' scans are made by "bench", a dock worker of their area, as IT would have set up (an
        // unknown actor would be accepted but flagged for IT, a refusal row per scan).
        await setUser(db.adminUrl, { username: 'bench', role: 'dock', areas: ['MAIN'], passwordHash: '-' });
        return db;
      },
    };
    const part = async (name: string, run: () => Promise<unknown>) => {
      report[name] = await run();
      o.log(JSON.stringify({ [name]: report[name] }));
    };
    await part('catchUpAtOnce', () => catchUpRounds(centre, o, work));
    if (o.steadySeconds > 0) await part('steadyState', () => steadyState(centre, o));
    if (o.direct) await part('ingestDirect', () => directIngest(centre, o));
    if (o.catchUpScans > 0) await part('catchUp', () => catchUpQueued(centre, o, work));
    if (o.bootstrapBags > 0) await part('bootstrap', () => bootstrap(centre, o, work));
    report.machine = { ...(report.machine as object), loadAverageAtEnd: loadavg() };
    return report;
  } finally {
    for (const db of dbs) await db.drop().catch(() => undefined);
    cluster?.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}
