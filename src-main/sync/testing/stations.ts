/**
 * Test support for sync: stations joined to a test centre, and the state the tests compare between the centre
 * and each station (bags, active links, bills, parents on bills, and the station's own maintained counters).
 * Not used by the app.
 */
import { expect } from 'vitest';
import { addStation } from '../../central/enrol.ts';
import { setUser } from '../../central/it-admin.ts';
import { createCentralDb, type CentralDb } from '../../central/scratch-db.ts';
import { createTestStation, type TestStation } from '../../testing/test-station.ts';
import type { Sqlite } from '../../store/open.ts';
import { applyCentreSettings } from '../centre-settings.ts';
import { saveEnrolment } from '../config.ts';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../engine.ts';
import { readCounters, recountedCounters } from '../../store/testing/ledger-oracle.ts';

export interface SyncedStation extends TestStation {
  engine: SyncEngine;
  centralStationId: string;
}

export async function joinedStation(
  db: CentralDb,
  name: string,
  area = 'NORTH',
  engineOptions: Partial<SyncEngineOptions> = {},
): Promise<SyncedStation> {
  const ts = createTestStation();
  const enrolment = await addStation({ adminUrl: db.adminUrl, name, dispatchArea: area, insecure: true });
  saveEnrolment(ts.dir, enrolment);
  applyCentreSettings(ts.station.ctx, enrolment.dispatchArea, null);
  const engine = createSyncEngine({ dataDir: ts.dir, clock: ts.clock, ...engineOptions });
  // As the station does on each state message of its worker: the centre may have set its area or capacity.
  const cycle = engine.cycle.bind(engine);
  engine.cycle = async () => {
    try {
      return await cycle();
    } finally {
      ts.station.ctx.reloadStation();
    }
  };
  const dispose = ts.dispose;
  return Object.assign(ts, {
    engine,
    centralStationId: enrolment.stationId,
    dispose() {
      void engine.close();
      dispose();
    },
  });
}

export interface ComparableState {
  bags: string[];
  links: string[];
  billBags: string[];
  bills: string[];
}

export function localState(sqlite: Sqlite): ComparableState {
  const col = (sql: string) => (sqlite.prepare(sql).all() as { v: string }[]).map((r) => r.v).sort();
  return {
    bags: col(`select code || ':' || kind as v from bags`),
    links: col(
      `select c.code || '>' || p.code as v from links l join bags c on c.id = l.child_id
       join bags p on p.id = l.parent_id where l.removed_at is null`,
    ),
    billBags: col(
      `select p.code || '@' || b.bill_no as v from bill_bags bb join bags p on p.id = bb.parent_id
       join bills b on b.id = bb.bill_id where bb.removed_at is null`,
    ),
    bills: col(`select bill_no || ':' || status as v from bills`),
  };
}

export async function centralState(db: CentralDb): Promise<ComparableState> {
  const col = async (sql: string) => (await db.query<{ v: string }>(sql)).map((r) => r.v).sort();
  return {
    bags: await col(`select code || ':' || kind as v from bags`),
    links: await col(`select child_code || '>' || parent_code as v from links where removed_at is null`),
    billBags: await col(`select parent_code || '@' || bill_no as v from bill_bags where removed_at is null`),
    bills: await col(`select bill_no || ':' || status as v from bills`),
  };
}

/** Scans at the centre, of one station or of all. */
export async function centralScanCount(db: CentralDb, stationId?: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'select count(*)::int as n from scans where $1::uuid is null or station_id = $1::uuid',
    [stationId ?? null],
  );
  return rows[0]?.n ?? 0;
}

/**
 * The station's maintained counters against recountAll() of its own rows: a pull that adds or removes links
 * must keep them right. Parents' child counts, bills' counts and every total; not the dashboard's scan counters
 * (scans taken back from the centre in a recovery are counted by their action). Returns the mismatches (empty
 * when all agree).
 */
export function counterMismatches(sqlite: Sqlite): string[] {
  const kept = readCounters(sqlite);
  const real = recountedCounters(sqlite);
  const out: string[] = [];
  const compare = (what: string, k: Record<string, number | string>, r: Record<string, number | string>) => {
    for (const key of new Set([...Object.keys(k), ...Object.keys(r)])) {
      if (k[key] !== r[key]) out.push(`${what} ${key}: kept ${k[key] ?? 0}, real ${r[key] ?? 0}`);
    }
  };
  compare('total', kept.totals, real.totals);
  compare('child count of', kept.childCounts, real.childCounts);
  compare('counts of bill', kept.billCounts, real.billCounts);
  return out;
}

/** Every station pushes and pulls in turn, then the first once more, so each has seen everyone's changes. */
export async function syncAll(stations: SyncedStation[]): Promise<void> {
  for (const s of stations) await s.engine.cycle();
  await stations[0]?.engine.cycle();
}

/**
 * The centre and every station hold the same bags, links, bills and parents on bills; each station's counters
 * are right; each station's scans reached the centre once; nothing is left unsent.
 */
export async function expectAgreement(db: CentralDb, stations: SyncedStation[]): Promise<void> {
  const central = await centralState(db);
  for (const s of stations) {
    expect(localState(s.station.ctx.sqlite)).toEqual(central);
    expect(counterMismatches(s.station.ctx.sqlite)).toEqual([]);
    expect(await centralScanCount(db, s.centralStationId)).toBe(s.rows('scans'));
    expect(s.rows('outbox', 'sent_at is null')).toBe(0);
  }
}

export interface TwoStations {
  db: CentralDb;
  a: SyncedStation;
  b: SyncedStation;
  dispose(): Promise<void>;
}

/**
 * An admin as IT makes one: created on the station (so it can log in before the first sync) and at the centre
 * with the same hash (a station never sends admins; the centre judges their scans by this row).
 */
export async function addAdmin(db: CentralDb, s: SyncedStation, username: string): Promise<void> {
  await s.addUser(username, 'admin');
  const passwordHash = s.station.ctx.users.byUsername(username)!.passwordHash;
  await setUser(db.adminUrl, { username, role: 'admin', areas: [], passwordHash });
}

/** A test centre and two stations joined to it, each with its admin logged in (ana at Dock A, bob at Dock B). */
export async function twoStations(): Promise<TwoStations> {
  const db = await createCentralDb();
  const a = await joinedStation(db, 'Dock A');
  const b = await joinedStation(db, 'Dock B');
  await addAdmin(db, a, 'ana');
  await addAdmin(db, b, 'bob');
  await a.login('ana');
  await b.login('bob');
  return {
    db,
    a,
    b,
    async dispose() {
      a.dispose();
      b.dispose();
      await db.drop();
    },
  };
}
