import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../src-shared/audit-text.ts';
import { child, START, type TestStation } from '../testing/test-station.ts';
import { BILL_NO, stationWithBill } from '../export/testing/test-bill.ts';

type Page = { rows: AuditRow[]; total: number };

describe('audit.list', () => {
  let t: TestStation;
  const list = (args: object = {}) => t.call<Page>('audit.list', args);

  beforeAll(async () => {
    t = await stationWithBill();
    // After the bill: a dock worker fills SB00009 and SB00011; the supervisor moves one child and removes another.
    t.clock.advance(3_600_000);
    await t.login('dock1');
    await t.scan('SB00009');
    await t.scan(child(100));
    await t.scan(child(101));
    await t.scan('SB00011');
    await t.scan(child(102));
    await t.login('sup');
    t.clock.advance(60_000);
    await t.call('links.move', { child: child(100), toParent: 'SB00011', reason: 'wrong parent' });
    await t.call('links.remove', { child: child(101), reason: 'wrong parent' });
  });
  afterAll(() => t.dispose());

  it('lists every change newest first with who, what, before and after, and pages through them', async () => {
    const all = await list({ limit: 500 });
    expect(all.total).toBe(t.rows('audit_log'));
    expect(all.rows).toHaveLength(all.total);
    const times = all.rows.map((r) => r.at);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const move = all.rows.find((r) => r.action === 'move')!;
    expect(move).toMatchObject({
      username: 'sup',
      entity: 'link',
      before: { child: child(100), parent: 'SB00009' },
      after: { child: child(100), parent: 'SB00011' },
    });
    expect(typeof move.id).toBe('string');
    expect(typeof move.entityId).toBe('string');

    const first = await list({ limit: 4 });
    const second = await list({ limit: 4, offset: 4 });
    expect(first.total).toBe(all.total);
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(all.rows.slice(0, 8).map((r) => r.id));
  });

  it('filters by user, bill, bag code and dates', async () => {
    const bySup = await list({ user: 'SUP', limit: 500 });
    expect(bySup.rows.length).toBeGreaterThan(0);
    expect(bySup.rows.every((r) => r.username === 'sup')).toBe(true);
    expect(await list({ user: 'nobody' })).toEqual({ rows: [], total: 0 });

    const bill = await list({ billNo: BILL_NO.toLowerCase() });
    expect(bill.rows.map((r) => r.action).sort()).toEqual(
      ['bill.addParent', 'bill.addParent', 'bill.addParent', 'bill.complete', 'bill.create'].sort(),
    );
    expect(bill.total).toBe(5);

    const moved = await list({ code: child(100) });
    expect(moved.rows.map((r) => r.action)).toEqual(['move']);
    const parent = await list({ code: 'sb00009' });
    expect(parent.rows.map((r) => r.action).sort()).toEqual(['move', 'unlink']);
    const addedToBill = await list({ code: 'SB00001' });
    expect(addedToBill.rows.map((r) => r.action)).toEqual(['bill.addParent']);

    expect((await list({ from: '2026-01-16' })).total).toBe(0);
    expect((await list({ to: '2026-01-14' })).total).toBe(0);
    const day = await list({ from: '2026-01-15', to: '2026-01-15', limit: 500 });
    expect(day.total).toBe(t.rows('audit_log'));
    const lastHour = await list({ from: START + 3_600_000 });
    expect(lastHour.rows.every((r) => r.at >= START + 3_600_000)).toBe(true);
    expect(lastHour.rows.map((r) => r.action)).toContain('unlink');
    expect(lastHour.rows.map((r) => r.action)).not.toContain('bill.create');
    const both = await list({ user: 'sup', code: child(101), from: new Date(START).toISOString() });
    expect(both.rows.map((r) => r.action)).toEqual(['unlink']);
  });

  it('refuses a date it cannot read, and anyone below a supervisor', async () => {
    expect(await t.refusal('audit.list', { from: 'yesterday' })).toBe('invalid_date');
    expect(await t.refusal('audit.list', { limit: 0 })).toBe('invalid_input');
    await t.login('dock1');
    expect(await t.refusal('audit.list', {})).toBe('role_required');
    await t.login('sup');
  });
});
