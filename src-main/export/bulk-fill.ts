import { uuidv7 } from 'uuidv7';
import type { Sqlite } from '../store/open.ts';

export interface BigBillOptions {
  billNo: string;
  parents: number;
  childrenPerParent: number;
  /** Who scanned and who built the bill: existing user ids. */
  dockUserId: string;
  supervisorUserId: string;
  stationId: string;
  dispatchArea: string;
  at: number;
  /** Put before every parent and child code, so the bill can sit beside other bags (a seeded station's). */
  codePrefix?: string;
}

/**
 * A completed bill of N full parents written straight into the tables in one transaction, the way a long day
 * of scanning would leave them. A bulk load for export benchmarks and tests, not a path any real scan takes:
 * it writes no scans, counters or outbox rows.
 */
export function fillBigBill(sqlite: Sqlite, o: BigBillOptions): { children: number } {
  const bag = sqlite.prepare(
    `insert into bags (id, code, kind, dispatch_area, child_count, first_seen_at, first_seen_by, station_id, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const link = sqlite.prepare(
    `insert into links (id, child_id, parent_id, linked_at, linked_by, station_id) values (?, ?, ?, ?, ?, ?)`,
  );
  const billId = uuidv7();
  const children = o.parents * o.childrenPerParent;
  sqlite.transaction(() => {
    sqlite
      .prepare(
        `insert into bills (id, bill_no, destination, vehicle_no, capacity, description, status, parent_count,
           child_count, dispatch_area, station_id, created_at, created_by, completed_at, completed_by, updated_at)
         values (?, ?, 'दिल्ली (Delhi Hub)', 'DL01AB1234', ?, '', 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        billId,
        o.billNo,
        Math.max(o.parents, 1),
        o.parents,
        children,
        o.dispatchArea,
        o.stationId,
        o.at,
        o.supervisorUserId,
        o.at + 3_600_000,
        o.supervisorUserId,
        o.at + 3_600_000,
      );
    const billBag = sqlite.prepare(
      `insert into bill_bags (id, bill_id, parent_id, added_at, added_by) values (?, ?, ?, ?, ?)`,
    );
    for (let p = 0; p < o.parents; p++) {
      const parentId = uuidv7();
      const at = o.at + p * 60_000;
      const code = `${o.codePrefix ?? ''}SB${String(p).padStart(5, '0')}`;
      bag.run(
        parentId,
        code,
        'parent',
        o.dispatchArea,
        o.childrenPerParent,
        at,
        o.dockUserId,
        o.stationId,
        at,
      );
      for (let c = 0; c < o.childrenPerParent; c++) {
        const childId = uuidv7();
        const childCode = `${o.codePrefix ?? ''}BK${String(p * o.childrenPerParent + c).padStart(8, '0')}`;
        bag.run(childId, childCode, 'child', o.dispatchArea, 0, at + c, o.dockUserId, o.stationId, at + c);
        link.run(uuidv7(), childId, parentId, at + c * 1000, o.dockUserId, o.stationId);
      }
      billBag.run(uuidv7(), billId, parentId, at + 50_000, o.supervisorUserId);
    }
  })();
  return { children };
}

/** N scans spread over one day's working hours: parents, links, refusals with reasons, double reads. */
export function fillDayOfScans(
  sqlite: Sqlite,
  o: { dayStart: number; scans: number; userIds: string[]; stationId: string },
): void {
  const insert = sqlite.prepare(
    `insert into scans (id, at, raw, code, action, outcome, reason, user_id, station_id, scanner, parent_code, bill_no)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'kbd', null, null)`,
  );
  const reasons = ['invalid_code', 'linked_elsewhere', 'parent_full', 'no_active_parent'];
  const span = 12 * 3_600_000;
  sqlite.transaction(() => {
    for (let i = 0; i < o.scans; i++) {
      const at = o.dayStart + 6 * 3_600_000 + Math.floor((i * span) / o.scans);
      const user = o.userIds[i % o.userIds.length] ?? null;
      const k = i % 40;
      const [action, outcome, reason] =
        k === 0
          ? ['parent', 'parent_active', null]
          : k === 39
            ? ['rejected', 'rejected', reasons[Math.floor(i / 40) % reasons.length]!]
            : k === 38
              ? ['ignored', 'double_read', null]
              : ['link', 'linked', null];
      const code = `CX${String(i).padStart(8, '0')}`;
      insert.run(uuidv7(), at, code, code, action, outcome, reason, user, o.stationId);
    }
  })();
}
