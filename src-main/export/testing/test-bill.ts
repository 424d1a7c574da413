/**
 * Test support for the export tests: a station with a completed bill whose destination and description are
 * in Hindi (with a comma and quotes, to exercise CSV quoting), filled through the real API by a dock worker
 * and a supervisor on a fake clock. Not used by the app.
 */
import { child, createTestStation, PASSWORD, type TestStation } from '../../testing/test-station.ts';

export const BILL_NO = 'DN-2026/0042';
export const DESTINATION = 'नई दिल्ली, "गेट 4" (Delhi Hub)';
export const DESCRIPTION = 'सावधानी से उठाएँ: पार्सल बैग, Okhla phase II';
export const PARENTS = ['SB00001', 'M444-00002', 'SB00003'] as const;
/** Children per parent, in the order above: one full parent and two part-filled ones. */
export const FILL = [30, 7, 12] as const;

export async function stationWithBill(): Promise<TestStation> {
  const t = createTestStation();
  await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
  await t.addUser('dock1', 'dock');
  await t.addUser('sup', 'supervisor');
  await t.login('dock1');
  let n = 0;
  for (const [i, parent] of PARENTS.entries()) {
    await t.scan(parent);
    for (let c = 0; c < FILL[i]!; c++) {
      t.clock.advance(1500);
      await t.scan(child(n++));
    }
    t.clock.advance(60_000);
  }
  await t.scan('not a bag code!');
  await t.login('sup');
  await t.call('bills.create', {
    billNo: BILL_NO,
    destination: DESTINATION,
    vehicleNo: 'DL01AB1234',
    capacity: 5,
    description: DESCRIPTION,
  });
  for (const parent of PARENTS) {
    t.clock.advance(30_000);
    await t.call('bills.addParent', { billNo: BILL_NO, parent });
  }
  t.clock.advance(60_000);
  await t.call('bills.complete', { billNo: BILL_NO });
  return t;
}
