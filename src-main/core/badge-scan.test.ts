import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

/**
 * A supervisor's badge read on a scanner while a parent is active (acknowledging a weight that is off, or by
 * mistake) must never become a child bag, even when it matches the child pattern.
 */
describe('a staff badge read as a scan', () => {
  let t: TestStation;
  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.addUser('sup', 'supervisor', { badge: 'SUPBADGE7', pin: '482913' });
    await t.login('dock1');
  });
  afterEach(() => t.dispose());

  it('is refused as badge_not_bag, recorded, and links nothing', async () => {
    await t.scan('SB00001');
    await t.scan(child(1));
    const read = await t.scan('SUPBADGE7');
    expect(read.outcome).toBe('rejected');
    expect(read.reason).toBe('badge_not_bag');
    expect(read.message).toContain('staff badge');
    expect(read.activeParent).toMatchObject({ code: 'SB00001', childCount: 1 });
    expect(t.rows('bags', `code = 'SUPBADGE7'`)).toBe(0);
    expect(t.rows('scans', `code = 'SUPBADGE7' and reason = 'badge_not_bag'`)).toBe(1);
    // A child code nobody wears as a badge still links.
    expect((await t.scan(child(2))).outcome).toBe('linked');
  });
});
