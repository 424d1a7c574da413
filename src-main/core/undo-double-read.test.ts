import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import type { ScanResult } from '../../src-shared/domain.ts';

/**
 * Review findings F2 and F4: a command barcode read twice runs once, and a bag rescanned right after it was undone
 * (or taken out, or moved) links again instead of being taken for a double read.
 */
describe('double reads around undo', () => {
  let t: TestStation;
  const serial = (code: string) =>
    t.station.submitScan({ raw: code, scanner: 'Honeywell 1', source: 'serial:/dev/pts/7' });
  const links = () => t.rows('links', 'removed_at is null');

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.login('dock1');
  });
  afterEach(() => t.dispose());

  it('F2: a command read twice from one input within the window is a double read the second time', async () => {
    await serial('SB00001');
    for (let i = 1; i <= 4; i++) {
      t.clock.advance(2000);
      await serial(child(i));
    }
    t.clock.advance(2000);
    const first = await serial('CMD-UNDO');
    t.clock.advance(51);
    const second = await serial('CMD-UNDO');
    expect(first.outcome).toBe('command');
    expect(second.outcome).toBe('double_read');
    const rows = t.station.ctx.sqlite
      .prepare(`select action, outcome from scans where code = 'CMD-UNDO' order by at`)
      .all();
    expect(rows).toEqual([
      { action: 'ignored', outcome: 'command' },
      { action: 'ignored', outcome: 'double_read' },
    ]);
    // After the window the same command counts again: a worker who means two undos gets them.
    t.clock.advance(1500);
    expect((await serial('CMD-UNDO')).outcome).toBe('command');
    // The command from another input is not silenced by this one.
    const api = await t.call<ScanResult>('scan.submit', { code: 'CMD-UNDO' });
    expect(api.outcome).toBe('command');
  });

  it('F4: serial child, undo, the same child again within the window: it links again', async () => {
    await serial('SB00001');
    t.clock.advance(2000);
    expect((await serial('UND00001')).outcome).toBe('linked');
    t.clock.advance(500);
    expect((await serial('CMD-UNDO')).outcome).toBe('command');
    await t.call('scan.undoLast');
    expect(links()).toBe(0);
    t.clock.advance(500);
    const again = await serial('UND00001');
    expect(again.outcome).toBe('linked');
    expect(again.activeParent?.childCount).toBe(1);
    expect(links()).toBe(1);
  });

  it('F4: API submit, undoLast, submit within the window: it links again', async () => {
    await t.call('scan.submit', { code: 'SB00001' });
    t.clock.advance(2000);
    await t.call('scan.submit', { code: child(1) });
    t.clock.advance(300);
    await t.call('scan.undoLast');
    t.clock.advance(300);
    const again = await t.call<ScanResult>('scan.submit', { code: child(1) });
    expect(again.outcome).toBe('linked');
    expect(links()).toBe(1);
  });

  it('a supervisor taking a child out or moving it also forgets its last read', async () => {
    await t.addUser('sup1', 'supervisor');
    await t.login('sup1');
    await serial('SB00001');
    t.clock.advance(2000);
    await serial(child(1));
    t.clock.advance(100);
    await t.call('links.remove', { child: child(1), reason: 'wrong bag' });
    t.clock.advance(100);
    expect((await serial(child(1))).outcome).toBe('linked');

    await serial('SB00002');
    t.clock.advance(2000);
    await serial(child(2));
    t.clock.advance(100);
    await t.call('links.move', { child: child(2), toParent: 'SB00001', reason: 'wrong bag' });
    t.clock.advance(100);
    // Read again into the active parent SB00002 it is now linked elsewhere: the station says so, it does not
    // silently ignore the read.
    expect((await serial(child(2))).reason).toBe('linked_elsewhere');
  });

  it('a read that is not undone is still a double read', async () => {
    await serial('SB00001');
    t.clock.advance(2000);
    await serial(child(1));
    t.clock.advance(100);
    expect((await serial(child(1))).outcome).toBe('double_read');
  });
});
