/**
 * Test support: the counters the ledger kept, beside what `recountAll()` makes of the same rows, so a test can
 * check in the middle of a story and go on. Not used by the app.
 */
import Database from 'better-sqlite3';
import type { Sqlite } from '../open.ts';
import { recountAll } from '../ledger-recount.ts';
import { createStationRepo } from '../station-repo.ts';
import { TOTAL_NAMES, type Totals } from '../total-names.ts';

export interface KeptCounters {
  /** Each parent's (and any other bag's non-zero) child count, by code. */
  childCounts: Record<string, number>;
  /** Each bill's "parents/children", by number. */
  billCounts: Record<string, string>;
  totals: Totals;
  /** The dashboard's counters: "day hour user counter" and "day counter". */
  scanCounters: Record<string, number>;
  dayCounters: Record<string, number>;
}

export function readCounters(sqlite: Sqlite): KeptCounters {
  const pairs = (sql: string) =>
    Object.fromEntries((sqlite.prepare(sql).raw().all() as [string, number][]).filter(([, n]) => n !== 0));
  const kept = pairs(`select name, n from totals`);
  return {
    childCounts: pairs(`select code, child_count from bags where kind = 'parent' or child_count <> 0`),
    billCounts: Object.fromEntries(
      sqlite.prepare(`select bill_no, parent_count || '/' || child_count from bills`).raw().all() as [
        string,
        string,
      ][],
    ),
    totals: Object.fromEntries(TOTAL_NAMES.map((name) => [name, kept[name] ?? 0])) as Totals,
    scanCounters: pairs(`select day || ' ' || hour || ' ' || user_id || ' ' || action, n from scan_counters`),
    dayCounters: pairs(`select day || ' ' || action, n from day_counters`),
  };
}

/**
 * What recountAll() makes of the rows now, at the station's capacity. It recounts a copy in memory, so the
 * kept counters stay as they are and a read-only connection (a test looking at a serving station) will do.
 */
export function recountedCounters(sqlite: Sqlite): KeptCounters {
  const image = sqlite.serialize();
  // A WAL database's header says so (bytes 18 and 19 are 2); in memory it must read as a rollback journal's.
  image[18] = 1;
  image[19] = 1;
  const copy = new Database(image);
  try {
    const capacity = createStationRepo(copy, () => 0).load().profile.parentCapacity;
    recountAll(copy, capacity);
    return readCounters(copy);
  } finally {
    copy.close();
  }
}
