import { uuidv7 } from 'uuidv7';
import type { Context } from '../store/context.ts';
import { StationError } from '../../src-shared/errors.ts';
import { normalizeCode } from './normalize.ts';
import type {
  BillDetail,
  BillStatus,
  BillSummary,
  BillWarning,
  Operator,
  ScannedParent,
} from '../../src-shared/domain.ts';
import { requireRole } from './roles.ts';
import { MAX_BILL_CAPACITY } from '../../src-shared/limits.ts';
import type { BagRow } from '../store/bag-repo.ts';
import type { BillRow } from '../store/bill-repo.ts';
import type { BillWeights } from '../store/weight-repo.ts';
import { currentWeight } from './weight-view.ts';
import { grams } from '../../src-shared/weight-text.ts';
import { localDay } from './local-time.ts';

export interface NewBill {
  billNo: string;
  destination: string;
  vehicleNo: string;
  capacity: number;
  description?: string;
}

const BILL_NO = /^[A-Z0-9][A-Z0-9\-/]{0,39}$/;

/** Bills (dispatch notes) built from parent bags. Supervisor work: every method checks the role itself. */
export function createBillService(ctx: Context) {
  function normalizeBillNo(raw: string): string {
    const billNo = normalizeCode(raw).code;
    if (!BILL_NO.test(billNo)) throw new StationError('invalid_bill_no', { billNo: raw.trim().slice(0, 40) });
    return billNo;
  }

  function billOrThrow(raw: string): BillRow {
    const billNo = normalizeBillNo(raw);
    const bill = ctx.bills.byNo(billNo);
    if (!bill) throw new StationError('bill_not_found', { billNo });
    return bill;
  }

  function parentOrThrow(raw: string): BagRow {
    const code = normalizeCode(raw).code;
    const bag = ctx.bags.byCode(code);
    if (!bag) throw new StationError('bag_not_found', { code });
    if (bag.kind !== 'parent')
      throw new StationError('kind_mismatch', { code, actual: 'child', expected: 'parent' });
    return bag;
  }

  /** An open bill, a parent bag, and the bill the parent is on now (if any): what adding and removing check. */
  function openBillAndParent(rawBillNo: string, parentCode: string) {
    const bill = billOrThrow(rawBillNo);
    const parent = parentOrThrow(parentCode);
    if (bill.status !== 'open') throw new StationError('bill_not_open', { billNo: bill.billNo });
    return { bill, parent, current: ctx.bills.billOfParent(parent.id) };
  }

  function openBill(rawBillNo: string): BillRow {
    const bill = billOrThrow(rawBillNo);
    if (bill.status !== 'open') throw new StationError('bill_not_open', { billNo: bill.billNo });
    return bill;
  }

  /** Every refusal of putting a parent on a bill, in one order. */
  function addableParent(rawBillNo: string, parentCode: string) {
    const { bill, parent, current } = openBillAndParent(rawBillNo, parentCode);
    if (current?.id === bill.id) {
      throw new StationError('parent_already_on_bill', { parent: parent.code, billNo: bill.billNo });
    }
    if (current)
      throw new StationError('parent_on_other_bill', { parent: parent.code, billNo: current.billNo });
    if (bill.parentCount >= bill.capacity) {
      throw new StationError('bill_full', { billNo: bill.billNo, capacity: bill.capacity });
    }
    if (parent.childCount === 0) throw new StationError('parent_empty', { parent: parent.code });
    return { bill, parent };
  }

  /**
   * A bill's weight: its parents' current recorded weights where they have one, the old estimate (children x
   * nominal child weight) for the rest; a bill with no weighed parent keeps the estimate it always had.
   * `weighed`: what billWeights read for this bill (one aggregate query for a whole list).
   */
  function summary(bill: BillRow, weighed: BillWeights | undefined): BillSummary {
    const { dispatchArea: _area, completedBy: _by, ...record } = bill;
    const perChild = ctx.profile.childWeightKg;
    const actualWeightKg = weighed
      ? grams((bill.childCount - weighed.children) * perChild + weighed.kg)
      : bill.childCount * perChild;
    const weighedParents = weighed?.weighed ?? 0;
    return {
      ...record,
      actualWeightKg,
      expectedWeightKg: bill.capacity * ctx.profile.parentExpectedWeightKg,
      weightEstimated: bill.parentCount > weighedParents,
      weighedParents,
    };
  }

  function summaries(bills: BillRow[]): BillSummary[] {
    const weights = new Map(ctx.weights.billWeights(bills.map((b) => b.id)).map((w) => [w.billId, w]));
    return bills.map((b) => summary(b, weights.get(b.id)));
  }

  function reread(billNo: string): BillSummary {
    return summaries([ctx.bills.byNo(billNo) as BillRow])[0]!;
  }

  function recordBagScan(
    action: 'bill_add' | 'bill_remove',
    parent: BagRow,
    bill: BillRow,
    at: number,
    by: Operator,
  ) {
    const scan = {
      id: uuidv7(),
      at,
      raw: parent.code,
      code: parent.code,
      action,
      outcome: action === 'bill_add' ? 'added' : 'removed',
      reason: null,
      userId: by.id,
      scanner: 'screen',
      parentCode: parent.code,
      billNo: bill.billNo,
    };
    ctx.journal.scan(scan);
    return scan;
  }

  function setStatus(actor: Operator | null, rawBillNo: string, status: BillStatus) {
    const by = requireRole(actor, 'supervisor');
    return ctx.transaction(() => {
      const bill = billOrThrow(rawBillNo);
      if (status === 'completed' && bill.status !== 'open')
        throw new StationError('bill_not_open', { billNo: bill.billNo });
      if (status === 'open' && bill.status !== 'completed') {
        throw new StationError('bill_not_completed', { billNo: bill.billNo });
      }
      const at = ctx.clock.now();
      ctx.ledger.setBillStatus(bill.id, status, at, by.id);
      const action = status === 'completed' ? 'bill.complete' : 'bill.reopen';
      const before = { status: bill.status };
      ctx.journal.audit({
        at,
        userId: by.id,
        action,
        entity: 'bill',
        entityId: bill.id,
        before,
        after: { status },
      });
      ctx.journal.outbox(action, { billId: bill.id, billNo: bill.billNo, at, by: by.username }, at);
      const result = reread(bill.billNo);
      const warning: BillWarning | null =
        status === 'completed' && result.parentCount < result.capacity ? 'under_capacity' : null;
      return { bill: result, warning };
    });
  }

  const service = {
    create(actor: Operator | null, input: NewBill): BillSummary {
      const by = requireRole(actor, 'supervisor');
      const billNo = normalizeBillNo(input.billNo);
      if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > MAX_BILL_CAPACITY) {
        throw new StationError('invalid_capacity', { max: MAX_BILL_CAPACITY });
      }
      return ctx.transaction(() => {
        if (ctx.bills.byNo(billNo)) throw new StationError('bill_exists', { billNo });
        const at = ctx.clock.now();
        const bill = {
          id: uuidv7(),
          billNo,
          destination: input.destination.trim(),
          vehicleNo: input.vehicleNo.trim().toUpperCase(),
          capacity: input.capacity,
          description: (input.description ?? '').trim(),
          dispatchArea: ctx.station.dispatchArea,
          stationId: ctx.station.stationId,
          at,
          userId: by.id,
        };
        ctx.ledger.addBill(bill);
        ctx.journal.audit({
          at,
          userId: by.id,
          action: 'bill.create',
          entity: 'bill',
          entityId: bill.id,
          before: null,
          after: bill,
        });
        ctx.journal.outbox('bill.create', { ...bill, by: by.username }, at);
        return reread(billNo);
      });
    },

    addParent(actor: Operator | null, rawBillNo: string, parentCode: string) {
      const by = requireRole(actor, 'supervisor');
      return ctx.transaction(() => {
        const { bill, parent } = addableParent(rawBillNo, parentCode);
        const at = ctx.clock.now();
        const billBagId = uuidv7();
        ctx.ledger.putOnBill(billBagId, bill.id, parent, at, by.id);
        const scan = recordBagScan('bill_add', parent, bill, at, by);
        const after = { billNo: bill.billNo, parent: parent.code };
        ctx.journal.audit({
          at,
          userId: by.id,
          action: 'bill.addParent',
          entity: 'bill',
          entityId: bill.id,
          before: null,
          after,
        });
        ctx.journal.outbox(
          'bill.addParent',
          { scan, billBagId, billId: bill.id, billNo: bill.billNo, parentCode: parent.code, at },
          at,
        );
        const warning: BillWarning | null =
          parent.childCount < ctx.profile.parentCapacity ? 'parent_not_full' : null;
        return {
          bill: reread(bill.billNo),
          parent: { code: parent.code, childCount: parent.childCount },
          warning,
        };
      });
    },

    /**
     * A parent scanned at the bill screen (keyboard or serial scanner). A bill that is missing or not open is
     * refused first. A parent that is not full is not put on the bill but answered with its count, so the
     * supervisor is asked first (then addParent, which refuses what it refuses: a parent on a bill, a full bill);
     * any other goes on as addParent puts it, or is refused as addParent refuses it. Asking before those refusals
     * is the bill screen's flow from before the rule moved into the core, kept as it was (issue 15 moves rules,
     * it does not change them).
     */
    scanParent(actor: Operator | null, rawBillNo: string, parentCode: string): ScannedParent {
      requireRole(actor, 'supervisor');
      openBill(rawBillNo);
      const bag = ctx.bags.byCode(normalizeCode(parentCode).code);
      const capacity = ctx.profile.parentCapacity;
      if (bag?.kind === 'parent' && bag.childCount < capacity) {
        return { added: false, notFull: { parent: bag.code, childCount: bag.childCount, capacity } };
      }
      return { added: true, ...service.addParent(actor, rawBillNo, parentCode) };
    },

    /** The bill number of an open bill (bills.takeReads holds the reads only for a bill that can take them). */
    openBillNo(actor: Operator | null, rawBillNo: string): string {
      requireRole(actor, 'supervisor');
      return openBill(rawBillNo).billNo;
    },

    removeParent(actor: Operator | null, rawBillNo: string, parentCode: string) {
      const by = requireRole(actor, 'supervisor');
      return ctx.transaction(() => {
        const { bill, parent, current } = openBillAndParent(rawBillNo, parentCode);
        if (!current || current.id !== bill.id) {
          throw new StationError('parent_not_on_bill', { parent: parent.code, billNo: bill.billNo });
        }
        const at = ctx.clock.now();
        ctx.ledger.takeOffBill(current.billBagId, bill.id, parent, at, by.id);
        const scan = recordBagScan('bill_remove', parent, bill, at, by);
        const before = { billNo: bill.billNo, parent: parent.code };
        ctx.journal.audit({
          at,
          userId: by.id,
          action: 'bill.removeParent',
          entity: 'bill',
          entityId: bill.id,
          before,
          after: null,
        });
        ctx.journal.outbox(
          'bill.removeParent',
          {
            scan,
            billBagId: current.billBagId,
            billId: bill.id,
            billNo: bill.billNo,
            parentCode: parent.code,
            at,
          },
          at,
        );
        return reread(bill.billNo);
      });
    },

    complete: (actor: Operator | null, billNo: string) => setStatus(actor, billNo, 'completed'),
    reopen: (actor: Operator | null, billNo: string) => setStatus(actor, billNo, 'open').bill,

    get(actor: Operator | null, rawBillNo: string): BillDetail {
      requireRole(actor, 'supervisor');
      const bill = billOrThrow(rawBillNo);
      const parents = ctx.bills.parentsOf(bill.id).map((p) => ({
        code: p.code,
        childCount: p.childCount,
        addedAt: p.addedAt,
        children: ctx.bags.childrenOf(p.id).map((c) => c.code),
        weight: currentWeight(ctx, p),
      }));
      return { ...summaries([bill])[0]!, parents };
    },

    /** Newest first; search matches part of the number, destination or vehicle; day is a local YYYY-MM-DD. */
    list(actor: Operator | null, filter: BillFilter): BillSummary[] {
      requireRole(actor, 'supervisor');
      const search = filter.search?.trim();
      const like = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      let day = null;
      if (filter.day) {
        day = localDay(filter.day);
        if (!day) throw new StationError('invalid_date', { date: filter.day });
      }
      const bills = ctx.bills.list(
        { status: filter.status ?? null, like, from: day?.start ?? null, to: day?.end ?? null },
        filter.limit ?? 50,
        filter.offset ?? 0,
      );
      return summaries(bills);
    },
  };
  return service;
}

export interface BillFilter {
  status?: BillStatus;
  search?: string;
  day?: string;
  limit?: number;
  offset?: number;
}

export type BillService = ReturnType<typeof createBillService>;
