import type { Sqlite } from './open.ts';
import type { TotalName, Totals } from './total-names.ts';

/** Reads of the maintained counters: a handful of rows per day, never a scan of the big tables. */
export function createCounterRepo(sqlite: Sqlite) {
  const totals = sqlite.prepare(`select name, n from totals`);
  const byDay = sqlite.prepare(`select day, action, n from day_counters where day >= ? order by day`);
  const dayRows = sqlite.prepare(
    `select c.hour, c.user_id as userId, coalesce(u.username, '') as username, c.action, c.n
     from scan_counters c left join users u on u.id = c.user_id where c.day = ?`,
  );
  // Sent rows leave the unsent index in seq order, so depth is last seq - first unsent seq + 1: two index probes.
  const firstUnsent = sqlite.prepare(
    `select seq, created_at as createdAt from outbox where sent_at is null order by seq limit 1`,
  );
  const lastSeq = sqlite.prepare(`select seq from sqlite_sequence where name = 'outbox'`);
  return {
    totals: (): Partial<Totals> =>
      Object.fromEntries((totals.all() as { name: TotalName; n: number }[]).map((r) => [r.name, r.n])),
    byDay: (fromDay: string) => byDay.all(fromDay) as { day: string; action: string; n: number }[],
    dayRows: (day: string) =>
      dayRows.all(day) as { hour: number; userId: string; username: string; action: string; n: number }[],
    outbox(): { depth: number; oldest: number | null } {
      const first = firstUnsent.get() as { seq: number; createdAt: number } | undefined;
      if (!first) return { depth: 0, oldest: null };
      const last = (lastSeq.get() as { seq: number }).seq;
      return { depth: last - first.seq + 1, oldest: first.createdAt };
    },
  };
}
