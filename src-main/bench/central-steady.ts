/**
 * The central bench's steady state: every simulated station pushes a few scans about every 5 seconds, for a
 * fixed time, through the station's own sync client (its pool of 2, its timeouts, the proof as a bind parameter),
 * all in this one process. Reports what was offered and done, what the station saw, what the server spent, how
 * many server connections and backends it took, and the load average around it.
 */
import { loadavg } from 'node:os';
import pg from 'pg';
import { backoffDelay } from '../sync/backoff.ts';
import { createCentralClient, type CentralClient } from '../sync/central-client.ts';
import type { CentralDb } from '../central/scratch-db.ts';
import { batchJson, type SimStation } from './central-load.ts';
import { stationOps, type Op } from '../sync/queued-ops.ts';
import { bouncerLogins, pushDurations, serverLogMark } from './server-log.ts';
import { summarize } from './stats.ts';

export interface SteadyOptions {
  /** The stations as they reach the centre (through PgBouncer). */
  stations: SimStation[];
  seconds: number;
  intervalMs: number;
  scansPerPush: number;
  /** IT's connection to the database, for the counters. */
  db: CentralDb;
  /** The pooled login: its server connections are counted. */
  login: string;
  /** The server's log file, where the pooled login's statements are logged with their durations. */
  serverLog: string | null;
  /** PgBouncer's log, where each station connection's login is counted. */
  bouncerLog: string | null;
  /** PEM of the CA that signed PgBouncer's certificate (verify-full), if the stations use TLS. */
  caFile: string | null;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const ms = (x: number) => Math.round(x * 10) / 10;

/**
 * Counters at the centre, read on one connection of IT's kept for the whole run (so the bench starts no session
 * of its own while it counts): the pooled login's server connections now, the backends of it seen so far
 * (pid and start), and the sessions ever started in the database.
 */
async function centreCounters(admin: pg.Client, login: string, seen: Set<string>) {
  const rows = (
    await admin.query<{ backend: string }>(
      `select pid || '@' || backend_start as backend from pg_stat_activity where usename = $1`,
      [login],
    )
  ).rows;
  for (const r of rows) seen.add(r.backend);
  const sessions = await admin.query<{ n: string }>(
    'select sessions::text as n from pg_stat_database where datname = current_database()',
  );
  return { connections: rows.length, sessions: Number(sessions.rows[0]?.n ?? 0) };
}

/** pg_stat_statements' view of sync.push, if the extension is loaded; a reason otherwise. */
async function pushStatements(admin: pg.Client, reset: boolean) {
  try {
    if (reset) {
      await admin.query('create extension if not exists pg_stat_statements');
      await admin.query('select pg_stat_statements_reset()');
      return null;
    }
    const [row] = (
      await admin.query<{ calls: string; mean: number; max: number; stddev: number }>(
        `select sum(calls)::text as calls, sum(total_exec_time) / nullif(sum(calls), 0) as mean,
         max(max_exec_time) as max, max(stddev_exec_time) as stddev
       from pg_stat_statements where query like '%sync.push%' and dbid = (select oid from pg_database
         where datname = current_database())`,
      )
    ).rows;
    return {
      calls: Number(row?.calls ?? 0),
      meanMs: ms(row?.mean ?? 0),
      stddevMs: ms(row?.stddev ?? 0),
      maxMs: ms(row?.max ?? 0),
    };
  } catch (e) {
    return { skipped: `pg_stat_statements is not available: ${(e as Error).message}` };
  }
}

interface Tally {
  offered: number;
  done: number;
  late: number;
  errors: number;
  pushMs: number[];
  /** Pushes after each station's first (which also opens its connection: TLS and SCRAM at PgBouncer). */
  laterMs: number[];
}

/** One station: a push of its next few scans at each tick, sent again after a failure as the worker does. */
async function runStation(
  client: CentralClient,
  ops: Op[],
  first: number,
  o: SteadyOptions,
  until: { offer: number; giveUp: number },
  t: Tally,
) {
  let next = first;
  let at = 0;
  while (next < until.offer) {
    await sleep(next - performance.now());
    t.offered++;
    const slice = ops.slice(at, at + o.scansPerPush);
    const started = performance.now();
    for (let failures = 0; ;) {
      try {
        const reply = await client.push(batchJson(slice));
        if (reply.lastAppliedSeq !== slice[slice.length - 1]!.seq)
          throw new Error(`push not applied: ${JSON.stringify(reply)}`);
        t.done++;
        t.pushMs.push(performance.now() - started);
        if (at > 0) t.laterMs.push(performance.now() - started);
        break;
      } catch {
        // As the worker does: count it, let the connection go, and send the same batch again after a pause.
        t.errors++;
        await client.close();
        if (performance.now() > until.giveUp) return;
        await sleep(backoffDelay(failures++, 50, 2_000));
      }
    }
    at += slice.length;
    next += o.intervalMs * (0.9 + 0.2 * Math.random());
    if (performance.now() > next) t.late++;
  }
}

export async function runSteadyState(o: SteadyOptions) {
  const n = o.stations.length;
  const pushesEach = Math.ceil((o.seconds * 1000) / (o.intervalMs * 0.9)) + 1;
  const ops = o.stations.map((_, i) => stationOps(20_000 + i, pushesEach * o.scansPerPush));
  const clients = o.stations.map((s) =>
    createCentralClient({
      stationId: s.stationId,
      name: `Bench ${s.stationId}`,
      dispatchArea: 'MAIN',
      url: s.url,
      caFile: o.caFile,
      secret: s.secret,
    }),
  );
  const t: Tally = { offered: 0, done: 0, late: 0, errors: 0, pushMs: [], laterMs: [] };
  const logMark = o.serverLog ? serverLogMark(o.serverLog) : 0;
  const bouncerMark = o.bouncerLog ? serverLogMark(o.bouncerLog) : 0;
  const admin = new pg.Client({ connectionString: o.db.adminUrl });
  await admin.connect();
  await pushStatements(admin, true);
  const seen = new Set<string>();
  const before = await centreCounters(admin, o.login, seen);
  const warm = seen.size;
  const load = { atStart: loadavg().map(ms), max1m: loadavg()[0]! };
  let maxConnections = before.connections;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxConnections = Math.max(maxConnections, (await centreCounters(admin, o.login, seen)).connections);
      load.max1m = Math.max(load.max1m, loadavg()[0]!);
      await sleep(250);
    }
  })();
  o.log(`central bench: steady state, ${n} stations x ${o.scansPerPush} scans every ~${o.intervalMs} ms`);
  const t0 = performance.now();
  const until = { offer: t0 + o.seconds * 1000, giveUp: t0 + o.seconds * 1000 + 60_000 };
  let after = before;
  let seconds = 0;
  try {
    await Promise.all(
      clients.map((c, i) => runStation(c, ops[i]!, t0 + (i / n) * o.intervalMs, o, until, t)),
    );
  } finally {
    seconds = (performance.now() - t0) / 1000;
    sampling = false;
    await sampler;
    await Promise.all(clients.map((c) => c.close()));
    // A backend reports its start a moment later (when it next goes idle): read the counter after a pause.
    await sleep(1_500);
    after = await centreCounters(admin, o.login, seen).catch(() => before);
  }
  const statements = await pushStatements(admin, false);
  await admin.end();
  const started = Math.max(after.sessions - before.sessions, seen.size - warm);
  const station = summarize(t.pushMs);
  const later = summarize(t.laterMs);
  const server = o.serverLog ? pushDurations(o.serverLog, logMark) : null;
  const [centre] = await o.db.query<{ scans: number }>('select count(*)::int as scans from scans');
  return {
    stations: n,
    seconds: Math.round(seconds * 10) / 10,
    intervalMs: o.intervalMs,
    scansPerPush: o.scansPerPush,
    pushes: { offered: t.offered, done: t.done, late: t.late },
    errors: t.errors,
    scans: { pushed: t.done * o.scansPerPush, atCentre: centre?.scans ?? 0 },
    serverConnectionsMax: maxConnections,
    stationConnects: o.bouncerLog ? bouncerLogins(o.bouncerLog, bouncerMark) : null,
    // The larger of two counts: sessions started in the database (pg_stat_database), and backends of the
    // pooled login seen in pg_stat_activity (pid and backend_start) by a sampler four times a second.
    backendsStarted: started,
    backendsStartedPerPush: t.done ? Math.round((started / t.done) * 10_000) / 10_000 : null,
    pushMsAtStation: { p50: ms(station.p50), p95: ms(station.p95), max: ms(station.max) },
    pushMsAtStationAfterFirst: { p50: ms(later.p50), p95: ms(later.p95), max: ms(later.max) },
    pushMsInServer: server
      ? { source: 'server log: parse + bind + execute of each sync.push', ...server }
      : { skipped: 'no server log (only with --central private)' },
    pgStatStatements: statements,
    loadAverage: { ...load, max1m: ms(load.max1m), atEnd: loadavg().map(ms) },
  };
}
