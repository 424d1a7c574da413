import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import type { BagStory } from '../../src-shared/domain.ts';

describe('bags.lookup', () => {
  let t: TestStation;

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.addUser('sup', 'supervisor');
    await t.login('sup');
    await t.call('bills.create', { billNo: 'B-1', destination: 'Delhi', vehicleNo: 'DL01', capacity: 2 });
    await t.login('dock1');
    await t.scan('SB00001');
    t.clock.advance(1000);
    await t.scan(child(3));
    t.clock.advance(1000);
    await t.scan(child(1));
    t.clock.advance(1000);
    await t.scan(child(2));
    await t.login('sup');
    await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
    await t.login('dock1');
  });
  afterEach(() => t.dispose());

  it("a child's story: its parent, the parent's bill and the child's reads", async () => {
    const story = await t.call<BagStory>('bags.lookup', { code: ` ]C1${child(1).toLowerCase()} ` });
    expect(story.code).toBe(child(1));
    expect(story.bag).toMatchObject({ code: child(1), kind: 'child', dispatchArea: 'MAIN' });
    expect(story.parent).toMatchObject({ code: 'SB00001', childCount: 3, linkedBy: 'dock1' });
    expect(story.children).toEqual([]);
    expect(story.bill).toEqual({ billNo: 'B-1', status: 'open', destination: 'Delhi' });
    expect(story.history).toHaveLength(1);
    expect(story.history[0]).toMatchObject({
      action: 'link',
      outcome: 'linked',
      username: 'dock1',
      parentCode: 'SB00001',
    });
  });

  it("a child's history grows with every read of it, newest first", async () => {
    t.clock.advance(2000);
    await t.scan('SB00002');
    await t.scan(child(1));
    const story = await t.call<BagStory>('bags.lookup', { code: child(1) });
    expect(story.history.map((h) => h.outcome)).toEqual(['rejected', 'linked']);
    expect(story.history[0]).toMatchObject({ reason: 'linked_elsewhere', parentCode: 'SB00002' });
  });

  it("a parent's story lists its children in link order", async () => {
    const story = await t.call<BagStory>('bags.lookup', { code: 'sb00001' });
    expect(story.bag).toMatchObject({ code: 'SB00001', kind: 'parent', childCount: 3 });
    expect(story.parent).toBeNull();
    expect(story.children.map((c) => c.code)).toEqual([child(3), child(1), child(2)]);
    expect(story.children.every((c) => c.linkedBy === 'dock1')).toBe(true);
    expect(story.bill).toMatchObject({ billNo: 'B-1', status: 'open' });
    expect(story.history.map((h) => h.action)).toEqual(['bill_add', 'parent']);
  });

  it('an unknown code has no bag but shows its rejected reads', async () => {
    await t.scan('XY-123');
    t.clock.advance(2000);
    await t.scan('xy-123');
    const story = await t.call<BagStory>('bags.lookup', { code: 'XY-123' });
    expect(story).toMatchObject({ code: 'XY-123', bag: null, parent: null, children: [], bill: null });
    expect(story.history).toHaveLength(2);
    expect(story.history.every((h) => h.action === 'rejected' && h.reason === 'invalid_code')).toBe(true);
    const never = await t.call<BagStory>('bags.lookup', { code: 'NEVER001' });
    expect(never).toMatchObject({ bag: null, history: [] });
  });

  it('is refused with not_logged_in when nobody is logged in', async () => {
    await t.call('auth.logout', {});
    expect(await t.refusal('bags.lookup', { code: child(1) })).toBe('not_logged_in');
  });
});
