import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

/** What a parent scan says about the parent itself: new, reopened, full, or on a completed bill. */
describe('parent checks at the parent scan', () => {
  let t: TestStation;

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.addUser('sup', 'supervisor');
    await t.login('dock1');
  });
  afterEach(() => t.dispose());

  async function fill(parent: string, from: number, count: number) {
    await t.scan(parent);
    for (let i = from; i < from + count; i++) await t.scan(child(i));
  }

  it('a new parent is a new parent; a known one with bags, not full and on no bill, is reopened', async () => {
    expect((await t.scan('SB00001')).outcome).toBe('parent_active');
    await fill('SB00001', 0, 29);
    await t.call('scan.closeParent');
    const r = await t.scan('SB00001');
    expect(r).toMatchObject({ outcome: 'parent_reopened', activeParent: { childCount: 29, capacity: 30 } });
    expect(r.message).toBe('Parent SB00001 reopened: 29 of 30 bags.');
  });

  it('a full parent scanned gets the full outcome at once, not a new parent', async () => {
    await fill('SB00001', 0, 30);
    await t.scan('SB00002');
    const r = await t.scan('SB00001');
    expect(r).toMatchObject({ outcome: 'parent_full', reason: null, activeParent: { childCount: 30 } });
    expect(r.message).toContain('is full (30 of 30)');
  });

  it('a parent on a completed bill is refused at its own scan, naming the bill', async () => {
    await fill('SB00001', 0, 3);
    await t.login('sup');
    await t.call('bills.create', { billNo: 'B-9', destination: 'Pune', vehicleNo: 'MH12', capacity: 1 });
    await t.call('bills.addParent', { billNo: 'B-9', parent: 'SB00001' });
    await t.call('bills.complete', { billNo: 'B-9' });
    await t.login('dock1');
    await t.scan('SB00002');
    const r = await t.scan('SB00001');
    expect(r).toMatchObject({ outcome: 'rejected', reason: 'parent_on_closed_bill' });
    expect(r.reasonParams).toMatchObject({ parent: 'SB00001', billNo: 'B-9' });
    expect(t.station.activeParent()?.code).toBe('SB00002');
  });

  it("Last reads after a login are the new operator's own", async () => {
    await fill('SB00001', 0, 2);
    await t.login('sup');
    const mine = await t.call<{ recent: unknown[]; children: string[] }>('scan.state', { mine: true });
    expect(mine.recent).toEqual([]);
    await t.scan('SB00001');
    const after = await t.call<{ recent: { username: string }[]; children: string[] }>('scan.state', {
      mine: true,
    });
    expect(after.recent.map((r) => r.username)).toEqual(['sup']);
    expect(after.children).toEqual([child(0), child(1)]);
  });
});
