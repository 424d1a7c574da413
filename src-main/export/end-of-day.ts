import { grams } from '../../src-shared/weight-text.ts';
import { exportWeight, newestWeightJoin, weighingColumns, type WeighingColumns } from './parent-weight.ts';
import type { SnapshotDb } from './snapshot.ts';
import { createCounterRepo } from '../store/counter-repo.ts';
import { auditSelect, parseAuditJson } from '../core/audit-service.ts';
import { auditSentence, nobodyName, refusalName, type AuditEntry } from '../../src-shared/audit-text.ts';

export interface OperatorHour {
  username: string;
  hour: number;
  parents: number;
  children: number;
  rejected: number;
  scans: number;
}

export type Tally = Omit<OperatorHour, 'username' | 'hour'>;

/** What the station's sync reports; read field by field, since the sync worker owns its shape. */
export interface SyncHealth {
  state: string;
  lastSuccessAt: number | null;
  lastError: string | null;
  outboxDepth: number;
  oldestUnsentAt: number | null;
}

export interface EndOfDay {
  day: string;
  station: { stationId: string; name: string; dispatchArea: string };
  generatedAt: number;
  generatedBy: string;
  totals: Tally & { doubleReads: number; billsCompleted: number };
  perOperator: (Tally & { username: string })[];
  /** All 24 hours of the day, quiet ones included. */
  perHour: (Tally & { hour: number })[];
  perOperatorHour: OperatorHour[];
  /** reason: the stored code; name: what the report prints (the audit sentences' module names it). */
  rejectedByReason: { reason: string; name: string; count: number }[];
  /** Supervisors' and admins' changes that day (moves, removals, bills, users, settings), as sentences. */
  changes: { at: number; sentence: string }[];
  billsCompleted: {
    billNo: string;
    destination: string;
    vehicleNo: string;
    parentCount: number;
    childCount: number;
    /** Recorded weights of its parents where they exist, estimates for the rest. */
    actualWeightKg: number;
    /** Parents whose weight is estimated (never weighed, stale, weigh later): the weight is then estimated. */
    estimatedParents: number;
    completedAt: number;
    completedBy: string;
  }[];
  /**
   * The day's weighings (parent_weights rows made that day), in parents: weighed, put off ("weigh later"),
   * weighed off by more than the tolerance, and of those acknowledged by a supervisor; and the parents of the
   * day's completed bills by whether their weight was recorded or estimated.
   */
  weights: {
    parentsWeighed: number;
    parentsWeighLater: number;
    off: number;
    acknowledged: number;
    billParentsWeighed: number;
    billParentsEstimated: number;
  };
  /** Conflicts reported on the day, and all still open (null if not known); null when none are kept yet. */
  conflicts: { count: number; open: number; byKind: { kind: string; count: number }[] };
  sync: SyncHealth;
}

const empty = (): Tally => ({ parents: 0, children: 0, rejected: 0, scans: 0 });

/** A scan row in the tallies; parents come from the ledger's counters instead (see parentsStarted). */
function add(t: Tally, action: string): void {
  t.scans++;
  if (action === 'link') t.children++;
  else if (action === 'rejected') t.rejected++;
}

/** The conflicts the centre reported that day (sync_conflicts), and how many are still open on any day. */
function readConflicts(db: SnapshotDb, start: number, end: number): EndOfDay['conflicts'] {
  const rows = db
    .prepare(
      `select kind, count(*) as count from sync_conflicts where created_at >= ? and created_at < ?
       group by 1 order by 2 desc, 1`,
    )
    .all(start, end) as { kind: string; count: number }[];
  const open = (
    db.prepare(`select count(*) as n from sync_conflicts where resolved_at is null`).get() as { n: number }
  ).n;
  return { count: rows.reduce((n, r) => n + r.count, 0), open, byKind: rows };
}

type BillCompleted = EndOfDay['billsCompleted'][number];

/**
 * The bills completed that day with their weights: one query over their parents and each parent's newest
 * weighing (an index seek per parent), summed here with the rule every export uses (parent-weight.ts).
 */
function readBillsCompleted(
  db: SnapshotDb,
  start: number,
  end: number,
  childWeightKg: number,
): BillCompleted[] {
  const rows = db
    .prepare(
      `select b.id, b.bill_no as billNo, b.destination, b.vehicle_no as vehicleNo, b.parent_count as parentCount,
         b.child_count as childCount, b.completed_at as completedAt,
         coalesce(u.username, b.completed_by, '') as completedBy,
         p.id as parentId, p.child_count as parentChildren, ${weighingColumns}
       from bills b left join users u on u.id = b.completed_by
       left join bill_bags bb on bb.bill_id = b.id and bb.removed_at is null
       left join bags p on p.id = bb.parent_id
       ${newestWeightJoin('p')}
       where b.completed_at >= ? and b.completed_at < ? and b.status = 'completed'
       order by b.completed_at, b.id`,
    )
    .all(start, end) as (Omit<BillCompleted, 'actualWeightKg' | 'estimatedParents'> &
    WeighingColumns & { id: string; parentId: string | null; parentChildren: number | null })[];
  const bills = new Map<string, BillCompleted>();
  for (const r of rows) {
    let bill = bills.get(r.id);
    if (!bill) {
      const { billNo, destination, vehicleNo, parentCount, childCount, completedAt, completedBy } = r;
      bill = {
        billNo,
        destination,
        vehicleNo,
        parentCount,
        childCount,
        actualWeightKg: 0,
        estimatedParents: 0,
        completedAt,
        completedBy,
      };
      bills.set(r.id, bill);
    }
    if (r.parentId === null) continue;
    const w = exportWeight(r, r.parentChildren ?? 0, childWeightKg);
    bill.actualWeightKg = grams(bill.actualWeightKg + w.kg);
    if (w.estimated) bill.estimatedParents++;
  }
  return [...bills.values()];
}

/** The day's weighings, counted in one pass over parent_weights; parents, as the dashboard counts them. */
function readWeights(
  db: SnapshotDb,
  start: number,
  end: number,
  bills: BillCompleted[],
): EndOfDay['weights'] {
  const day = db
    .prepare(
      `select count(distinct case when state = 'recorded' then parent_id end) as parentsWeighed,
         count(distinct case when state = 'later' then parent_id end) as parentsWeighLater,
         count(distinct case when check_result = 'off' then parent_id end) as off,
         count(distinct case when check_result = 'off' and ack_at is not null then parent_id end) as acknowledged
       from parent_weights where at >= ? and at < ?`,
    )
    .get(start, end) as Omit<EndOfDay['weights'], 'billParentsWeighed' | 'billParentsEstimated'>;
  const parents = bills.reduce((n, b) => n + b.parentCount, 0);
  const estimated = bills.reduce((n, b) => n + b.estimatedParents, 0);
  return { ...day, billParentsWeighed: parents - estimated, billParentsEstimated: estimated };
}

/** Session comings and goings, failed logins and exports are left out: the day's changes are what remains. */
const notChanges = `a.action not like 'session.%' and a.action not like 'login.%'
  and a.action not in ('bill.export', 'report.endOfDay')`;

function readChanges(db: SnapshotDb, start: number, end: number): EndOfDay['changes'] {
  const rows = db
    .prepare(`${auditSelect} where a.at >= ? and a.at < ? and ${notChanges} order by a.at, a.id`)
    .all(start, end) as (AuditEntry & { at: number; before: string | null; after: string | null })[];
  return rows.map((r) => ({
    at: r.at,
    sentence: auditSentence({ ...r, before: parseAuditJson(r.before), after: parseAuditJson(r.after) }, 'en'),
  }));
}

/**
 * One local day of the station, from one pass over that day's scans (an index range, iterated row by row,
 * so memory stays the same whatever the day's volume) plus the bills completed that day.
 */
export function summarizeDay(
  db: SnapshotDb,
  day: { day: string; start: number; end: number },
  meta: Pick<EndOfDay, 'station' | 'generatedAt' | 'generatedBy'>,
  sync: Omit<SyncHealth, 'outboxDepth' | 'oldestUnsentAt'>,
  childWeightKg: number,
): EndOfDay {
  const totals = { ...empty(), doubleReads: 0, billsCompleted: 0 };
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, ...empty() }));
  const cells = new Map<string, OperatorHour>();
  const reasons = new Map<string, number>();
  const scans = db.prepare(
    `select at, action, reason, user_id as userId from scans where at >= ? and at < ?`,
  );
  for (const s of scans.iterate(day.start, day.end) as IterableIterator<{
    at: number;
    action: string;
    reason: string | null;
    userId: string | null;
  }>) {
    const hour = new Date(s.at).getHours();
    add(totals, s.action);
    add(hours[hour]!, s.action);
    const key = `${s.userId ?? ''}\u0000${hour}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { username: s.userId ?? '', hour, ...empty() }));
    add(cell, s.action);
    if (s.action === 'ignored') totals.doubleReads++;
    if (s.action === 'rejected')
      reasons.set(s.reason ?? 'unknown', (reasons.get(s.reason ?? 'unknown') ?? 0) + 1);
  }
  // Parents started: a parent scan that made its bag, not one scanned again. The ledger's 'parent' counter,
  // the very figure the dashboard shows, by hour and user.
  for (const c of createCounterRepo(db).dayRows(day.day)) {
    if (c.action !== 'parent') continue;
    totals.parents += c.n;
    hours[c.hour]!.parents += c.n;
    const key = `${c.userId}\u0000${c.hour}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { username: c.userId, hour: c.hour, ...empty() }));
    cell.parents += c.n;
  }

  const names = new Map(
    (db.prepare(`select id, username from users`).all() as { id: string; username: string }[]).map((u) => [
      u.id,
      u.username,
    ]),
  );
  const perOperatorHour = [...cells.values()]
    .map((c) => ({ ...c, username: names.get(c.username) ?? (c.username || nobodyName('en')) }))
    .sort((a, b) => a.username.localeCompare(b.username) || a.hour - b.hour);
  const operators = new Map<string, Tally & { username: string }>();
  for (const c of perOperatorHour) {
    const op = operators.get(c.username) ?? { username: c.username, ...empty() };
    operators.set(c.username, op);
    op.parents += c.parents;
    op.children += c.children;
    op.rejected += c.rejected;
    op.scans += c.scans;
  }

  const billsCompleted = readBillsCompleted(db, day.start, day.end, childWeightKg);
  totals.billsCompleted = billsCompleted.length;

  const outbox = db
    .prepare(`select count(*) as depth, min(created_at) as oldest from outbox where sent_at is null`)
    .get() as { depth: number; oldest: number | null };

  return {
    day: day.day,
    ...meta,
    totals,
    perOperator: [...operators.values()].sort(
      (a, b) => b.children - a.children || a.username.localeCompare(b.username),
    ),
    perHour: hours,
    perOperatorHour,
    rejectedByReason: [...reasons]
      .map(([reason, count]) => ({ reason, name: refusalName(reason, 'en'), count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    billsCompleted,
    weights: readWeights(db, day.start, day.end, billsCompleted),
    conflicts: readConflicts(db, day.start, day.end),
    changes: readChanges(db, day.start, day.end),
    sync: { ...sync, outboxDepth: outbox.depth, oldestUnsentAt: outbox.oldest },
  };
}
