/**
 * A completed parent whose label cannot be made (a code no barcode carries) is a failed job with the reason, seen in
 * look-up and the header's counts: never only a log line. A real station file and a real print queue.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStation, type TestStation } from '../testing/test-station.ts';
import { startStationHardware } from './station-hardware.ts';
import type { PrintJobView } from '../../src-shared/hardware.ts';

let ts: TestStation;
let hw: ReturnType<typeof startStationHardware>;

beforeEach(async () => {
  ts = createTestStation();
  await ts.addUser('boss', 'admin');
  await ts.login('boss');
  hw = startStationHardware(ts.station, { queueOptions: { pollIntervalMs: 0 } });
  await ts.call('hardware.configure', {
    printer: { connection: { kind: 'tcp', host: '127.0.0.1', port: 9 }, layout: '4x2in', dpi: 203 },
  });
});

afterEach(async () => {
  await hw.stop();
  ts.dispose();
});

describe('a label that cannot be made', () => {
  it('is a failed job with label_unprintable, counted in the header', async () => {
    const facts = {
      parentCode: 'PB-é1', // outside printable ASCII: no Code 128 carries it (saved before the ASCII rule)
      childCount: 3,
      weightKg: null,
      weightEstimated: true,
      station: 'Dock 1',
      operator: 'boss',
      at: Date.now(),
      billNumber: null,
    };
    expect(() => hw.control.print(facts, 'completed', null)).toThrow(/cannot be printed/);
    const jobs = await ts.call<PrintJobView[]>('printer.jobs', {});
    expect(jobs[0]).toMatchObject({ parentCode: 'PB-é1', state: 'failed', attempts: 0 });
    expect(jobs[0]?.error).toContain('cannot be made');
    expect(hw.control.state().printer?.queue.failed).toBe(1);
    // A reprint asked for is refused to the one who asked (who sees why): no second failed job.
    expect(() => hw.control.print(facts, 'reprint', 'boss')).toThrow(/cannot be printed/);
    expect(hw.control.state().printer?.queue.failed).toBe(1);
  });
});
