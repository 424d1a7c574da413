import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayAndHour } from '../../src-shared/clock.ts';
import type { Dashboard } from '../../src-shared/status.ts';
import { child, createTestStation, PASSWORD, START, type TestStation } from '../testing/test-station.ts';

const DAY = 24 * 3600_000;

describe('stats.dashboard', () => {
  let t: TestStation;

  beforeEach(async () => {
    t = createTestStation();
    // Start yesterday at the same time of day.
    t.clock.advance(-DAY);
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.addUser('dock2', 'dock');
    await t.addUser('sup', 'supervisor');
    // Yesterday: one parent and two links by dock1.
    await t.login('dock1');
    await t.scan('SB00001');
    await t.scan(child(1));
    await t.scan(child(2));
    // Today: dock1 a parent, three links and a refused read; dock2 a parent, one link and two refused reads.
    t.clock.advance(DAY);
    expect(t.clock.now()).toBe(START);
    await t.login('dock1');
    await t.scan('SB00002');
    for (let i = 10; i < 13; i++) await t.scan(child(i));
    await t.scan('BAD-CODE');
    await t.login('dock2');
    await t.scan(child(20)); // no active parent
    await t.scan('SB00003');
    await t.scan(child(20));
    await t.scan('X');
    await t.login('sup');
  });
  afterEach(() => t.dispose());

  it("counts today's parents, links and refusals, in total and per operator", async () => {
    const d = await t.call<Dashboard>('stats.dashboard', {});
    expect(d.day).toBe(dayAndHour(START).day);
    expect(d.today).toEqual({ scans: 9, parents: 2, links: 4, rejected: 3, billAdds: 0 });
    expect(d.perOperator).toEqual([
      { username: 'dock1', parents: 1, links: 3, rejected: 1 },
      { username: 'dock2', parents: 1, links: 1, rejected: 2 },
    ]);
    expect(d.perHour).toHaveLength(24);
    const hour = dayAndHour(START).hour;
    expect(d.perHour[hour]).toEqual({ hour, links: 4, rejected: 3 });
    expect(d.perHour.reduce((n, h) => n + h.links, 0)).toBe(4);
  });

  it('has a 14-day series ending today, with yesterday in it', async () => {
    const d = await t.call<Dashboard>('stats.dashboard', {});
    expect(d.last14Days).toHaveLength(14);
    expect(d.last14Days[13]).toEqual({ day: dayAndHour(START).day, links: 4, parents: 2, rejected: 3 });
    expect(d.last14Days[12]).toEqual({ day: dayAndHour(START - DAY).day, links: 2, parents: 1, rejected: 0 });
    expect(d.last14Days[0]!.day).toBe(dayAndHour(START - 13 * DAY).day);
    expect(d.last14Days.slice(0, 12).every((e) => e.links === 0 && e.parents === 0 && e.rejected === 0)).toBe(
      true,
    );
    expect(new Set(d.last14Days.map((e) => e.day)).size).toBe(14);
  });

  it('shows the station totals and the outbox depth', async () => {
    await t.call('bills.create', { billNo: 'B-1', destination: 'Delhi', vehicleNo: 'DL01', capacity: 2 });
    await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00002' });
    const d = await t.call<Dashboard>('stats.dashboard', {});
    expect(d.totals).toEqual({
      bags: 3 + 6,
      parents: 3,
      children: 6,
      links: 6,
      fullParents: 0,
      billsOpen: 1,
      billsCompleted: 0,
    });
    expect(d.today.billAdds).toBe(1);
    expect(d.outbox.depth).toBe(t.rows('outbox'));
    const oldest = t.station.ctx.sqlite.prepare(`select min(created_at) as at from outbox`).get() as {
      at: number;
    };
    expect(d.outbox.oldestUnsentAt).toBe(oldest.at);
  });

  it('follows sent outbox rows: the depth counts only unsent ones', async () => {
    const total = t.rows('outbox');
    t.station.ctx.sqlite.prepare(`update outbox set sent_at = ? where seq <= 5`).run(t.clock.now());
    const d = await t.call<Dashboard>('stats.dashboard', {});
    expect(d.outbox.depth).toBe(total - 5);
  });

  it('is refused for a dock user (role_required) and with nobody logged in (not_logged_in)', async () => {
    await t.login('dock1');
    expect(await t.refusal('stats.dashboard', {})).toBe('role_required');
    await t.call('auth.logout', {});
    expect(await t.refusal('stats.dashboard', {})).toBe('not_logged_in');
  });
});
