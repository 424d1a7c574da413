/**
 * Adversarial review of the counters (issue 15): the dashboard and the end-of-day report of the same day must
 * give the same number for the same word. A parent scanned again (reopened, or full) is counted as a parent by
 * the end-of-day report (every parent scan row) but not by the dashboard (the 'parent' counter leaves out
 * 'parent_again'), so a supervisor reads two different "parents" figures for one day.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { child, createTestStation, type TestStation } from '../testing/test-station.ts';

let ts: TestStation;

beforeEach(async () => {
  ts = createTestStation();
  await ts.addUser('admin', 'admin');
  await ts.addUser('sup', 'supervisor');
  await ts.addUser('dock', 'dock');
  await ts.login('dock');
  await ts.scan('SB00001');
  for (let i = 0; i < 3; i++) await ts.scan(child(i));
  await ts.scan('SB00002');
  await ts.scan(child(10));
  await ts.scan('SB00001'); // reopened: a parent scanned again
  await ts.scan(child(3));
  await ts.login('sup');
});

afterEach(() => ts.dispose());

function summaryOf(csv: string): Map<string, number> {
  const rows = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
  const summary = rows.map((r) => r.split(',')).filter((c) => c[0] === 'summary');
  return new Map(summary.map((c) => [c[4] ?? '', Number(c[5])]));
}

describe('the dashboard and the end-of-day report agree on one day', () => {
  it('count the same parents, children and scans as the rows', async () => {
    const dashboard = await ts.call<{
      day: string;
      today: { scans: number; parents: number; links: number; rejected: number };
    }>('stats.dashboard', {});
    const file = await ts.call<{ dataBase64: string }>('reports.endOfDay', {
      date: dashboard.day,
      format: 'csv',
    });
    const eod = summaryOf(Buffer.from(file.dataBase64, 'base64').toString('utf8'));
    const rows = {
      scans: ts.rows('scans'),
      parentScans: ts.rows('scans', "action = 'parent'"),
      links: ts.rows('scans', "action = 'link' and outcome = 'linked'"),
    };

    expect(eod.get('scans')).toBe(rows.scans);
    expect(dashboard.today.scans).toBe(rows.scans);
    expect(eod.get('children')).toBe(rows.links);
    expect(dashboard.today.links).toBe(rows.links);
    // The same word, the same day, the same station: one figure.
    expect(dashboard.today.parents).toBe(eod.get('parents'));
  });
});
