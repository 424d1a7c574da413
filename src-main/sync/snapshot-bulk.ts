import type { CentralApplier } from './apply.ts';
import type { Entity } from './protocol.ts';
import type { Context } from '../store/context.ts';
import { createBulkLedger } from '../store/ledger-bulk.ts';

export type { Entity } from './protocol.ts';

/** A row of a snapshot page, by column name (checked against the protocol's schema for its table). */
export type SnapshotRow = Record<string, unknown>;

export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * The links indexes that only lookups and undo read (not the unique ones the rules rely on) are dropped while a
 * bulk load inserts the links and built again, sorted, in the transaction of its last page: random inserts into
 * them cost about three times the rest of the load. Their DDL is kept in sync_snapshot_indexes, so a load cut
 * short builds them when it resumes. Call inside a transaction.
 */
export function createDeferredIndexes(ctx: Context) {
  const s = ctx.sqlite;
  const names = ['links_parent_idx', 'links_user_idx'];
  const ddl = s.prepare(`select sql from sqlite_master where type = 'index' and name = ?`);
  const keep = s.prepare(`insert or replace into sync_snapshot_indexes (name, sql) values (?, ?)`);
  const kept = s.prepare(`select name, sql from sync_snapshot_indexes`);
  const forget = s.prepare(`delete from sync_snapshot_indexes where name = ?`);
  return {
    drop(): void {
      for (const name of names) {
        const index = ddl.get(name) as { sql: string } | undefined;
        if (!index) continue;
        keep.run(name, index.sql);
        s.exec(`drop index "${name}"`);
      }
    },
    restore(): void {
      for (const { name, sql } of kept.all() as { name: string; sql: string }[]) {
        if (!ddl.get(name)) s.exec(sql);
        forget.run(name);
      }
    },
  };
}

/**
 * Bulk inserts of snapshot pages for a station that had none of these rows; the counters the rows change are
 * added per page by the bulk ledger (set-based, from the rows this page inserted: their rowids are above the
 * table's highest before the page). A row that was here already goes through the applier. Call inside a
 * transaction.
 */
export function createBulkWriter(ctx: Context, applier: CentralApplier) {
  const s = ctx.sqlite;
  const ledger = createBulkLedger(s, () => ctx.profile.parentCapacity);
  const insertBag = s.prepare(
    `insert or ignore into bags (id, code, kind, dispatch_area, child_count, first_seen_at, first_seen_by, station_id,
       updated_at) values (?, ?, ?, ?, 0, ?, null, ?, ?)`,
  );
  // By the centre's bag ids first (the bags this load wrote carry them: primary key lookups in id order), by
  // code for a bag that was here before.
  const insertLinkByIds = s.prepare(
    `insert or ignore into links (id, child_id, parent_id, linked_at, linked_by, station_id, scan_id)
     select ?, c.id, p.id, ?, ?, ?, null from bags c, bags p
     where c.id = ? and c.kind = 'child' and p.id = ? and p.kind = 'parent'`,
  );
  const insertLink = s.prepare(
    `insert or ignore into links (id, child_id, parent_id, linked_at, linked_by, station_id, scan_id)
     select ?, c.id, p.id, ?, ?, ?, null from bags c, bags p
     where c.code = ? and c.kind = 'child' and p.code = ? and p.kind = 'parent'`,
  );
  const insertBill = s.prepare(
    `insert or ignore into bills (id, bill_no, destination, vehicle_no, capacity, description, status, parent_count,
       child_count, dispatch_area, station_id, created_at, created_by, completed_at, completed_by, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertBillBag = s.prepare(
    `insert or ignore into bill_bags (id, bill_id, parent_id, added_at, added_by)
     select ?, b.id, p.id, ?, ? from bills b, bags p where b.bill_no = ? and p.code = ? and p.kind = 'parent'`,
  );
  const usersByName = s.prepare(`select id, username from users`);

  /** Links and bills name users; the station keeps its own user id where it has one (as the applier does). */
  function userRefs(): (name: unknown) => string {
    const ids = new Map(
      (usersByName.all() as { id: string; username: string }[]).map((u) => [u.username, u.id]),
    );
    return (name) => {
      const n = str(name) ?? 'centre';
      return ids.get(n) ?? n;
    };
  }

  function fallback(entity: Entity, row: SnapshotRow): void {
    applier.apply({ entity, row });
  }

  function writeBags(rows: SnapshotRow[]): void {
    const at = ctx.clock.now();
    let parents = 0;
    let children = 0;
    for (const r of rows) {
      const kind = r.kind === 'parent' ? 'parent' : 'child';
      const firstSeen = num(r.first_seen_at) ?? at;
      const { changes } = insertBag.run(
        r.id,
        r.code,
        kind,
        r.dispatch_area,
        firstSeen,
        str(r.station_id) ?? 'centre',
        firstSeen,
      );
      if (changes === 0) fallback('bags', r);
      else if (kind === 'parent') parents++;
      else children++;
    }
    ledger.bagsAdded(parents, children);
  }

  function writeLinks(rows: SnapshotRow[]): void {
    const at = ctx.clock.now();
    const userRef = userRefs();
    const mark = ledger.linksMark();
    const missed: SnapshotRow[] = [];
    let inserted = 0;
    for (const r of rows) {
      const linkedAt = num(r.linked_at) ?? at;
      const values = [r.id, linkedAt, userRef(r.linked_by), str(r.station_id) ?? 'centre'];
      const { changes } =
        r.child_id && r.parent_id && insertLinkByIds.run(...values, r.child_id, r.parent_id).changes === 1
          ? { changes: 1 }
          : insertLink.run(...values, r.child_code, r.parent_code);
      if (changes === 0) missed.push(r);
      else inserted++;
    }
    ledger.linksAdded(mark, inserted, at);
    for (const r of missed) fallback('links', r);
  }

  function writeBills(rows: SnapshotRow[]): void {
    const at = ctx.clock.now();
    const userRef = userRefs();
    let open = 0;
    let completed = 0;
    for (const r of rows) {
      const done = r.status === 'completed';
      const { changes } = insertBill.run(
        r.id,
        r.bill_no,
        str(r.destination) ?? '',
        str(r.vehicle_no) ?? '',
        num(r.capacity) ?? 1,
        str(r.description) ?? '',
        done ? 'completed' : 'open',
        str(r.dispatch_area) ?? ctx.station.dispatchArea,
        str(r.station_id) ?? 'centre',
        num(r.created_at) ?? at,
        userRef(r.created_by),
        done ? (num(r.completed_at) ?? at) : null,
        done ? str(r.completed_by) : null,
        at,
      );
      if (changes === 0) fallback('bills', r);
      else if (done) completed++;
      else open++;
    }
    ledger.billsAdded(open, completed);
  }

  function writeBillBags(rows: SnapshotRow[]): void {
    const at = ctx.clock.now();
    const userRef = userRefs();
    const mark = ledger.billBagsMark();
    const missed: SnapshotRow[] = [];
    for (const r of rows) {
      const { changes } = insertBillBag.run(
        r.id,
        num(r.added_at) ?? at,
        userRef(r.added_by),
        r.bill_no,
        r.parent_code,
      );
      if (changes === 0) missed.push(r);
    }
    ledger.billBagsAdded(mark, at);
    for (const r of missed) fallback('bill_bags', r);
  }

  return {
    write(entity: Exclude<Entity, 'users'>, rows: SnapshotRow[]): void {
      if (entity === 'bags') writeBags(rows);
      else if (entity === 'links') writeLinks(rows);
      else if (entity === 'bills') writeBills(rows);
      else writeBillBags(rows);
    },
  };
}
