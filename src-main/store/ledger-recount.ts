import type { Sqlite } from './open.ts';
import { READ_ACTIONS } from './ledger.ts';
import { TOTAL_NAMES, type TotalName } from './total-names.ts';
import { dayAndHour } from '../../src-shared/clock.ts';

/** Every total from the rows (@capacity: the parents' capacity): what the ledger keeps, counted the slow way. */
const totalQueries: Record<TotalName, string> = {
  bags: `select count(*) from bags`,
  parents: `select count(*) from bags where kind = 'parent'`,
  children: `select count(*) from bags where kind = 'child'`,
  links: `select count(*) from links where removed_at is null`,
  full_parents: `select count(*) from bags where kind = 'parent' and child_count >= @capacity`,
  bills_open: `select count(*) from bills where status = 'open'`,
  bills_completed: `select count(*) from bills where status = 'completed'`,
  scans: `select count(*) from scans where action in (${READ_ACTIONS.map((a) => `'${a}'`).join(', ')})`,
  scans_rejected: `select count(*) from scans where action = 'rejected'`,
};

/**
 * What the dashboard counts a scan as (`ledger.countScan`'s counter): a repeat read apart from its action. A
 * parent scan that did not create its bag (the bag was first seen at another moment, by another user or
 * station) was a known parent again. Scans are grouped by quarter hour, a step every time zone's offset is a
 * multiple of, and put on their local day and hour in JavaScript, as the ledger does.
 */
const scanCounterRows = `
  select s.at / 900000 as quarter, coalesce(s.user_id, '') as userId,
    case
      when s.outcome = 'already_linked' then 'already_linked'
      when s.outcome = 'command' then 'command'
      when s.action = 'parent' and not exists (select 1 from bags b where b.code = s.code and b.first_seen_at = s.at
        and b.first_seen_by is s.user_id and b.station_id = s.station_id) then 'parent_again'
      else s.action
    end as counter,
    count(*) as n
  from scans s group by quarter, userId, counter`;

/**
 * Recomputes every maintained counter from the rows, in one transaction: each parent's child count, each
 * bill's parent and child counts, the totals and the dashboard's scan counters. The oracle the counter tests
 * compare the ledger with, and the last step of a bulk load that wrote rows without counters (the demo seed).
 */
export function recountAll(sqlite: Sqlite, capacity: number): void {
  sqlite.transaction(() => {
    sqlite.exec(`
      update bags set child_count = (select count(*) from links l where l.parent_id = bags.id and l.removed_at is null)
        where kind = 'parent' or child_count <> 0;
      update bills set
        parent_count = (select count(*) from bill_bags bb where bb.bill_id = bills.id and bb.removed_at is null),
        child_count = (select coalesce(sum(p.child_count), 0) from bill_bags bb join bags p on p.id = bb.parent_id
          where bb.bill_id = bills.id and bb.removed_at is null);
      delete from totals; delete from scan_counters; delete from day_counters;`);
    const putTotal = sqlite.prepare(`insert into totals (name, n) values (?, ?)`);
    for (const name of TOTAL_NAMES) {
      const count = sqlite.prepare(totalQueries[name]).pluck();
      putTotal.run(name, (name === 'full_parents' ? count.get({ capacity }) : count.get()) as number);
    }
    const putHour = sqlite.prepare(
      `insert into scan_counters (day, hour, user_id, action, n) values (?, ?, ?, ?, ?)
       on conflict (day, hour, user_id, action) do update set n = n + excluded.n`,
    );
    const putDay = sqlite.prepare(
      `insert into day_counters (day, action, n) values (?, ?, ?)
       on conflict (day, action) do update set n = n + excluded.n`,
    );
    const rows = sqlite.prepare(scanCounterRows).all() as {
      quarter: number;
      userId: string;
      counter: string;
      n: number;
    }[];
    for (const r of rows) {
      const { day, hour } = dayAndHour(r.quarter * 900_000);
      putHour.run(day, hour, r.userId, r.counter, r.n);
      putDay.run(day, r.counter, r.n);
    }
  })();
}
