import { uuidv7 } from 'uuidv7';
import type { Context } from '../store/context.ts';
import type { ActiveLinkRow, BagRow } from '../store/bag-repo.ts';
import type { Role } from '../../src-shared/roles.ts';

/** A row of a central table as the change log carries it (to_jsonb of the row: snake_case keys). */
export interface CentralRow {
  entity: string;
  row: Record<string, unknown>;
  /** Only in a push reply: the centre kept this row active, so a local removal of it is undone. */
  restore?: boolean;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Applies the centre's rows to the station's own tables; every change that moves a counter (bag child counts,
 * bill counts, totals) goes through the ledger. The centre wins: an active central link replaces the child's
 * other local link.
 * Rows the station wrote itself come back too; a local row with the same id is left as it is, because the
 * station's own later change (still in the outbox) is newer than the copy coming down.
 * Call inside a transaction.
 */
export function createCentralApplier(ctx: Context) {
  const s = ctx.sqlite;
  const linkById = s.prepare(`select id, removed_at as removedAt from links where id = ?`);
  const linkRowById = s.prepare(
    `select l.id, l.child_id as childId, c.code as childCode, l.parent_id as parentId, p.code as parentCode,
       l.linked_at as linkedAt, l.linked_by as linkedBy
     from links l join bags c on c.id = l.child_id join bags p on p.id = l.parent_id where l.id = ?`,
  );
  const billBagById = s.prepare(`select id, removed_at as removedAt from bill_bags where id = ?`);
  const userIdByName = s.prepare(`select id from users where username = ?`);

  function userRef(username: unknown): string {
    const name = str(username) ?? 'centre';
    const u = userIdByName.get(name) as { id: string } | undefined;
    return u?.id ?? name;
  }

  function ensureBag(code: string, kind: 'parent' | 'child', row: Record<string, unknown>): BagRow | null {
    const existing = ctx.bags.byCode(code);
    if (existing) return existing.kind === kind ? existing : null;
    const id = str(row.code) === code && row.id ? String(row.id) : uuidv7();
    ctx.ledger.addBag({
      id,
      code,
      kind,
      dispatchArea: str(row.dispatch_area) ?? ctx.station.dispatchArea,
      at: num(row.first_seen_at) ?? num(row.linked_at) ?? num(row.added_at) ?? ctx.clock.now(),
      userId: null,
      stationId: str(row.station_id) ?? 'centre',
    });
    return ctx.bags.byCode(code) as BagRow;
  }

  const billIdOf = (parentId: string) => ctx.bills.billOfParent(parentId)?.id ?? null;

  function unlinkLocal(link: ActiveLinkRow, at: number, by: string): void {
    const parent = ctx.bags.byId(link.parentId) as BagRow;
    ctx.ledger.unlink(link.id, at, by, parent, billIdOf(parent.id));
  }

  function applyLink(row: Record<string, unknown>): void {
    const id = String(row.id);
    const local = linkById.get(id) as { id: string; removedAt: number | null } | undefined;
    const removedAt = num(row.removed_at);
    if (removedAt !== null) {
      if (local && local.removedAt === null) {
        unlinkLocal(linkRowById.get(id) as ActiveLinkRow, removedAt, userRef(row.removed_by));
      }
      return;
    }
    if (local) return;
    const child = ensureBag(String(row.child_code), 'child', {});
    const parent = ensureBag(String(row.parent_code), 'parent', {});
    if (!child || !parent) return;
    const at = num(row.linked_at) ?? ctx.clock.now();
    const current = ctx.bags.activeLinkOfChild(child.id);
    if (current) unlinkLocal(current, at, 'centre');
    const link = {
      id,
      childId: child.id,
      parentId: parent.id,
      at,
      userId: userRef(row.linked_by),
      stationId: str(row.station_id) ?? 'centre',
      scanId: null,
    };
    // Read again: unlinking the child's other link may have changed this parent's count.
    ctx.ledger.link(link, ctx.bags.byId(parent.id) as BagRow, billIdOf(parent.id));
  }

  function applyBill(row: Record<string, unknown>): void {
    const billNo = String(row.bill_no);
    let bill = ctx.bills.byNo(billNo);
    const at = ctx.clock.now();
    if (!bill) {
      ctx.ledger.addBill({
        id: String(row.id),
        billNo,
        destination: String(row.destination ?? ''),
        vehicleNo: String(row.vehicle_no ?? ''),
        capacity: Number(row.capacity ?? 1),
        description: String(row.description ?? ''),
        dispatchArea: str(row.dispatch_area) ?? ctx.station.dispatchArea,
        stationId: str(row.station_id) ?? 'centre',
        at: num(row.created_at) ?? at,
        userId: userRef(row.created_by),
      });
      bill = ctx.bills.byNo(billNo)!;
    }
    const status = row.status === 'completed' ? 'completed' : 'open';
    if (bill.status !== status) {
      ctx.ledger.setBillStatus(bill.id, status, num(row.completed_at) ?? at, str(row.completed_by));
    }
  }

  function applyBillBag(row: Record<string, unknown>, restore: boolean): void {
    const id = String(row.id);
    const local = billBagById.get(id) as { id: string; removedAt: number | null } | undefined;
    const parent = ensureBag(String(row.parent_code), 'parent', {});
    const bill = ctx.bills.byNo(String(row.bill_no));
    if (!parent || !bill) return;
    const at = num(row.removed_at) ?? num(row.added_at) ?? ctx.clock.now();
    const current = ctx.bills.billOfParent(parent.id);
    if (restore && local && local.removedAt !== null && !current && num(row.removed_at) === null) {
      ctx.ledger.restoreOnBill(id, bill.id, parent, at);
      return;
    }
    if (num(row.removed_at) !== null) {
      if (local && local.removedAt === null && current?.billBagId === id) {
        ctx.ledger.takeOffBill(id, current.id, parent, at, userRef(row.removed_by));
      }
      return;
    }
    if (local) return;
    if (current) ctx.ledger.takeOffBill(current.billBagId, current.id, parent, at, 'centre');
    ctx.ledger.putOnBill(id, bill.id, parent, at, userRef(row.added_by));
  }

  function applyUser(row: Record<string, unknown>): void {
    const username = String(row.username);
    const local = ctx.users.byUsername(username);
    if (row.forget === true) {
      // The user left this station's area or was switched off at the centre: no hash of theirs stays here.
      if (local)
        ctx.users.update({ ...local, passwordHash: '', pinHash: null, active: 0, at: ctx.clock.now() });
      return;
    }
    const fields = {
      displayName: String(row.display_name ?? username),
      role: String(row.role) as Role,
      dispatchArea: str(row.dispatch_area),
      passwordHash: String(row.password_hash),
      badgeCode: str(row.badge_code),
      pinHash: str(row.pin_hash),
    };
    const at = ctx.clock.now();
    // A badge held by another local user would break the unique index: that one change waits for a fix.
    const holder = fields.badgeCode ? ctx.users.byBadge(fields.badgeCode) : undefined;
    if (holder && holder.username !== username) fields.badgeCode = null;
    if (!local) {
      ctx.users.insert({ id: String(row.id), username, ...fields, at });
      if (row.active === false) {
        const created = ctx.users.byUsername(username)!;
        ctx.users.update({ ...created, active: 0, at });
      }
      return;
    }
    ctx.users.update({ ...local, ...fields, active: row.active === false ? 0 : 1, at });
  }

  return {
    apply(change: CentralRow): void {
      switch (change.entity) {
        case 'bags': {
          const kind = change.row.kind === 'parent' ? 'parent' : 'child';
          ensureBag(String(change.row.code), kind, change.row);
          return;
        }
        case 'links':
          return applyLink(change.row);
        case 'bills':
          return applyBill(change.row);
        case 'bill_bags':
          return applyBillBag(change.row, change.restore === true);
        case 'users':
          return applyUser(change.row);
        default:
          return;
      }
    },
  };
}

export type CentralApplier = ReturnType<typeof createCentralApplier>;
