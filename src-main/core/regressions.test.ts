import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import type { Dashboard } from '../../src-shared/status.ts';

/** Rules that once went wrong: each test is the case that showed it. */
describe('regressions', () => {
  let t: TestStation;

  beforeEach(async () => {
    t = createTestStation();
    await t.addUser('admin', 'admin');
    await t.addUser('dock1', 'dock');
    await t.addUser('dock2', 'dock');
  });
  afterEach(() => t.dispose());

  it('two first-admin creations at once make exactly one admin', async () => {
    const fresh = createTestStation();
    try {
      const results = await Promise.allSettled([
        fresh.station.users.createFirstAdmin({ username: 'one', password: PASSWORD }),
        fresh.station.users.createFirstAdmin({ username: 'two', password: PASSWORD }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({
        reason: { code: 'station_has_users' },
      });
      expect(fresh.rows('users')).toBe(1);
    } finally {
      fresh.dispose();
    }
  });

  it('a dispatch area typed in lower case still matches the station', async () => {
    await t.addUser('local', 'dock', { dispatchArea: ' main ' });
    expect(t.station.ctx.users.byUsername('local')?.dispatchArea).toBe('MAIN');
    await t.login('local');
    expect((await t.scan('SB00001')).outcome).toBe('parent_active');
  });

  it("after a restart, another operator does not inherit the last one's active parent", async () => {
    await t.login('dock1');
    await t.scan('SB00001');
    t.reopen();
    await t.login('dock2');
    expect((await t.scan(child(1))).reason).toBe('no_active_parent');
    t.reopen();
    await t.login('dock2');
    await t.scan('SB00002');
    t.reopen();
    await t.login('dock2');
    expect((await t.scan(child(2))).activeParent?.code).toBe('SB00002');
  });

  it('settings beyond the profile limits are invalid input, not an internal error', async () => {
    await t.login('admin');
    expect(await t.refusal('settings.update', { profile: { undoWindowMs: 8 * 24 * 3600_000 } })).toBe(
      'invalid_input',
    );
    expect(await t.refusal('settings.update', { profile: { childWeightKg: 5000 } })).toBe('invalid_input');
    const kept = await t.call<{ profile: { undoWindowMs: number } }>('settings.get');
    expect(kept.profile.undoWindowMs).toBe(3600_000);
  });

  it('full parents stay counted right when the capacity is lowered', async () => {
    await t.login('admin');
    await t.scan('SB00001');
    await t.scan(child(1));
    await t.scan(child(2));
    await t.call('settings.update', { profile: { parentCapacity: 1 } });
    await t.call('links.remove', { child: child(2), reason: 'wrong parent' });
    const full = t.rows('bags', "kind = 'parent' and child_count >= 1");
    const kept = t.station.ctx.sqlite.prepare(`select n from totals where name = 'full_parents'`).get() as {
      n: number;
    };
    expect(kept.n).toBe(full);
    expect(full).toBe(1);
  });

  it('the dashboard counts links and new parents, not repeat reads', async () => {
    await t.login('admin');
    await t.scan('SB00001');
    await t.scan(child(1));
    t.clock.advance(2000);
    await t.scan(child(1));
    await t.scan('SB00001');
    const d = await t.call<Dashboard>('stats.dashboard');
    expect(d.today.links).toBe(1);
    expect(d.today.parents).toBe(1);
    expect(d.totals.links).toBe(1);
  });

  it('the 14-day chart has 14 different days across a clock change', async () => {
    const tz = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    try {
      t.clock.advance(new Date(2026, 9, 26, 23, 30).getTime() - t.clock.now());
      await t.login('admin');
      const d = await t.call<Dashboard>('stats.dashboard');
      expect(new Set(d.last14Days.map((x) => x.day)).size).toBe(14);
      expect(d.last14Days[13]?.day).toBe('2026-10-26');
      expect(d.last14Days[0]?.day).toBe('2026-10-13');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('bills refuse a capacity out of range in the core and name the same bill plainly', async () => {
    await t.login('admin');
    const admin = t.station.session.operator();
    expect(() =>
      t.station.bills.create(admin, { billNo: 'B1', destination: 'D', vehicleNo: 'V', capacity: 0 }),
    ).toThrow(/1 to 500/);
    await t.call('bills.create', { billNo: 'B1', destination: 'D', vehicleNo: 'V', capacity: 5 });
    await t.scan('SB00001');
    await t.scan(child(1));
    await t.call('bills.addParent', { billNo: 'B1', parent: 'SB00001' });
    expect(await t.refusal('bills.addParent', { billNo: 'B1', parent: 'SB00001' })).toBe(
      'parent_already_on_bill',
    );
  });

  it('a refused scan carries the values of its sentence, so screens can say it in Hindi', async () => {
    await t.login('dock1');
    await t.scan('SB00001');
    await t.login('dock2');
    await t.scan('SB00002');
    await t.scan(child(1));
    await t.login('dock1');
    await t.scan('SB00001');
    const refused = await t.scan(child(1));
    expect(refused).toMatchObject({
      reason: 'linked_elsewhere',
      reasonParams: { child: child(1), otherParent: 'SB00002' },
    });
    expect((await t.scan('SB00003')).reasonParams).toBeUndefined();
  });

  it('status shows nobody once the session has gone idle', async () => {
    await t.login('dock1');
    expect(t.station.status().operator).toBe('dock1');
    t.clock.advance(31 * 60_000);
    expect(t.station.status().operator).toBeNull();
  });

  it('the double-read window runs from the last read that counted', async () => {
    await t.login('dock1');
    await t.scan('SB00001');
    await t.scan(child(1));
    for (let i = 0; i < 3; i++) {
      t.clock.advance(700);
      expect((await t.scan(child(1))).outcome).toBe(i < 2 ? 'double_read' : 'already_linked');
    }
  });
});
