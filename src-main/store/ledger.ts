import type { Sqlite } from './open.ts';
import { createTotalsWriter, fullParentsDelta, type TotalName } from './total-names.ts';
import { dayAndHour } from '../../src-shared/clock.ts';
import type { BagKind } from '../../src-shared/domain.ts';
import type { BillRecord, BillStatus, ScanAction } from '../../src-shared/domain.ts';
import { prepareMarkStale } from './weight-repo.ts';

/** A parent as it was just before the change: its id and its child count then (the caller has read it). */
export interface ParentBefore {
  id: string;
  childCount: number;
}

export interface NewBag {
  id: string;
  code: string;
  kind: BagKind;
  dispatchArea: string;
  at: number;
  userId: string | null;
  stationId: string;
}

export interface NewLink {
  id: string;
  childId: string;
  parentId: string;
  at: number;
  userId: string;
  stationId: string;
  scanId: string | null;
}

/** A new bill's row: it starts open, with no parents. */
export type NewBillRow = Pick<
  BillRecord,
  'id' | 'billNo' | 'destination' | 'vehicleNo' | 'capacity' | 'description'
> & { dispatchArea: string; stationId: string; at: number; userId: string };

/** The actions of reads, which count in the scans total; screen edits (unlink, move, bill) count in none. */
export const READ_ACTIONS: readonly ScanAction[] = ['parent', 'link', 'ignored', 'lookup'];

/** The total a recorded scan adds to, if any. */
export function scanTotalOf(action: ScanAction): TotalName | null {
  if (action === 'rejected') return 'scans_rejected';
  return READ_ACTIONS.includes(action) ? 'scans' : null;
}

/**
 * The one place a maintained counter changes: each change that moves one (a bag, a link, a bill, a parent on a
 * bill, a recorded scan) is written here with its counters: a parent's child count, a bill's parent and child
 * counts, the totals, the dashboard's scan counters; and a parent's weighings go stale when its children change. One prepared statement per row or counter, no reads: the
 * caller passes what it already read (the parent's child count before, the parent's bill). Call inside the
 * change's transaction. `ledger-bulk.ts` is the same rules set-based, `ledger-recount.ts` their oracle.
 */
export function createLedger(sqlite: Sqlite, capacity: () => number) {
  const totals = createTotalsWriter(sqlite);
  const insertBag = sqlite.prepare(
    `insert into bags (id, code, kind, dispatch_area, child_count, first_seen_at, first_seen_by, station_id, updated_at)
     values (@id, @code, @kind, @dispatchArea, 0, @at, @userId, @stationId, @at)`,
  );
  const insertLink = sqlite.prepare(
    `insert into links (id, child_id, parent_id, linked_at, linked_by, station_id, scan_id)
     values (@id, @childId, @parentId, @at, @userId, @stationId, @scanId)`,
  );
  const removeLink = sqlite.prepare(
    `update links set removed_at = ?, removed_by = ? where id = ? and removed_at is null`,
  );
  const addChildren = sqlite.prepare(
    `update bags set child_count = child_count + ?, updated_at = ? where id = ?`,
  );
  const insertBill = sqlite.prepare(
    `insert into bills (id, bill_no, destination, vehicle_no, capacity, description, status, dispatch_area, station_id,
       created_at, created_by, updated_at)
     values (@id, @billNo, @destination, @vehicleNo, @capacity, @description, 'open', @dispatchArea, @stationId,
       @at, @userId, @at)`,
  );
  const billStatus = sqlite.prepare(
    `update bills set status = ?, completed_at = ?, completed_by = ?, updated_at = ? where id = ?`,
  );
  const billCounts = sqlite.prepare(
    `update bills set parent_count = parent_count + ?, child_count = child_count + ?, updated_at = ? where id = ?`,
  );
  const insertBillBag = sqlite.prepare(
    `insert into bill_bags (id, bill_id, parent_id, added_at, added_by) values (?, ?, ?, ?, ?)`,
  );
  const removeBillBag = sqlite.prepare(
    `update bill_bags set removed_at = ?, removed_by = ? where id = ? and removed_at is null`,
  );
  const restoreBillBag = sqlite.prepare(
    `update bill_bags set removed_at = null, removed_by = null where id = ? and removed_at is not null`,
  );
  const scanCounter = sqlite.prepare(
    `insert into scan_counters (day, hour, user_id, action, n) values (?, ?, ?, ?, 1)
     on conflict (day, hour, user_id, action) do update set n = n + 1`,
  );
  const dayCounter = sqlite.prepare(
    `insert into day_counters (day, action, n) values (?, ?, 1) on conflict (day, action) do update set n = n + 1`,
  );
  const recountFull = sqlite.prepare(
    `insert into totals (name, n) select 'full_parents', count(*) from bags where kind = 'parent' and child_count >= ?
     on conflict (name) do update set n = excluded.n`,
  );

  const markStale = prepareMarkStale(sqlite);

  /**
   * A parent gains or loses one child: its count, its bill's count, the links and full-parents totals, and its
   * weighings go stale (the scale saw other bags).
   */
  function childrenChanged(parent: ParentBefore, delta: 1 | -1, billId: string | null, at: number): void {
    addChildren.run(delta, at, parent.id);
    markStale(parent.id, at);
    if (billId) billCounts.run(0, delta, at, billId);
    const full = fullParentsDelta(parent.childCount, parent.childCount + delta, capacity());
    totals.addTwo('links', delta, 'full_parents', full);
  }

  return {
    addBag(bag: NewBag): void {
      insertBag.run(bag);
      totals.addTwo('bags', 1, bag.kind === 'parent' ? 'parents' : 'children', 1);
    },

    /** billId: the bill the parent is on now, if any. */
    link(link: NewLink, parent: ParentBefore, billId: string | null): void {
      insertLink.run(link);
      childrenChanged(parent, 1, billId, link.at);
    },

    /** False (and nothing counted) when the link was not active. */
    unlink(linkId: string, at: number, by: string, parent: ParentBefore, billId: string | null): boolean {
      if (removeLink.run(at, by, linkId).changes !== 1) return false;
      childrenChanged(parent, -1, billId, at);
      return true;
    },

    addBill(bill: NewBillRow): void {
      insertBill.run(bill);
      totals.add('bills_open', 1);
    },

    /** From the other status to this one (the caller has checked it differs). */
    setBillStatus(billId: string, status: BillStatus, at: number, by: string | null): void {
      const done = status === 'completed';
      billStatus.run(status, done ? at : null, done ? by : null, at, billId);
      totals.addTwo('bills_open', done ? -1 : 1, 'bills_completed', done ? 1 : -1);
    },

    putOnBill(billBagId: string, billId: string, parent: ParentBefore, at: number, by: string): void {
      insertBillBag.run(billBagId, billId, parent.id, at, by);
      billCounts.run(1, parent.childCount, at, billId);
    },

    /** False (and nothing counted) when the parent was not on the bill any more. */
    takeOffBill(billBagId: string, billId: string, parent: ParentBefore, at: number, by: string): boolean {
      if (removeBillBag.run(at, by, billBagId).changes !== 1) return false;
      billCounts.run(-1, -parent.childCount, at, billId);
      return true;
    },

    /** A removal the centre refused: the parent is back on the bill. */
    restoreOnBill(billBagId: string, billId: string, parent: ParentBefore, at: number): boolean {
      if (restoreBillBag.run(billBagId).changes !== 1) return false;
      billCounts.run(1, parent.childCount, at, billId);
      return true;
    },

    /** A recorded scan: the dashboard's counters by hour, user and counter, the day's, and the scans totals. */
    countScan(scan: { at: number; userId: string | null; action: ScanAction }, counter: string): void {
      const { day, hour } = dayAndHour(scan.at);
      scanCounter.run(day, hour, scan.userId ?? '', counter);
      dayCounter.run(day, counter);
      const total = scanTotalOf(scan.action);
      if (total) totals.add(total, 1);
    },

    /** A parent changed without a link changing (scanned again and reopened): its weighings go stale. */
    parentChanged(parentId: string, at: number): void {
      markStale(parentId, at);
    },

    /** Only when the capacity changes: which parents are full is decided anew. */
    capacityChanged(newCapacity: number): void {
      recountFull.run(newCapacity);
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
