import { monitorEventLoopDelay } from 'node:perf_hooks';
import { uuidv7 } from 'uuidv7';
import { createDispatcher } from '../api/dispatch.ts';
import type { Station } from '../app/station.ts';
import { summarize, time } from './stats.ts';

const CHILDREN_PER_PARENT = 30;

async function must(p: Promise<{ ok: boolean; error?: { message: string } }>) {
  const r = await p;
  if (!r.ok) throw new Error(`bench call failed: ${r.error?.message}`);
  return r;
}

/**
 * The floor: the same rows a child scan writes (bag, link, scan, outbox), as bare prepared INSERTs with no
 * rules, committed one scan at a time (the latency floor) and all in one transaction (the throughput floor).
 */
export function measureFloor(station: Station, samples: number) {
  const db = station.ctx.sqlite;
  const stationId = station.ctx.station.stationId;
  const parent = db.prepare(`select id, code from bags where kind = 'parent' limit 1`).get() as {
    id: string;
    code: string;
  };
  const insBag = db.prepare(
    `insert into bags (id, code, kind, dispatch_area, child_count, first_seen_at, station_id, updated_at) values (?, ?, 'child', 'MAIN', 0, ?, ?, ?)`,
  );
  const insLink = db.prepare(
    `insert into links (id, child_id, parent_id, linked_at, linked_by, station_id) values (?, ?, ?, ?, 'floor', ?)`,
  );
  const insScan = db.prepare(
    `insert into scans (id, at, raw, code, action, outcome, user_id, station_id, scanner, parent_code) values (?, ?, ?, ?, 'link', 'linked', 'floor', ?, 'bench', ?)`,
  );
  const insOutbox = db.prepare(`insert into outbox (id, op, payload, created_at) values (?, 'floor', ?, ?)`);
  const writeOne = (i: number, prefix: string) => {
    const at = Date.now();
    const code = `${prefix}${i.toString(36).toUpperCase().padStart(8, '0')}`;
    const bagId = uuidv7();
    insBag.run(bagId, code, at, stationId, at);
    insLink.run(uuidv7(), bagId, parent.id, at, stationId);
    insScan.run(uuidv7(), at, code, code, stationId, parent.code);
    insOutbox.run(uuidv7(), `{"code":"${code}"}`, at);
  };
  const perScan: number[] = [];
  for (let i = 0; i < samples; i++) {
    const [, ms] = time(() => db.transaction(() => writeOne(i, 'FLA'))());
    perScan.push(ms);
  }
  const [, oneTxMs] = time(() =>
    db.transaction(() => {
      for (let i = 0; i < samples; i++) writeOne(i, 'FLB');
    })(),
  );
  return {
    what: 'bare prepared INSERTs of the rows a child scan writes (bag, link, scan, outbox)',
    perScanCommitMs: summarize(perScan),
    oneTransaction: {
      rows: samples,
      ms: Math.round(oneTxMs),
      perSecond: Math.round((samples / oneTxMs) * 1000),
    },
  };
}

/** scan.submit through the dispatcher (validation, rules, commit, event): a parent, then its 30 children. */
export async function measureScans(station: Station, samples: number) {
  const api = createDispatcher(station);
  const childLatency: number[] = [];
  let count = 0;
  const parents = Math.ceil(samples / CHILDREN_PER_PARENT);
  const free = station.ctx.sqlite
    .prepare(`select max(code) as code from bags where code like 'M444-%'`)
    .get() as { code: string | null };
  let next = free.code ? Number(free.code.slice(5)) + 1 : 0;
  const started = performance.now();
  for (let p = 0; p < parents && next <= 99_999; p++, next++) {
    const parentCode = `M444-${String(next).padStart(5, '0')}`;
    await must(api.dispatch('scan.submit', { code: parentCode, scanner: 'bench' }));
    count++;
    for (let c = 0; c < CHILDREN_PER_PARENT; c++) {
      const code = `BN${next.toString(36).toUpperCase()}X${c}`;
      const t0 = performance.now();
      const r = (await must(api.dispatch('scan.submit', { code, scanner: 'bench' }))) as {
        value?: { outcome: string };
      };
      childLatency.push(performance.now() - t0);
      if (r.value?.outcome !== 'linked' && r.value?.outcome !== 'parent_full')
        throw new Error(`bench scan of ${code}: ${r.value?.outcome}`);
      count++;
    }
  }
  const elapsed = performance.now() - started;

  // A burst: reads arrive faster than one fsync (several scanners, or a scanner's buffer emptied at once).
  // They are submitted without waiting for each other, in order, and share commits.
  const burstStart = performance.now();
  const inFlight: Promise<unknown>[] = [];
  let burst = 0;
  for (let p = 0; p < parents && next <= 99_999; p++, next++) {
    inFlight.push(
      must(api.dispatch('scan.submit', { code: `M444-${String(next).padStart(5, '0')}`, scanner: 'burst' })),
    );
    for (let c = 0; c < CHILDREN_PER_PARENT; c++) {
      inFlight.push(
        must(
          api.dispatch('scan.submit', {
            code: `BB${next.toString(36).toUpperCase()}X${c}`,
            scanner: 'burst',
          }),
        ),
      );
    }
    burst += CHILDREN_PER_PARENT + 1;
  }
  await Promise.all(inFlight);
  const burstMs = performance.now() - burstStart;
  return {
    what: 'scan.submit of a child through the dispatcher, commit included (synchronous=FULL)',
    childMs: summarize(childLatency),
    oneAtATime: { scans: count, ms: Math.round(elapsed), perSecond: Math.round((count / elapsed) * 1000) },
    burst: { scans: burst, ms: Math.round(burstMs), perSecond: Math.round((burst / burstMs) * 1000) },
  };
}

export async function measureLookups(station: Station, samples: number) {
  const api = createDispatcher(station);
  const db = station.ctx.sqlite;
  const maxRow = (db.prepare(`select max(rowid) as n from bags`).get() as { n: number }).n;
  const byRow = db.prepare(`select code from bags where rowid = ?`);
  const pass = async () => {
    const codes: string[] = [];
    while (codes.length < samples) {
      const row = byRow.get(1 + Math.floor(Math.random() * maxRow)) as { code: string } | undefined;
      if (row) codes.push(row.code);
    }
    const latency: number[] = [];
    for (const code of codes) {
      const t0 = performance.now();
      await must(api.dispatch('bags.lookup', { code }));
      latency.push(performance.now() - t0);
    }
    return summarize(latency);
  };
  return {
    what: 'bags.lookup of a random bag: parent/children, bill, scan history',
    ms: await pass(),
    // Other random bags, once the first pass has grown SQLite's page cache to its size (a station that has run
    // a while): the first pass also pays for faulting in the cache's memory.
    steadyMs: await pass(),
  };
}

export async function measureDashboard(station: Station, samples: number) {
  const api = createDispatcher(station);
  const latency: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await must(api.dispatch('stats.dashboard', {}));
    latency.push(performance.now() - t0);
  }
  const countStart = performance.now();
  station.ctx.sqlite.prepare(`select count(*) from bags`).get();
  return {
    what: 'stats.dashboard from maintained counters',
    ms: summarize(latency),
    forComparisonCountBagsMs: Math.round((performance.now() - countStart) * 1000) / 1000,
  };
}

/** 20 logins at once (argon2id on libuv's pool): their latency, and the longest the event loop was blocked. */
export async function measureLogins(station: Station, concurrent: number) {
  const api = createDispatcher(station);
  const users = ['ravi', 'sunita', 'amit', 'priya', 'manoj', 'deepa', 'meena'];
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const latency = await Promise.all(
    Array.from({ length: concurrent }, async (_, i) => {
      const t0 = performance.now();
      await must(
        api.dispatch('auth.login', { username: users[i % users.length], password: 'demo-password' }),
      );
      return performance.now() - t0;
    }),
  );
  loop.disable();
  return {
    what: `${concurrent} logins at once, argon2id verify included`,
    ms: summarize(latency),
    eventLoopMaxBlockedMs: Math.round(loop.max / 1e6),
  };
}
