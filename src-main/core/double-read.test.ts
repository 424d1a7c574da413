import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { READ_MEMORY_LIMIT } from './read-memory.ts';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import type { ScanResult } from '../../src-shared/domain.ts';

/** The double-read memory: keyed by the real input, bounded, and written only after the scan has committed. */
describe('double reads', () => {
  let t: TestStation;
  const apiScan = (code: string, scanner?: string) =>
    t.call<ScanResult>('scan.submit', scanner ? { code, scanner } : { code });

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.login('dock1');
  });
  afterEach(() => t.dispose());

  it('an API caller cannot get round the window by naming another scanner each time', async () => {
    await apiScan('SB00001', 'gun-a');
    await apiScan(child(1), 'gun-a');
    const again = await apiScan(child(1), 'gun-b');
    expect(again.outcome).toBe('double_read');
    expect(t.rows('scans', `outcome = 'double_read' and scanner = 'gun-b'`)).toBe(1);
  });

  it('an API caller cannot silence a serial scanner by using its name', async () => {
    await apiScan('SB00001', 'Honeywell 1');
    await apiScan(child(1), 'Honeywell 1');
    const serial = await t.station.submitScan({
      raw: child(1),
      scanner: 'Honeywell 1',
      source: 'serial:/dev/ttyACM0',
    });
    expect(serial.outcome).toBe('already_linked');
  });

  it('a read whose commit failed is not remembered: reading it again links it', async () => {
    await t.scan('SB00001');
    const sqlite = t.station.ctx.sqlite;
    // A real failed COMMIT: a deferred foreign key that only the commit checks.
    sqlite.exec(`create table commit_guard (bag_id text references bags(id) deferrable initially deferred)`);
    sqlite.exec(
      `create trigger fail_commit after insert on links begin insert into commit_guard values ('none'); end`,
    );
    await expect(t.scan(child(1))).rejects.toThrow(/FOREIGN KEY/);
    expect(t.rows('links')).toBe(0);
    expect(sqlite.inTransaction).toBe(false);
    sqlite.exec(`drop trigger fail_commit`);

    t.clock.advance(100);
    const retry = await t.scan(child(1));
    expect(retry.outcome).toBe('linked');
    expect(t.rows('links')).toBe(1);
  });

  it('a read whose transaction failed inside its own savepoint is not remembered either', async () => {
    await t.scan('SB00001');
    const sqlite = t.station.ctx.sqlite;
    sqlite.exec(
      `create temp trigger fail_outbox before insert on outbox begin select raise(abort, 'full'); end`,
    );
    await expect(t.scan(child(1))).rejects.toThrow(/full/);
    sqlite.exec(`drop trigger temp.fail_outbox`);
    expect((await t.scan(child(1))).outcome).toBe('linked');
  });

  it('two reads of one code in the same group commit: the second is a double read', async () => {
    await t.scan('SB00001');
    const [first, second] = await Promise.all([t.scan(child(1)), t.scan(child(1))]);
    expect(first.outcome).toBe('linked');
    expect(second.outcome).toBe('double_read');
  });

  it('the memory is bounded: reads from many inputs keep at most its limit', async () => {
    await t.scan('SB00001');
    const reads: Promise<ScanResult>[] = [];
    for (let i = 0; i < READ_MEMORY_LIMIT * 4; i++) {
      reads.push(t.station.submitScan({ raw: child(i), scanner: 'x', source: `serial:/dev/pts/${i}` }));
    }
    await Promise.all(reads);
    expect(t.station.readMemorySize()).toBeLessThanOrEqual(READ_MEMORY_LIMIT);
    // The most recent inputs are still remembered.
    const last = READ_MEMORY_LIMIT * 4 - 1;
    const again = await t.station.submitScan({
      raw: child(last),
      scanner: 'x',
      source: `serial:/dev/pts/${last}`,
    });
    expect(again.outcome).toBe('double_read');
  });
});
