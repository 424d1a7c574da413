import type { Sqlite } from './open.ts';
import type { BillRecord, BillStatus } from '../../src-shared/domain.ts';

export interface BillRow extends BillRecord {
  dispatchArea: string;
  completedBy: string | null;
}

const billColumns = `b.id, b.bill_no as billNo, b.destination, b.vehicle_no as vehicleNo, b.capacity, b.description,
  b.status, b.parent_count as parentCount, b.child_count as childCount, b.dispatch_area as dispatchArea,
  b.created_at as createdAt, coalesce(u.username, b.created_by) as createdBy, b.completed_at as completedAt,
  b.completed_by as completedBy`;

/** Reads of bills and the parent bags on them; changes (and the bill's counters) go through the ledger. */
export function createBillRepo(sqlite: Sqlite) {
  const byNo = sqlite.prepare(
    `select ${billColumns} from bills b left join users u on u.id = b.created_by where b.bill_no = ?`,
  );
  const billOfParent = sqlite.prepare(
    `select bb.id as billBagId, ${billColumns} from bill_bags bb join bills b on b.id = bb.bill_id
     left join users u on u.id = b.created_by where bb.parent_id = ? and bb.removed_at is null`,
  );
  const parentsOf = sqlite.prepare(
    `select p.id, p.code, p.child_count as childCount, bb.added_at as addedAt from bill_bags bb
     join bags p on p.id = bb.parent_id where bb.bill_id = ? and bb.removed_at is null order by bb.added_at, bb.id`,
  );
  const list = sqlite.prepare(
    `select ${billColumns} from bills b left join users u on u.id = b.created_by
     where (@status is null or b.status = @status)
       and (@like is null or b.bill_no like @like escape '\\' or b.destination like @like escape '\\'
            or b.vehicle_no like @like escape '\\')
       and (@from is null or b.created_at >= @from) and (@to is null or b.created_at < @to)
     order by b.created_at desc limit @limit offset @offset`,
  );

  return {
    byNo: (billNo: string) => byNo.get(billNo) as BillRow | undefined,
    billOfParent: (parentId: string) =>
      billOfParent.get(parentId) as (BillRow & { billBagId: string }) | undefined,
    parentsOf: (billId: string) =>
      parentsOf.all(billId) as { id: string; code: string; childCount: number; addedAt: number }[],
    /** like: a LIKE pattern (\\ escapes) on the number, destination or vehicle; from/to: created between. */
    list: (
      filter: { status: BillStatus | null; like: string | null; from: number | null; to: number | null },
      limit: number,
      offset: number,
    ) => list.all({ ...filter, limit, offset }) as BillRow[],
  };
}

export type BillRepo = ReturnType<typeof createBillRepo>;
