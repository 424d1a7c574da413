import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { child, createTestStation, type TestStation } from '../testing/test-station.ts';

/** Printed command barcodes and "complete parent", as a worker with only a scanner uses them. */
describe('command barcodes', () => {
  let t: TestStation;
  beforeEach(async () => {
    t = createTestStation();
    await t.addUser('admin', 'admin');
    await t.addUser('dock1', 'dock');
    await t.login('dock1');
  });
  afterEach(() => t.dispose());

  it('a command barcode is recorded as a command, changes nothing and is not a refusal', async () => {
    await t.scan('SB00001');
    const before = t.journal();
    const read = await t.scan(']C1cmd-undo');
    expect(read).toMatchObject({ outcome: 'command', reason: null, code: 'CMD-UNDO' });
    expect(read.activeParent?.code).toBe('SB00001');
    expect(t.journal().scans).toBe(before.scans + 1);
    const row = t.station.ctx.sqlite
      .prepare(`select action, outcome from scans where id = ?`)
      .get(read.scanId);
    expect(row).toEqual({ action: 'ignored', outcome: 'command' });
    expect(t.rows('day_counters', "action = 'rejected'")).toBe(0);
  });

  it('complete parent ends the active parent, so the next child asks for a parent', async () => {
    await t.scan('SB00001');
    await t.scan(child(1));
    expect(await t.call('scan.closeParent')).toEqual({ closed: 'SB00001' });
    expect((await t.scan(child(2))).reason).toBe('no_active_parent');
    expect(await t.call('scan.closeParent')).toEqual({ closed: null });
    expect(t.rows('audit_log', "action = 'scan.closeParent'")).toBe(1);
    await t.call('auth.logout');
    expect(await t.refusal('scan.closeParent')).toBe('not_logged_in');
  });
});
