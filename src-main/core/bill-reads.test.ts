import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BillRead } from '../../src-shared/events.ts';
import type { ScannedParent } from '../../src-shared/domain.ts';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import type { ActiveParent } from '../../src-shared/domain.ts';

/**
 * The bill screen's rule, in the core: a parent scanned there goes onto the bill (asked first when not full)
 * and a serial scanner's parent read while the screen is open never becomes the active parent.
 */
describe('parents scanned at the bill screen', () => {
  let t: TestStation;
  let told: BillRead[];

  async function fill(code: string, n: number, from = 0) {
    await t.scan(code);
    for (let i = 1; i <= n; i++) await t.scan(child(from + i));
  }
  const activeParent = async () =>
    (await t.call<{ activeParent: ActiveParent | null }>('scan.state', {})).activeParent?.code ?? null;
  /** What the serial wiring does with a read from a scanner (station-scanners.ts). */
  const serialRead = (code: string) => t.station.billReads.offer(t.station.session.operator(), code, false);

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.addUser('sup', 'supervisor');
    await t.login('sup');
    await t.call('bills.create', { billNo: 'B-1', destination: 'Delhi', vehicleNo: 'DL01', capacity: 3 });
    await fill('SB00001', 30);
    await fill('SB00002', 4, 100);
    told = [];
    t.station.subscribe((name, payload) => {
      if (name === 'onBillRead') told.push(payload as BillRead);
    });
  });
  afterEach(() => t.dispose());

  it('bills.scanParent puts a full parent on, and answers a part-filled one with its count, writing nothing', async () => {
    const before = t.journal();
    const part = await t.call<ScannedParent>('bills.scanParent', { billNo: 'b-1', parent: 'sb00002' });
    expect(part).toEqual({ added: false, notFull: { parent: 'SB00002', childCount: 4, capacity: 30 } });
    expect(t.journal()).toEqual(before);
    const full = await t.call<ScannedParent>('bills.scanParent', { billNo: 'B-1', parent: 'SB00001' });
    expect(full).toMatchObject({ added: true, warning: null, bill: { parentCount: 1, childCount: 30 } });
    expect(await t.refusal('bills.scanParent', { billNo: 'B-1', parent: 'SB00001' })).toBe(
      'parent_already_on_bill',
    );
    expect(await t.refusal('bills.scanParent', { billNo: 'B-1', parent: child(1) })).toBe('kind_mismatch');
  });

  it('a serial parent read while the bill screen holds the reads goes on the bill, not into the link flow', async () => {
    expect(await activeParent()).toBe('SB00002');
    await t.call('bills.takeReads', { billNo: 'b-1' });
    expect(serialRead('SB00001')).toEqual({ good: true });
    expect(await activeParent()).toBe('SB00002');
    expect(told).toMatchObject([
      { billNo: 'B-1', code: 'SB00001', answer: { ok: true, value: { added: true } } },
    ]);
    expect((await t.call<{ parentCount: number }>('bills.get', { billNo: 'B-1' })).parentCount).toBe(1);

    // Not full: asked, not added; refused: told with the catalogue code. Neither is a parent made active.
    await fill('SB00003', 2, 200);
    await t.call('scan.closeParent', {});
    expect(serialRead('SB00003')).toEqual({ good: false });
    expect(serialRead('SB00001')).toEqual({ good: false });
    expect(told.slice(1).map((r) => r.answer)).toMatchObject([
      { ok: true, value: { added: false, notFull: { parent: 'SB00003', childCount: 2 } } },
      { ok: false, error: { code: 'parent_already_on_bill', params: { parent: 'SB00001', billNo: 'B-1' } } },
    ]);
    expect(await activeParent()).toBeNull();
  });

  it('leaves children, bad reads and every read after the hold ends to the link flow', async () => {
    await t.call('bills.takeReads', { billNo: 'B-1' });
    expect(serialRead(child(50))).toBeNull();
    expect(t.station.billReads.offer(t.station.session.operator(), 'SB00001', true)).toBeNull();
    expect(serialRead('NOT A CODE \u0007')).toBeNull();

    expect(await t.call('bills.takeReads', { billNo: null })).toEqual({ billNo: null });
    expect(serialRead('SB00001')).toBeNull();

    await t.call('bills.takeReads', { billNo: 'B-1' });
    await t.call('auth.logout', {});
    await t.login('sup');
    expect(serialRead('SB00001')).toBeNull();
    expect(told).toEqual([]);
  });

  it('a dock worker may not take the reads, and a hold is the operator’s who took it', async () => {
    await t.call('bills.takeReads', { billNo: 'B-1' });
    await t.login('dock1');
    expect(await t.refusal('bills.takeReads', { billNo: 'B-1' })).toBe('role_required');
    expect(await t.refusal('bills.scanParent', { billNo: 'B-1', parent: 'SB00001' })).toBe('role_required');
    expect(serialRead('SB00001')).toBeNull();
  });
});
