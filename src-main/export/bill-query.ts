import {
  exportWeight,
  newestWeightJoin,
  weighingColumns,
  type ExportWeight,
  type WeighingColumns,
} from './parent-weight.ts';
import type { SnapshotDb } from './snapshot.ts';
import type { BillRecord } from '../../src-shared/domain.ts';

/** Everything the top of a bill document shows, read once. Times are epoch ms; users are usernames. */
export interface BillHeader extends BillRecord {
  completedBy: string | null;
}

export interface BillParentLine {
  code: string;
  childCount: number;
  addedAt: number;
  addedBy: string;
  /** Its newest weighing, or the estimate (see parent-weight.ts). */
  weight: ExportWeight;
}

/** One row per child bag on the bill: the CSV and the detail sheet. */
export interface BillChildLine {
  parentCode: string;
  parentAddedAt: number;
  parentAddedBy: string;
  childCode: string;
  linkedAt: number;
  linkedBy: string;
}

/**
 * The bill's rows, read through a snapshot connection; the children are iterated, never loaded whole. Each
 * parent comes with its newest weighing in the same query; childWeightKg makes the estimates.
 */
export function billQuery(db: SnapshotDb, childWeightKg: number) {
  const header = db.prepare(
    `select b.id, b.bill_no as billNo, b.destination, b.vehicle_no as vehicleNo, b.capacity, b.description,
       b.status, b.parent_count as parentCount, b.child_count as childCount, b.created_at as createdAt,
       coalesce(uc.username, b.created_by) as createdBy, b.completed_at as completedAt,
       coalesce(ud.username, b.completed_by) as completedBy
     from bills b left join users uc on uc.id = b.created_by left join users ud on ud.id = b.completed_by
     where b.bill_no = ?`,
  );
  const parents = db.prepare(
    `select p.code, p.child_count as childCount, bb.added_at as addedAt, coalesce(u.username, bb.added_by) as addedBy,
       ${weighingColumns}
     from bill_bags bb join bags p on p.id = bb.parent_id left join users u on u.id = bb.added_by
     ${newestWeightJoin('p')}
     where bb.bill_id = ? and bb.removed_at is null order by bb.added_at, bb.id`,
  );
  const children = db.prepare(
    `select p.code as parentCode, bb.added_at as parentAddedAt, coalesce(ua.username, bb.added_by) as parentAddedBy,
       c.code as childCode, l.linked_at as linkedAt, coalesce(ul.username, l.linked_by) as linkedBy
     from bill_bags bb join bags p on p.id = bb.parent_id
     join links l on l.parent_id = p.id and l.removed_at is null
     join bags c on c.id = l.child_id
     left join users ua on ua.id = bb.added_by left join users ul on ul.id = l.linked_by
     where bb.bill_id = ? and bb.removed_at is null order by bb.added_at, bb.id, l.linked_at, l.id`,
  );
  return {
    header: (billNo: string) => header.get(billNo) as BillHeader | undefined,
    /** At most 500 parents (the bill capacity): small enough to hold. */
    parents: (billId: string): BillParentLine[] =>
      (parents.all(billId) as (Omit<BillParentLine, 'weight'> & WeighingColumns)[]).map((r) => ({
        code: r.code,
        childCount: r.childCount,
        addedAt: r.addedAt,
        addedBy: r.addedBy,
        weight: exportWeight(r, r.childCount, childWeightKg),
      })),
    children: (billId: string) => children.iterate(billId) as IterableIterator<BillChildLine>,
  };
}
