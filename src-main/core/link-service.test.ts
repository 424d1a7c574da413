import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LinkChange } from '../../src-shared/domain.ts';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

describe('undo and supervisor link edits', () => {
  let t: TestStation;
  const childCount = (code: string) => t.station.ctx.bags.byCode(code)?.childCount;
  const activeLinks = () => t.rows('links', 'removed_at is null');
  /** Moves the clock on while the operator stays active (the session ends after 30 idle minutes). */
  const passTime = (ms: number) => {
    for (let left = ms; left > 0; left -= 20 * 60_000) {
      t.clock.advance(Math.min(left, 20 * 60_000));
      expect(t.station.session.operator()).not.toBeNull();
    }
  };

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.addUser('dock2', 'dock');
    await t.addUser('sup', 'supervisor');
    await t.login('dock1');
  });
  afterEach(() => t.dispose());

  describe('scan.undoLast', () => {
    it('takes the own last link out within the window and decrements the counts', async () => {
      await t.scan('SB00001');
      await t.scan(child(1));
      await t.scan(child(2));
      passTime(59 * 60_000);
      const change = await t.call<LinkChange>('scan.undoLast', {});
      expect(change).toEqual({ child: child(2), fromParent: 'SB00001', toParent: null, parentChildCount: 1 });
      expect(childCount('SB00001')).toBe(1);
      expect(activeLinks()).toBe(1);
      expect(t.station.ctx.bags.activeLinkOfChild(t.station.ctx.bags.byCode(child(2))!.id)).toBeUndefined();
      expect(t.rows('scans', `action = 'unlink' and code = '${child(2)}'`)).toBe(1);
      expect(t.rows('audit_log', `action = 'unlink' and entity = 'link'`)).toBe(1);
    });

    it('is refused with undo_window_passed after the window (1 h) and changes nothing', async () => {
      await t.scan('SB00001');
      await t.scan(child(1));
      passTime(3600_000 + 1);
      const before = t.journal();
      expect(await t.refusal('scan.undoLast', {})).toBe('undo_window_passed');
      expect(childCount('SB00001')).toBe(1);
      expect(t.journal()).toEqual(before);
    });

    it('is refused with nothing_to_undo when the operator has no link', async () => {
      expect(await t.refusal('scan.undoLast', {})).toBe('nothing_to_undo');
      await t.scan('SB00001');
      await t.scan(child(1));
      await t.call('scan.undoLast', {});
      expect(await t.refusal('scan.undoLast', {})).toBe('nothing_to_undo');
      expect(childCount('SB00001')).toBe(0);
    });

    it("a dock user undoes only their own last link, never another user's", async () => {
      await t.scan('SB00001');
      await t.scan(child(1));
      await t.login('dock2');
      expect(await t.refusal('scan.undoLast', {})).toBe('nothing_to_undo');
      await t.scan('SB00001');
      await t.scan(child(2));
      await t.login('dock1');
      await t.scan('SB00001');
      await t.scan(child(3));
      await t.login('dock2');
      const change = await t.call<LinkChange>('scan.undoLast', {});
      expect(change.child).toBe(child(2));
      expect(t.station.lookup.lookup(t.station.session.operator(), child(1)).parent?.code).toBe('SB00001');
      expect(t.station.lookup.lookup(t.station.session.operator(), child(3)).parent?.code).toBe('SB00001');
      expect(childCount('SB00001')).toBe(2);
    });

    it('is refused when nobody is logged in', async () => {
      await t.call('auth.logout', {});
      expect(await t.refusal('scan.undoLast', {})).toBe('not_logged_in');
    });
  });

  describe('links.remove (supervisor)', () => {
    it("a supervisor takes out any user's child", async () => {
      await t.scan('SB00001');
      await t.scan(child(1));
      await t.scan(child(2));
      await t.login('sup');
      const change = await t.call<LinkChange>('links.remove', {
        child: child(1).toLowerCase(),
        reason: 'wrong parent',
      });
      expect(change).toEqual({ child: child(1), fromParent: 'SB00001', toParent: null, parentChildCount: 1 });
      expect(activeLinks()).toBe(1);
      expect(await t.refusal('links.remove', { child: child(1), reason: 'wrong parent' })).toBe('not_linked');
      expect(await t.refusal('links.remove', { child: 'SB00001', reason: 'wrong parent' })).toBe(
        'kind_mismatch',
      );
      expect(await t.refusal('links.remove', { child: 'NOSUCH01', reason: 'wrong parent' })).toBe(
        'bag_not_found',
      );
    });

    it('is refused for a dock user with role_required', async () => {
      await t.scan('SB00001');
      await t.scan(child(1));
      expect(await t.refusal('links.remove', { child: child(1), reason: 'wrong parent' })).toBe(
        'role_required',
      );
      expect(activeLinks()).toBe(1);
    });
  });

  describe('links.move (supervisor)', () => {
    beforeEach(async () => {
      await t.scan('SB00001');
      await t.scan(child(1));
      await t.scan(child(2));
      await t.scan('SB00002');
      await t.scan(child(3));
      await t.login('sup');
    });

    it('moves a child into another parent in one step', async () => {
      const before = t.journal();
      const change = await t.call<LinkChange>('links.move', {
        child: child(1),
        toParent: 'sb00002',
        reason: 'wrong parent',
      });
      expect(change).toEqual({
        child: child(1),
        fromParent: 'SB00001',
        toParent: 'SB00002',
        parentChildCount: 2,
      });
      expect(childCount('SB00001')).toBe(1);
      expect(childCount('SB00002')).toBe(2);
      expect(activeLinks()).toBe(3);
      expect(t.rows('links')).toBe(4);
      expect(t.journal()).toEqual({
        scans: before.scans + 1,
        outbox: before.outbox + 1,
        audit: before.audit + 1,
      });
    });

    it('refuses a move into the parent the child is already in (same_parent)', async () => {
      expect(
        await t.refusal('links.move', { child: child(1), toParent: 'SB00001', reason: 'wrong parent' }),
      ).toBe('same_parent');
      expect(childCount('SB00001')).toBe(2);
    });

    it('refuses a move into a full parent (parent_full) and changes nothing', async () => {
      expect(await t.refusal('settings.update', { profile: { parentCapacity: 2 } })).toBe('role_required');
      await t.login('admin');
      await t.call('settings.update', { profile: { parentCapacity: 2 } });
      await t.login('sup');
      const before = t.journal();
      expect(
        await t.refusal('links.move', { child: child(3), toParent: 'SB00001', reason: 'wrong parent' }),
      ).toBe('parent_full');
      expect(childCount('SB00001')).toBe(2);
      expect(childCount('SB00002')).toBe(1);
      expect(t.journal()).toEqual(before);
    });

    it('refuses a move into a parent on a completed bill', async () => {
      await t.call('bills.create', { billNo: 'B-1', destination: 'Delhi', vehicleNo: 'DL01', capacity: 5 });
      await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00002' });
      await t.call('bills.complete', { billNo: 'B-1' });
      expect(
        await t.refusal('links.move', { child: child(1), toParent: 'SB00002', reason: 'wrong parent' }),
      ).toBe('parent_on_closed_bill');
      expect(
        await t.refusal('links.move', { child: child(3), toParent: 'SB00001', reason: 'wrong parent' }),
      ).toBe('parent_on_closed_bill');
      expect(childCount('SB00001')).toBe(2);
      expect(childCount('SB00002')).toBe(1);
    });

    it('keeps the reason in the audit trail, and refuses a blank one in the core too', async () => {
      await t.call('links.move', { child: child(1), toParent: 'SB00002', reason: '  torn label  ' });
      const row = t.station.ctx.sqlite.prepare(`select after from audit_log where action = 'move'`).get() as {
        after: string;
      };
      expect(JSON.parse(row.after)).toEqual({ child: child(1), parent: 'SB00002', reason: 'torn label' });
      const sup = t.station.session.operator();
      expect(() => t.station.links.moveChild(sup, child(2), 'SB00002', ' ')).toThrow(/Say why/);
      expect(() => t.station.links.removeChild(sup, child(2), '')).toThrow(/Say why/);
      expect(await t.refusal('links.remove', { child: child(2), reason: '   ' })).toBe('reason_required');
      expect(childCount('SB00001')).toBe(1);
    });

    it('on a joined station edits only bags of its own dispatch area', async () => {
      writeFileSync(join(t.dir, 'central.json'), JSON.stringify({ stationId: 'x', url: 'postgres://c/x' }));
      t.station.ctx.sqlite.prepare(`update bags set dispatch_area = 'NORTH' where code = ?`).run(child(1));
      const before = t.journal();
      expect(
        await t.refusal('links.move', { child: child(1), toParent: 'SB00002', reason: 'wrong parent' }),
      ).toBe('other_area');
      expect(await t.refusal('links.remove', { child: child(1), reason: 'torn' })).toBe('other_area');
      expect(t.journal()).toEqual(before);
      await t.call('links.remove', { child: child(2), reason: 'torn' });
      expect(childCount('SB00001')).toBe(1);
    });

    it('is refused for a dock user with role_required', async () => {
      await t.login('dock1');
      expect(
        await t.refusal('links.move', { child: child(1), toParent: 'SB00002', reason: 'wrong parent' }),
      ).toBe('role_required');
      expect(childCount('SB00001')).toBe(2);
    });
  });
});
