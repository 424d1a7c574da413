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

/** Bills and the parent bags on them. Counters on the bill row are kept by the callers' transactions. */
export function createBillRepo(sqlite: Sqlite) {
  const byNo = sqlite.prepare(
    `select ${billColumns} from bills b left join users u on u.id = b.created_by where b.bill_no = ?`,
  );
  const insert = sqlite.prepare(
    `insert into bills (id, bill_no, destination, vehicle_no, capacity, description, status, dispatch_area, station_id,
       created_at, created_by, updated_at)
     values (@id, @billNo, @destination, @vehicleNo, @capacity, @description, 'open', @dispatchArea, @stationId,
       @at, @userId, @at)`,
  );
  const addCounts = sqlite.prepare(
    `update bills set parent_count = parent_count + ?, child_count = child_count + ?, updated_at = ? where id = ?`,
  );
  const setStatus = sqlite.prepare(
    `update bills set status = ?, completed_at = ?, completed_by = ?, updated_at = ? where id = ?`,
  );
  const billOfParent = sqlite.prepare(
    `select bb.id as billBagId, ${billColumns} from bill_bags bb join bills b on b.id = bb.bill_id
     left join users u on u.id = b.created_by where bb.parent_id = ? and bb.removed_at is null`,
  );
  const insertBillBag = sqlite.prepare(
    `insert into bill_bags (id, bill_id, parent_id, added_at, added_by) values (?, ?, ?, ?, ?)`,
  );
  const removeBillBag = sqlite.prepare(
    `update bill_bags set removed_at = ?, removed_by = ? where id = ? and removed_at is null`,
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
    insert(bill: {
      id: string;
      billNo: string;
      destination: string;
      vehicleNo: string;
      capacity: number;
      description: string;
      dispatchArea: string;
      stationId: string;
      at: number;
      userId: string;
    }) {
      insert.run(bill);
    },
    addCounts(billId: string, parents: number, children: number, at: number) {
      addCounts.run(parents, children, at, billId);
    },
    setStatus(billId: string, status: BillStatus, at: number, userId: string | null) {
      setStatus.run(
        status,
        status === 'completed' ? at : null,
        status === 'completed' ? userId : null,
        at,
        billId,
      );
    },
    billOfParent: (parentId: string) =>
      billOfParent.get(parentId) as (BillRow & { billBagId: string }) | undefined,
    insertBillBag(id: string, billId: string, parentId: string, at: number, userId: string) {
      insertBillBag.run(id, billId, parentId, at, userId);
    },
    removeBillBag(id: string, at: number, userId: string) {
      removeBillBag.run(at, userId, id);
    },
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
