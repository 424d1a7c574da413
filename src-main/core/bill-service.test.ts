import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BillWarning } from '../../src-shared/domain.ts';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import type { BillDetail, BillSummary } from '../../src-shared/domain.ts';

type AddResult = {
  bill: BillSummary;
  parent: { code: string; childCount: number };
  warning: BillWarning | null;
};
type CompleteResult = { bill: BillSummary; warning: BillWarning | null };

const newBill = (billNo: string, capacity = 3) => ({
  billNo,
  destination: ' Delhi ',
  vehicleNo: 'dl01ab1234',
  capacity,
});

describe('bills', () => {
  let t: TestStation;

  /** Fills parent `code` with `n` children, as the supervisor (who may also scan). */
  async function fill(code: string, n: number, from = 0) {
    await t.scan(code);
    for (let i = 1; i <= n; i++) await t.scan(child(from + i));
  }

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.addUser('sup', 'supervisor');
    await t.login('sup');
  });
  afterEach(() => t.dispose());

  describe('create', () => {
    it('normalizes the bill number to upper case and refuses a second bill with it (bill_exists)', async () => {
      const bill = await t.call<BillSummary>('bills.create', newBill(' b-17/a '));
      expect(bill).toMatchObject({
        billNo: 'B-17/A',
        destination: 'Delhi',
        vehicleNo: 'DL01AB1234',
        status: 'open',
      });
      expect(bill).toMatchObject({ parentCount: 0, childCount: 0, createdBy: 'sup', completedAt: null });
      const before = t.journal();
      expect(await t.refusal('bills.create', newBill('B-17/A'))).toBe('bill_exists');
      expect(t.rows('bills')).toBe(1);
      expect(t.journal()).toEqual(before);
    });

    it('refuses an invalid bill number and writes nothing', async () => {
      const before = t.journal();
      for (const billNo of ['-B1', 'B 1', 'B_1', 'B'.repeat(41)]) {
        expect(await t.refusal('bills.create', newBill(billNo))).toBe('invalid_bill_no');
      }
      expect(t.rows('bills')).toBe(0);
      expect(t.journal()).toEqual(before);
    });

    it('takes a capacity of 1..500 and refuses 0 and 501 as invalid_input', async () => {
      expect(await t.refusal('bills.create', newBill('B-0', 0))).toBe('invalid_input');
      expect(await t.refusal('bills.create', newBill('B-501', 501))).toBe('invalid_input');
      expect((await t.call<BillSummary>('bills.create', newBill('B-1', 1))).capacity).toBe(1);
      expect((await t.call<BillSummary>('bills.create', newBill('B-500', 500))).capacity).toBe(500);
      expect(t.rows('bills')).toBe(2);
    });
  });

  describe('parents on bills', () => {
    beforeEach(async () => {
      await t.call('bills.create', newBill('B-1', 2));
      await t.call('bills.create', newBill('B-2', 2));
    });

    it('adds a full parent without a warning and a part-filled one with parent_not_full', async () => {
      await fill('SB00001', 30);
      await fill('SB00002', 4, 100);
      const full = await t.call<AddResult>('bills.addParent', { billNo: 'b-1', parent: 'sb00001' });
      expect(full).toMatchObject({ warning: null, parent: { code: 'SB00001', childCount: 30 } });
      const part = await t.call<AddResult>('bills.addParent', { billNo: 'B-1', parent: 'SB00002' });
      expect(part.warning).toBe('parent_not_full');
      expect(part.bill).toMatchObject({
        parentCount: 2,
        childCount: 34,
        actualWeightKg: 34,
        expectedWeightKg: 60,
      });
      expect(t.rows('scans', `action = 'bill_add' and bill_no = 'B-1'`)).toBe(2);
    });

    it('refuses a parent already on another bill (parent_on_other_bill)', async () => {
      await fill('SB00001', 1);
      await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
      expect(await t.refusal('bills.addParent', { billNo: 'B-2', parent: 'SB00001' })).toBe(
        'parent_on_other_bill',
      );
      expect(t.station.bills.get(t.station.session.operator(), 'B-2').parentCount).toBe(0);
    });

    it('refuses a parent beyond the capacity (bill_full)', async () => {
      await fill('SB00001', 1);
      await fill('SB00002', 1, 10);
      await fill('SB00003', 1, 20);
      await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
      await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00002' });
      const before = t.journal();
      expect(await t.refusal('bills.addParent', { billNo: 'B-1', parent: 'SB00003' })).toBe('bill_full');
      expect(t.journal()).toEqual(before);
    });

    it('refuses an empty parent, a child code, an unknown bag and an unknown bill', async () => {
      await t.scan('SB00001');
      await fill('SB00002', 1);
      expect(await t.refusal('bills.addParent', { billNo: 'B-1', parent: 'SB00001' })).toBe('parent_empty');
      expect(await t.refusal('bills.addParent', { billNo: 'B-1', parent: child(1) })).toBe('kind_mismatch');
      expect(await t.refusal('bills.addParent', { billNo: 'B-1', parent: 'SB09999' })).toBe('bag_not_found');
      expect(await t.refusal('bills.addParent', { billNo: 'B-9', parent: 'SB00002' })).toBe('bill_not_found');
      expect(t.rows('bill_bags')).toBe(0);
    });

    it("linking a child into a parent on an open bill raises the bill's child count", async () => {
      await fill('SB00001', 2);
      await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
      await t.scan('SB00001', 'gun-2');
      expect((await t.scan(child(3))).activeParent).toMatchObject({ childCount: 3, billNo: 'B-1' });
      const bill = await t.call<BillDetail>('bills.get', { billNo: 'B-1' });
      expect(bill).toMatchObject({ childCount: 3, actualWeightKg: 3 });
    });

    it('removes a parent from a bill, and refuses one that is not on it', async () => {
      await fill('SB00001', 2);
      await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
      const bill = await t.call<BillSummary>('bills.removeParent', { billNo: 'B-1', parent: 'SB00001' });
      expect(bill).toMatchObject({ parentCount: 0, childCount: 0 });
      expect(await t.refusal('bills.removeParent', { billNo: 'B-1', parent: 'SB00001' })).toBe(
        'parent_not_on_bill',
      );
      await t.call('bills.addParent', { billNo: 'B-2', parent: 'SB00001' });
      expect((await t.call<BillSummary>('bills.get', { billNo: 'B-2' })).parentCount).toBe(1);
    });
  });

  describe('status', () => {
    beforeEach(async () => {
      await t.call('bills.create', newBill('B-1', 2));
      await fill('SB00001', 3);
      await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
    });

    it('completes under capacity with a warning, then refuses completing again (bill_not_open)', async () => {
      const done = await t.call<CompleteResult>('bills.complete', { billNo: 'B-1' });
      expect(done.warning).toBe('under_capacity');
      expect(done.bill).toMatchObject({ status: 'completed', completedAt: t.clock.now() });
      expect(await t.refusal('bills.complete', { billNo: 'B-1' })).toBe('bill_not_open');
      await fill('SB00002', 1, 50);
      expect(await t.refusal('bills.addParent', { billNo: 'B-1', parent: 'SB00002' })).toBe('bill_not_open');
      expect(await t.refusal('bills.removeParent', { billNo: 'B-1', parent: 'SB00001' })).toBe(
        'bill_not_open',
      );
    });

    it('a child cannot be linked into a parent on a completed bill', async () => {
      await t.call('bills.complete', { billNo: 'B-1' });
      await t.scan('SB00001');
      expect(await t.scan(child(9))).toMatchObject({ outcome: 'rejected', reason: 'parent_on_closed_bill' });
      expect(t.station.ctx.bags.byCode('SB00001')?.childCount).toBe(3);
    });

    it('a supervisor reopens a completed bill; reopening an open bill is bill_not_completed', async () => {
      expect(await t.refusal('bills.reopen', { billNo: 'B-1' })).toBe('bill_not_completed');
      await t.call('bills.complete', { billNo: 'B-1' });
      const open = await t.call<BillSummary>('bills.reopen', { billNo: 'B-1' });
      expect(open).toMatchObject({ status: 'open', completedAt: null });
      const full = await t.call<CompleteResult>('bills.complete', { billNo: 'B-1' });
      expect(full.bill.status).toBe('completed');
    });
  });

  it('bills.get shows each parent with its children, and weights from the profile', async () => {
    await t.call('bills.create', newBill('B-1', 4));
    await fill('SB00001', 2);
    await fill('M444-00001', 1, 10);
    await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
    await t.call('bills.addParent', { billNo: 'B-1', parent: 'M444-00001' });
    const bill = await t.call<BillDetail>('bills.get', { billNo: 'b-1' });
    expect(
      bill.parents.map((p) => ({ code: p.code, childCount: p.childCount, children: p.children })),
    ).toEqual([
      { code: 'SB00001', childCount: 2, children: [child(1), child(2)] },
      { code: 'M444-00001', childCount: 1, children: [child(11)] },
    ]);
    expect(bill).toMatchObject({
      parentCount: 2,
      childCount: 3,
      actualWeightKg: 3,
      expectedWeightKg: 4 * 30,
    });
  });

  it('bills.list filters by status', async () => {
    await t.call('bills.create', newBill('B-1'));
    await t.call('bills.create', newBill('B-2'));
    await t.call('bills.create', newBill('B-3'));
    await t.call('bills.complete', { billNo: 'B-2' });
    const nos = (list: BillSummary[]) => list.map((b) => b.billNo).sort();
    expect(nos(await t.call('bills.list', {}))).toEqual(['B-1', 'B-2', 'B-3']);
    expect(nos(await t.call('bills.list', { status: 'open' }))).toEqual(['B-1', 'B-3']);
    expect(nos(await t.call('bills.list', { status: 'completed' }))).toEqual(['B-2']);
  });

  it('bills.list searches the number, destination and vehicle, and filters by the day created', async () => {
    await t.call('bills.create', { ...newBill('B-100'), destination: 'Pune hub', vehicleNo: 'MH12AB1' });
    await t.call('bills.create', { ...newBill('C-200'), destination: 'Chennai', vehicleNo: 'TN01XY9' });
    t.clock.advance(24 * 3600_000);
    await t.login('sup');
    await t.call('bills.create', { ...newBill('B/300'), destination: '100% Delhi_x', vehicleNo: 'DL01' });
    const nos = (list: BillSummary[]) => list.map((b) => b.billNo).sort();
    const find = async (args: object) => nos(await t.call('bills.list', args));
    expect(await find({ search: 'b-1' })).toEqual(['B-100']);
    expect(await find({ search: 'pune' })).toEqual(['B-100']);
    expect(await find({ search: 'xy9' })).toEqual(['C-200']);
    expect(await find({ search: '100' })).toEqual(['B-100', 'B/300']);
    expect(await find({ search: '_' })).toEqual(['B/300']);
    expect(await find({ search: '%' })).toEqual(['B/300']);
    expect(await find({ day: '2026-01-15' })).toEqual(['B-100', 'C-200']);
    expect(await find({ day: '2026-01-16', search: 'b' })).toEqual(['B/300']);
    expect(await t.refusal('bills.list', { day: '2026-02-30' })).toBe('invalid_date');
  });

  it('a dock user gets role_required for every bills method', async () => {
    await t.call('bills.create', newBill('B-1'));
    await t.login('dock1');
    const calls: [string, object][] = [
      ['bills.create', newBill('B-2')],
      ['bills.addParent', { billNo: 'B-1', parent: 'SB00001' }],
      ['bills.removeParent', { billNo: 'B-1', parent: 'SB00001' }],
      ['bills.complete', { billNo: 'B-1' }],
      ['bills.reopen', { billNo: 'B-1' }],
      ['bills.get', { billNo: 'B-1' }],
      ['bills.list', {}],
    ];
    const before = t.journal();
    for (const [method, args] of calls)
      expect([method, await t.refusal(method, args)]).toEqual([method, 'role_required']);
    expect(t.journal()).toEqual(before);
    expect(t.rows('bills')).toBe(1);
  });
});
