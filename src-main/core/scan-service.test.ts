import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

interface ScanRowView {
  code: string;
  action: string;
  outcome: string;
  reason: string | null;
  user_id: string | null;
  scanner: string;
}

describe('the link flow', () => {
  let t: TestStation;
  const lastScan = () =>
    t.station.ctx.sqlite.prepare(`select * from scans order by id desc limit 1`).get() as ScanRowView;
  const childCount = (code: string) => t.station.ctx.bags.byCode(code)?.childCount;

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.addUser('sup', 'supervisor');
    await t.login('dock1');
  });
  afterEach(() => t.dispose());

  it('a parent scan makes it active, and it is still active after the station restarts', async () => {
    expect(t.station.activeParent()).toBeNull();
    const r = await t.scan('SB00001');
    expect(r).toMatchObject({ outcome: 'parent_active', reason: null });
    expect(r.activeParent).toEqual({ code: 'SB00001', childCount: 0, capacity: 30, billNo: null });
    t.reopen();
    expect(t.station.activeParent()).toMatchObject({ code: 'SB00001', childCount: 0 });
  });

  it('children link to the active parent and the parent counts them', async () => {
    await t.scan('SB00001');
    const r = await t.scan('ch000001');
    expect(r).toMatchObject({
      outcome: 'linked',
      code: 'CH000001',
      activeParent: { code: 'SB00001', childCount: 1 },
    });
    await t.scan(child(2));
    expect(childCount('SB00001')).toBe(2);
    expect(t.rows('links', 'removed_at is null')).toBe(2);
    expect(lastScan()).toMatchObject({ code: child(2), action: 'link', outcome: 'linked' });
  });

  it('the 30th child fills the parent (parent_full) and the 31st is refused as parent_full', async () => {
    await t.scan('SB00001');
    for (let i = 1; i <= 29; i++) expect((await t.scan(child(i))).outcome).toBe('linked');
    const thirtieth = await t.scan(child(30));
    expect(thirtieth).toMatchObject({ outcome: 'parent_full', activeParent: { childCount: 30 } });
    const refused = await t.scan(child(31));
    expect(refused).toMatchObject({ outcome: 'rejected', reason: 'parent_full' });
    expect(childCount('SB00001')).toBe(30);
    expect(t.station.ctx.bags.byCode(child(31))).toBeUndefined();
    expect(lastScan()).toMatchObject({ code: child(31), action: 'rejected', reason: 'parent_full' });
  });

  it('a child already on this parent is already_linked and changes nothing', async () => {
    await t.scan('SB00001');
    await t.scan(child(1));
    t.clock.advance(2000);
    const links = t.rows('links');
    const r = await t.scan(child(1));
    expect(r).toMatchObject({ outcome: 'already_linked', reason: null, activeParent: { childCount: 1 } });
    expect(t.rows('links')).toBe(links);
    expect(childCount('SB00001')).toBe(1);
  });

  it('a child in another parent is refused as linked_elsewhere, naming that parent', async () => {
    await t.scan('SB00001');
    await t.scan(child(1));
    await t.scan('SB00002');
    const r = await t.scan(child(1));
    expect(r).toMatchObject({ outcome: 'rejected', reason: 'linked_elsewhere', otherParent: 'SB00001' });
    expect(r.message).toContain('SB00001');
    expect(childCount('SB00001')).toBe(1);
    expect(childCount('SB00002')).toBe(0);
  });

  describe('double reads', () => {
    it('the same code from the same scanner within 1.5 s is ignored and recorded as ignored', async () => {
      await t.scan('SB00001', 'gun-1');
      await t.scan(child(1), 'gun-1');
      t.clock.advance(1499);
      const r = await t.scan(child(1), 'gun-1');
      expect(r.outcome).toBe('double_read');
      expect(lastScan()).toMatchObject({ code: child(1), action: 'ignored', outcome: 'double_read' });
    });

    it('the same code from another scanner is not a double read', async () => {
      await t.scan('SB00001', 'gun-1');
      await t.scan(child(1), 'gun-1');
      expect((await t.scan(child(1), 'gun-2')).outcome).toBe('already_linked');
    });

    it('after the window the same code counts again', async () => {
      await t.scan('SB00001', 'gun-1');
      await t.scan(child(1), 'gun-1');
      t.clock.advance(1500);
      expect((await t.scan(child(1), 'gun-1')).outcome).toBe('already_linked');
    });
  });

  it('a child with no active parent is refused', async () => {
    expect(await t.scan(child(1))).toMatchObject({
      outcome: 'rejected',
      reason: 'no_active_parent',
      activeParent: null,
    });
    expect(t.rows('bags')).toBe(0);
    expect(lastScan()).toMatchObject({ action: 'rejected', reason: 'no_active_parent' });
  });

  it('an invalid code is refused and recorded as a rejected scan with its reason', async () => {
    await t.scan('SB00001');
    const r = await t.scan('AB-12/34');
    expect(r).toMatchObject({ outcome: 'rejected', reason: 'invalid_code', code: 'AB-12/34' });
    expect(lastScan()).toMatchObject({ code: 'AB-12/34', action: 'rejected', reason: 'invalid_code' });
    expect(t.rows('bags')).toBe(1);
  });

  it('a read with nobody logged in is refused and recorded without a user', async () => {
    await t.call('auth.logout', {});
    const r = await t.scan('SB00001');
    expect(r).toMatchObject({ outcome: 'rejected', reason: 'not_logged_in' });
    expect(lastScan()).toMatchObject({
      code: 'SB00001',
      action: 'rejected',
      reason: 'not_logged_in',
      user_id: null,
    });
    expect(t.rows('bags')).toBe(0);
  });

  it('a parent from another dispatch area is refused for a dock user but allowed for a supervisor', async () => {
    await t.scan('SB00001');
    await t.scan(child(1));
    await t.login('admin');
    await t.call('settings.update', { dispatchArea: 'north' });
    expect(t.station.ctx.station.dispatchArea).toBe('NORTH');
    await t.login('dock1');
    const r = await t.scan('SB00001');
    expect(r).toMatchObject({ outcome: 'rejected', reason: 'other_area' });
    expect(r.message).toContain('MAIN');
    expect(t.station.activeParent()).toBeNull();
    await t.login('sup');
    expect((await t.scan('SB00001', 'gun-2')).outcome).toBe('parent_reopened');
    expect(t.station.activeParent()?.code).toBe('SB00001');
  });

  it('a child never becomes a parent: the stored kind wins over changed patterns', async () => {
    await t.scan('SB00001');
    await t.scan('ZZ00001');
    await t.login('admin');
    await t.call('settings.update', { profile: { parentPatterns: ['^SB\\d{5}$', '^ZZ\\d{5}$'] } });
    await t.scan('SB00001');
    t.clock.advance(2000);
    const r = await t.scan('ZZ00001');
    expect(r.outcome).toBe('already_linked');
    expect(t.station.activeParent()?.code).toBe('SB00001');
    expect(t.station.ctx.bags.byCode('ZZ00001')?.kind).toBe('child');
    // ... and a parent never becomes a child: scanning SB00001 again only makes it active again.
    await t.scan('SB00002');
    expect(await t.scan('SB00001')).toMatchObject({
      outcome: 'parent_reopened',
      activeParent: { code: 'SB00001' },
    });
    expect(t.rows('links')).toBe(1);
  });
});
