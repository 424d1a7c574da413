import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

/**
 * Every state change leaves its scan and/or audit row and exactly one outbox row, in the same transaction;
 * a refused call leaves nothing; the outbox sequence has no gaps.
 */
describe('the journal of every change', () => {
  let t: TestStation;

  /** Runs fn and returns how many scan, outbox and audit rows it added. */
  async function added(fn: () => unknown): Promise<{ scans: number; outbox: number; audit: number }> {
    const before = t.journal();
    await fn();
    const after = t.journal();
    return {
      scans: after.scans - before.scans,
      outbox: after.outbox - before.outbox,
      audit: after.audit - before.audit,
    };
  }
  const lastOp = () =>
    (t.station.ctx.sqlite.prepare(`select op from outbox order by seq desc limit 1`).get() as { op: string })
      .op;
  const seqs = () =>
    (t.station.ctx.sqlite.prepare(`select seq from outbox order by seq`).all() as { seq: number }[]).map(
      (r) => r.seq,
    );

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('sup', 'supervisor');
    await t.login('sup');
  });
  afterEach(() => t.dispose());

  it('scans: one scan row and one outbox row each, whatever the outcome', async () => {
    expect(await added(() => t.scan('SB00001'))).toEqual({ scans: 1, outbox: 1, audit: 0 });
    expect(await added(() => t.scan(child(1)))).toEqual({ scans: 1, outbox: 1, audit: 0 });
    expect(await added(() => t.scan(child(1)))).toEqual({ scans: 1, outbox: 1, audit: 0 }); // double read
    expect(await added(() => t.scan('AB-1234'))).toEqual({ scans: 1, outbox: 1, audit: 0 }); // rejected
    expect(lastOp()).toBe('scan');
    const payload = JSON.parse(
      (
        t.station.ctx.sqlite
          .prepare(`select payload from outbox where op = 'scan' order by seq limit 1 offset 1`)
          .get() as { payload: string }
      ).payload,
    ) as { scan: { code: string; action: string; username: string }; effects: { type: string }[] };
    expect(payload.scan).toMatchObject({ code: child(1), action: 'link', username: 'sup' });
    expect(payload.effects.map((e) => e.type)).toEqual(['bag.created', 'link.created']);
  });

  it('link edits, bills, users and settings: their rows and one outbox row each', async () => {
    await t.scan('SB00001');
    await t.scan(child(1));
    await t.scan(child(2));
    await t.scan('SB00002');
    await t.scan(child(3));
    expect(await added(() => t.call('scan.undoLast', {}))).toEqual({ scans: 1, outbox: 1, audit: 1 });
    expect(lastOp()).toBe('link.remove');
    expect(
      await added(() =>
        t.call('links.move', { child: child(1), toParent: 'SB00002', reason: 'wrong parent' }),
      ),
    ).toEqual({
      scans: 1,
      outbox: 1,
      audit: 1,
    });
    expect(lastOp()).toBe('link.move');
    expect(await added(() => t.call('links.remove', { child: child(1), reason: 'wrong parent' }))).toEqual({
      scans: 1,
      outbox: 1,
      audit: 1,
    });
    const bill = { billNo: 'B-1', destination: 'Delhi', vehicleNo: 'DL01', capacity: 2 };
    expect(await added(() => t.call('bills.create', bill))).toEqual({ scans: 0, outbox: 1, audit: 1 });
    const onBill = { billNo: 'B-1', parent: 'SB00001' };
    expect(await added(() => t.call('bills.addParent', onBill))).toEqual({ scans: 1, outbox: 1, audit: 1 });
    expect(await added(() => t.call('bills.removeParent', onBill))).toEqual({
      scans: 1,
      outbox: 1,
      audit: 1,
    });
    expect(await added(() => t.call('bills.complete', { billNo: 'B-1' }))).toEqual({
      scans: 0,
      outbox: 1,
      audit: 1,
    });
    expect(await added(() => t.call('bills.reopen', { billNo: 'B-1' }))).toEqual({
      scans: 0,
      outbox: 1,
      audit: 1,
    });
    await t.login('admin');
    const user = { username: 'dock9', role: 'dock', password: PASSWORD };
    expect(await added(() => t.call('users.create', user))).toEqual({ scans: 0, outbox: 1, audit: 1 });
    expect(lastOp()).toBe('user.upsert');
    expect(await added(() => t.call('users.update', { username: 'dock9', displayName: 'Nine' }))).toEqual({
      scans: 0,
      outbox: 1,
      audit: 1,
    });
    expect(await added(() => t.call('settings.update', { name: 'Dock 4' }))).toEqual({
      scans: 0,
      outbox: 1,
      audit: 1,
    });
    expect(lastOp()).toBe('station.update');
  });

  it('a refused bill, link or user call writes nothing, and the outbox sequence stays gapless', async () => {
    await t.scan('SB00001');
    await t.scan(child(1));
    await t.call('bills.create', { billNo: 'B-1', destination: 'Delhi', vehicleNo: 'DL01', capacity: 1 });
    await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
    await t.scan('SB00002');
    await t.scan(child(2));
    const none = { scans: 0, outbox: 0, audit: 0 };
    const refused = async (method: string, args: unknown) =>
      added(async () => expect(await t.refusal(method, args)).not.toBe('internal'));
    expect(
      await refused('bills.create', { billNo: 'B-1', destination: 'X', vehicleNo: 'V', capacity: 1 }),
    ).toEqual(none);
    expect(
      await refused('bills.create', { billNo: 'B 2', destination: 'X', vehicleNo: 'V', capacity: 1 }),
    ).toEqual(none);
    expect(await refused('bills.addParent', { billNo: 'B-1', parent: 'SB00002' })).toEqual(none); // bill_full
    expect(await refused('bills.addParent', { billNo: 'B-9', parent: 'SB00002' })).toEqual(none);
    expect(await refused('bills.reopen', { billNo: 'B-1' })).toEqual(none);
    expect(
      await refused('links.move', { child: child(2), toParent: 'SB00002', reason: 'wrong parent' }),
    ).toEqual(none);
    expect(await refused('links.remove', { child: 'SB00002', reason: 'wrong parent' })).toEqual(none);
    expect(await refused('users.create', { username: 'x1', role: 'dock', password: PASSWORD })).toEqual(none);
    await t.call('bills.complete', { billNo: 'B-1' });
    expect(await refused('bills.complete', { billNo: 'B-1' })).toEqual(none);
    await t.scan('SB00001');
    expect(
      await refused('links.move', { child: child(1), toParent: 'SB00002', reason: 'wrong parent' }),
    ).toEqual(none); // closed bill
    await t.call('bills.reopen', { billNo: 'B-1' });
    const n = t.rows('outbox');
    expect(seqs()).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('a failing write rolls back the whole scan, and the sequence goes on without a gap', async () => {
    await t.scan('SB00001');
    const sqlite = t.station.ctx.sqlite;
    const outboxBefore = t.rows('outbox');
    sqlite.exec(
      `create trigger outbox_down before insert on outbox begin select raise(abort, 'outbox is down'); end`,
    );
    await expect(t.scan(child(1))).rejects.toThrow(/outbox is down/);
    const r = await t.api.dispatch('scan.submit', { code: child(2) });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(t.rows('scans')).toBe(1);
    expect(t.rows('bags')).toBe(1);
    expect(t.rows('links')).toBe(0);
    expect(t.station.activeParent()).toMatchObject({ code: 'SB00001', childCount: 0 });
    sqlite.exec(`drop trigger outbox_down`);
    await t.scan(child(3));
    expect(t.rows('outbox')).toBe(outboxBefore + 1);
    expect(seqs()).toEqual(Array.from({ length: outboxBefore + 1 }, (_, i) => i + 1));
    expect(t.station.activeParent()?.childCount).toBe(1);
  });
});
