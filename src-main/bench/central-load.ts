/**
 * Central bench workload: simulated stations whose outbox holds realistic operations (a parent scan, then 30
 * child scans each creating the child bag and its link), pushed through sync.push as a station would; and the
 * floor, a server-side COPY of the same rows into bare copies of the same tables.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { backoffDelay } from '../sync/backoff.ts';
import { PROTOCOL_VERSION } from '../sync/central-client.ts';
import { encodeBatch } from '../sync/push.ts';
import type { Op } from '../sync/queued-ops.ts';
import { summarize } from './stats.ts';

export interface SimStation {
  stationId: string;
  url: string;
  /** The station's proof, sent as a bind parameter with every push. */
  secret: string;
}

/**
 * A batch of operations as sync.push reads it (protocol 2), built by the station's own encoder:
 * {"incarnation": 1, "ops": [{seq, id, hash, op, payload}]}. Every bench station is freshly enrolled, so it is
 * in its first incarnation (no recovery has given it another).
 */
export function batchJson(ops: Op[], incarnation = 1): string {
  return encodeBatch(
    incarnation,
    ops.map((o) => o.sent),
  );
}

export interface IngestResult {
  stations: number;
  scans: number;
  batch: number;
  seconds: number;
  scansPerSecond: number;
  /** Time from the start (every scan queued) to the centre's acknowledgement. */
  lagMs: { p50: number; p95: number; max: number };
  pushCallMs: { p50: number; p95: number };
  serverConnectionsMax: number;
  errors: number;
}

/** Every station pushes its whole outbox at once, batch by batch, each on its own connection. */
export async function runIngest(
  stations: SimStation[],
  ops: Op[][],
  batch: number,
  sampleConnections: () => Promise<number>,
): Promise<IngestResult> {
  const lags: number[] = [];
  const calls: number[] = [];
  let errors = 0;
  let maxConnections = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxConnections = Math.max(maxConnections, await sampleConnections().catch(() => 0));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const t0 = performance.now();
  await Promise.all(
    stations.map(async (s, i) => {
      const mine = ops[i]!;
      let client: pg.Client | null = null;
      let failures = 0;
      const release = async () => {
        const c = client;
        client = null;
        await c?.end().catch(() => undefined);
      };
      try {
        for (let from = 0; from < mine.length;) {
          const slice = mine.slice(from, from + batch);
          try {
            if (!client) {
              const fresh = new pg.Client({ connectionString: s.url, connectionTimeoutMillis: 60_000 });
              // A connection the server or PgBouncer drops fails the push in progress, not the bench.
              fresh.on('error', () => undefined);
              client = fresh;
              await fresh.connect();
            }
            const started = performance.now();
            // The statement the station's client sends (central-client.ts): the protocol is a bind parameter too.
            const r = await client.query('select sync.push($1, $2, $3, $4) as r', [
              s.stationId,
              s.secret,
              PROTOCOL_VERSION,
              batchJson(slice),
            ]);
            const done = performance.now();
            calls.push(done - started);
            const reply = (r.rows[0] as { r: { lastAppliedSeq: number; error?: string } }).r;
            if (reply.error || reply.lastAppliedSeq !== slice[slice.length - 1]!.seq) {
              throw new Error(`push not applied: ${JSON.stringify(reply)}`);
            }
            for (let k = 0; k < slice.length; k++) lags.push(done - t0);
            from += slice.length;
            failures = 0;
          } catch {
            // As a station's worker does: count it, let the connection go, and send the same batch again.
            errors++;
            if (errors > 1000) throw new Error('too many push errors');
            await release();
            await new Promise((r) => setTimeout(r, backoffDelay(failures++, 50, 2_000)));
          }
        }
      } finally {
        await release();
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  sampling = false;
  await sampler;
  const scans = ops.reduce((n, o) => n + o.length, 0);
  const lag = summarize(lags);
  const call = summarize(calls);
  const round = (x: number) => Math.round(x);
  return {
    stations: stations.length,
    scans,
    batch,
    seconds: Math.round(seconds * 100) / 100,
    scansPerSecond: Math.round(scans / seconds),
    lagMs: { p50: round(lag.p50), p95: round(lag.p95), max: round(lag.max) },
    pushCallMs: { p50: round(call.p50), p95: round(call.p95) },
    serverConnectionsMax: maxConnections,
    errors,
  };
}

/** The floor: the same bag, link and scan rows COPYed (server side, one transaction) into bare tables. */
export async function copyFloor(adminUrl: string, ops: Op[][], dir: string, chown: (path: string) => void) {
  const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\n') + '\n';
  const all = ops.flat();
  const at = Date.now();
  const files = {
    bags: csv(all.map((o) => [o.bag[0], o.bag[1], o.bag[2], 'MAIN', String(at), uuidv7()])),
    links: csv(all.filter((o) => o.link).map((o) => [...o.link!, String(at), 'bench', uuidv7()])),
    scans: csv(
      all.map((o, i) => [
        o.scanId,
        uuidv7(),
        String(i),
        String(at),
        o.code,
        o.code,
        'link',
        'linked',
        'bench',
      ]),
    ),
  };
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    paths[name] = join(dir, `floor-${name}.csv`);
    writeFileSync(paths[name]!, text, { mode: 0o644 });
    chown(paths[name]!);
  }
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`create table floor_bags (like bags including all);
      create table floor_links (like links including all); create table floor_scans (like scans including all)`);
    const t0 = performance.now();
    await c.query('begin');
    await c.query(
      `copy floor_bags (id, code, kind, dispatch_area, first_seen_at, station_id) from '${paths.bags}' csv`,
    );
    await c.query(
      `copy floor_links (id, child_code, parent_code, linked_at, linked_by, station_id) from '${paths.links}' csv`,
    );
    await c.query(
      `copy floor_scans (id, station_id, seq, at, raw, code, action, outcome, scanner) from '${paths.scans}' csv`,
    );
    await c.query('commit');
    const seconds = (performance.now() - t0) / 1000;
    return {
      scans: all.length,
      seconds: Math.round(seconds * 100) / 100,
      scansPerSecond: Math.round(all.length / seconds),
    };
  } finally {
    await c.query('drop table if exists floor_bags, floor_links, floor_scans').catch(() => undefined);
    await c.end();
  }
}
