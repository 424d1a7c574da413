import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import { measureScansWithHardware } from './hardware-bench.ts';

// The bench scenario on a small station: it runs end to end (real pty, scale-sim, TCP listener) and reports.
describe('the hardware bench scenario', () => {
  let t: TestStation;
  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('ravi', 'dock');
    await t.login('ravi');
  });
  afterEach(() => t.dispose());

  it('weighs and prints every parent it completes and compares the scans with the bare ones', async () => {
    const report = await measureScansWithHardware(t.station, { floorP99Ms: 1, parents: 3, pauseMs: 500 });
    expect(report.childScanMsBare.n).toBe(90);
    expect(report.childScanMsWithHardware.n).toBe(90);
    expect(report.labelsPrinted).toBe(3);
    expect(report.weighings).toEqual({ recorded: 3 });
    expect(await t.call('hardware.get')).toEqual({ scale: null, printer: null });
  }, 60_000);
});
