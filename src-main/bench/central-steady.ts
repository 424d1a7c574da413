/**
 * The steady state of a fleet: every station pushes a few scans every ~interval for a while, all through
 * PgBouncer with the one pooled login, each on its own client connection (as a station's pool keeps one).
 * Reports each push as the station sees it, errors, the most server connections seen, and how many backends
 * PostgreSQL started per push (pg_stat_database.sessions before and after).
 */
import { loadavg } from 'node:os';
import pg from 'pg';
import { batchOf, stationOps, type SimStation } from './central-load.ts';
import { PROTOCOL_VERSION } from '../sync/central-client.ts';
import { summarize } from './stats.ts';

export interface SteadyOptions {
  seconds: number;
  intervalMs: number;
  scansPerPush: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function runSteadyState(
  stations: SimStation[],
  o: SteadyOptions,
  centre: { sessions: () => Promise<number>; serverConnections: () => Promise<number> },
) {
  const ticks = Math.floor((o.seconds * 1000) / o.intervalMs);
  const calls: number[] = [];
  let errors = 0;
  let done = 0;
  let maxConnections = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxConnections = Math.max(maxConnections, await centre.serverConnections().catch(() => 0));
      await sleep(250);
    }
  })();
  const sessionsBefore = await centre.sessions();
  const start = performance.now();
  await Promise.all(
    stations.map(async (s, i) => {
      const ops = stationOps(20_000 + i, ticks * o.scansPerPush);
      let client: pg.Client | null = null;
      // Spread over the first interval, as stations that started at different times.
      const offset = (i / stations.length) * o.intervalMs;
      for (let t = 0; t < ticks; t++) {
        await sleep(start + offset + t * o.intervalMs - performance.now());
        const slice = ops.slice(t * o.scansPerPush, (t + 1) * o.scansPerPush);
        try {
          if (!client) {
            const fresh = new pg.Client({ connectionString: s.url, connectionTimeoutMillis: 30_000 });
            fresh.on('error', () => undefined);
            client = fresh;
            await fresh.connect();
          }
          const began = performance.now();
          const r = await client.query(`select sync.push($1, $2, ${PROTOCOL_VERSION}, $3) as r`, [
            s.stationId,
            s.secret,
            batchOf(slice),
          ]);
          calls.push(performance.now() - began);
          const reply = (r.rows[0] as { r: { lastAppliedSeq: number } }).r;
          if (reply.lastAppliedSeq !== slice[slice.length - 1]!.seq) throw new Error('push not applied');
          done++;
        } catch {
          errors++;
          await client?.end().catch(() => undefined);
          client = null;
        }
      }
      await client?.end().catch(() => undefined);
    }),
  );
  sampling = false;
  await sampler;
  await sleep(1_000); // the sessions counter is flushed about once a second
  const started = (await centre.sessions()) - sessionsBefore;
  const offered = ticks * stations.length;
  return {
    stations: stations.length,
    seconds: o.seconds,
    intervalMs: o.intervalMs,
    scansPerPush: o.scansPerPush,
    offered,
    done,
    errors,
    pushMs: summarize(calls),
    serverConnectionsMax: maxConnections,
    backendsStarted: started,
    backendsPerPush: Math.round((started / Math.max(1, done)) * 1000) / 1000,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}
