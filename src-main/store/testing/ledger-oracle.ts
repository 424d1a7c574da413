/**
 * Test support: the counters the ledger kept, beside what `recountAll()` makes of the same rows. The recount
 * runs in a savepoint that is rolled back, so a test can check in the middle of a story and go on. Not used by
 * the app.
 */
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

const rollBack = new Error('roll back the recount');

/** What recountAll() makes of the rows now, at the station's capacity; the kept counters are left as they are. */
export function recountedCounters(sqlite: Sqlite): KeptCounters {
  const capacity = createStationRepo(sqlite, () => 0).load().profile.parentCapacity;
  let recounted: KeptCounters | undefined;
  try {
    sqlite.transaction(() => {
      recountAll(sqlite, capacity);
      recounted = readCounters(sqlite);
      throw rollBack;
    })();
  } catch (error) {
    if (error !== rollBack) throw error;
  }
  return recounted!;
}
