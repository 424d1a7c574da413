import { uuidv7 } from 'uuidv7';
import type { Context } from '../store/context.ts';
import { StationError } from '../../src-shared/errors.ts';
import { normalizeCode } from './normalize.ts';
import type { LinkChange, Operator, ScanAction } from '../../src-shared/domain.ts';
import { requireRole } from './roles.ts';
import { MAX_REASON_LENGTH } from '../../src-shared/limits.ts';
import type { ActiveLinkRow, BagRow } from '../store/bag-repo.ts';

function reasonOrThrow(reason: string | undefined): string {
  const text = reason?.trim() ?? '';
  if (!text) throw new StationError('reason_required');
  return text.slice(0, MAX_REASON_LENGTH);
}

/**
 * Taking children out of parents again: a dock worker's own last link, or any link by a supervisor (with a
 * reason). `joined` says whether the station has joined a centre: then only bags of its own dispatch area may be
 * edited here (the centre's rule; the centre owns the others). `unlinked` hears each child taken out of its
 * parent once that change has committed (the scan flow forgets the child's last read, so a rescan counts).
 */
export function createLinkService(
  ctx: Context,
  joined: () => boolean = () => false,
  unlinked: (childCode: string) => void = () => undefined,
) {
  function committed(change: LinkChange): LinkChange {
    unlinked(change.child);
    return change;
  }

  function ownAreaOnly(bag: BagRow): void {
    const stationArea = ctx.station.dispatchArea;
    if (joined() && bag.dispatchArea !== stationArea)
      throw new StationError('other_area', { code: bag.code, bagArea: bag.dispatchArea, stationArea });
  }

  function bagOrThrow(rawCode: string, kind: 'parent' | 'child'): BagRow {
    const code = normalizeCode(rawCode).code;
    const bag = ctx.bags.byCode(code);
    if (!bag) throw new StationError('bag_not_found', { code });
    if (bag.kind !== kind)
      throw new StationError('kind_mismatch', { code, actual: bag.kind, expected: kind });
    return bag;
  }

  function assertBillOpen(
    parentId: string,
    parentCode: string,
  ): ReturnType<Context['bills']['billOfParent']> {
    const bill = ctx.bills.billOfParent(parentId);
    if (bill && bill.status !== 'open') {
      throw new StationError('parent_on_closed_bill', { parent: parentCode, billNo: bill.billNo });
    }
    return bill;
  }

  /** Removes one link with its counters; the caller has checked who may. */
  function unlink(link: ActiveLinkRow, at: number, operator: Operator): void {
    const parent = ctx.bags.byId(link.parentId) as BagRow;
    const bill = assertBillOpen(parent.id, parent.code);
    ctx.ledger.unlink(link.id, at, operator.id, parent, bill?.id ?? null);
  }

  function record(
    action: ScanAction,
    link: ActiveLinkRow,
    toParent: string | null,
    at: number,
    operator: Operator,
    reason: string | null,
  ) {
    const scanId = uuidv7();
    const scan = {
      id: scanId,
      at,
      raw: link.childCode,
      code: link.childCode,
      action,
      outcome: action === 'move' ? 'moved' : 'unlinked',
      reason: null,
      userId: operator.id,
      scanner: 'screen',
      parentCode: toParent ?? link.parentCode,
      billNo: null,
    };
    ctx.journal.scan(scan);
    const before = { child: link.childCode, parent: link.parentCode };
    const after = { child: link.childCode, parent: toParent, ...(reason && { reason }) };
    ctx.journal.audit({ at, userId: operator.id, action, entity: 'link', entityId: link.id, before, after });
    return scan;
  }

  /** The scan as the centre reads it: who did it by username (the centre judges a link's mover by it). */
  function sent(scan: ReturnType<typeof record>, operator: Operator) {
    return { ...scan, username: operator.username };
  }

  function changeOf(link: ActiveLinkRow, toParent: BagRow | null): LinkChange {
    const from = ctx.bags.byId(link.parentId) as BagRow;
    return {
      child: link.childCode,
      fromParent: link.parentCode,
      toParent: toParent?.code ?? null,
      parentChildCount: (toParent ? (ctx.bags.byId(toParent.id) as BagRow) : from).childCount,
    };
  }

  function remove(operator: Operator, link: ActiveLinkRow, reason: string | null): LinkChange {
    const at = ctx.clock.now();
    unlink(link, at, operator);
    const scan = record('unlink', link, null, at, operator, reason);
    ctx.journal.outbox(
      'link.remove',
      {
        scan: sent(scan, operator),
        linkId: link.id,
        childCode: link.childCode,
        parentCode: link.parentCode,
        at,
      },
      at,
    );
    return changeOf(link, null);
  }

  return {
    /** The operator's own most recent link, within the undo window. */
    undoLast(actor: Operator | null): LinkChange {
      const operator = requireRole(actor, 'dock');
      const change = ctx.transaction(() => {
        const link = ctx.bags.lastLinkBy(operator.id);
        if (!link) throw new StationError('nothing_to_undo');
        const windowMs = ctx.profile.undoWindowMs;
        if (ctx.clock.now() - link.linkedAt > windowMs) {
          throw new StationError('undo_window_passed', {
            child: link.childCode,
            parent: link.parentCode,
            minutes: Math.round(windowMs / 60_000),
          });
        }
        return remove(operator, link, null);
      });
      return committed(change);
    },

    /** Supervisor: take any child out of its parent, saying why. */
    removeChild(actor: Operator | null, childCode: string, reason: string): LinkChange {
      const operator = requireRole(actor, 'supervisor');
      const why = reasonOrThrow(reason);
      const change = ctx.transaction(() => {
        const child = bagOrThrow(childCode, 'child');
        ownAreaOnly(child);
        const link = ctx.bags.activeLinkOfChild(child.id);
        if (!link) throw new StationError('not_linked', { child: child.code });
        return remove(operator, link, why);
      });
      return committed(change);
    },

    /** Supervisor: move a child into another parent in one step, saying why. */
    moveChild(actor: Operator | null, childCode: string, toParentCode: string, reason: string): LinkChange {
      const operator = requireRole(actor, 'supervisor');
      const why = reasonOrThrow(reason);
      const change = ctx.transaction(() => {
        const child = bagOrThrow(childCode, 'child');
        const to = bagOrThrow(toParentCode, 'parent');
        ownAreaOnly(child);
        ownAreaOnly(to);
        const link = ctx.bags.activeLinkOfChild(child.id);
        if (!link) throw new StationError('not_linked', { child: child.code });
        if (link.parentId === to.id)
          throw new StationError('same_parent', { child: child.code, parent: to.code });
        const capacity = ctx.profile.parentCapacity;
        if (to.childCount >= capacity) throw new StationError('parent_full', { parent: to.code, capacity });
        const toBill = assertBillOpen(to.id, to.code);
        const at = ctx.clock.now();
        unlink(link, at, operator);
        const linkId = uuidv7();
        const moved = {
          id: linkId,
          childId: child.id,
          parentId: to.id,
          at,
          userId: operator.id,
          stationId: ctx.station.stationId,
          scanId: null,
        };
        ctx.ledger.link(moved, to, toBill?.id ?? null);
        const scan = record('move', link, to.code, at, operator, why);
        ctx.journal.outbox(
          'link.move',
          {
            scan: sent(scan, operator),
            removedLinkId: link.id,
            linkId,
            childCode: child.code,
            fromParent: link.parentCode,
            toParent: to.code,
            at,
          },
          at,
        );
        return changeOf(link, to);
      });
      return committed(change);
    },
  };
}

export type LinkService = ReturnType<typeof createLinkService>;
