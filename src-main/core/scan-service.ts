import { uuidv7 } from 'uuidv7';
import type { Context } from '../store/context.ts';
import { formatError, type ErrorCode, type ErrorParams } from '../../src-shared/errors.ts';
import {
  classifyCode,
  MAX_CODE_LENGTH,
  MIN_CODE_LENGTH,
  normalizeCode,
  printableRaw,
  type NormalizedCode,
} from './normalize.ts';
import type { ActiveParent, Operator, ScanAction, ScanOutcome, ScanResult } from '../../src-shared/domain.ts';
import { isCommandCode } from '../../src-shared/commands.ts';
import { scanMessage } from '../../src-shared/scan-text.ts';
import { hasRole, requireRole } from './roles.ts';
import type { BagRow } from '../store/bag-repo.ts';
import { createReadMemory } from './read-memory.ts';
import { weightView } from './weight-view.ts';
import { weightOffParams } from '../../src-shared/weight-text.ts';

export interface ScanInput {
  /** What the input sent, as it is recorded. */
  raw: string;
  /** The text to read as a code when it differs from raw (a scanner's prefix and suffix already cut off). */
  code?: string;
  /** The scanner's name as recorded with the scan (a caller may choose it: it is only a label). */
  scanner: string;
  /**
   * The input the read really came from, as the station knows it (`serial:/dev/ttyACM0`, `api`): the double-read
   * window is per source, so no caller can bypass it, or silence another scanner, by naming a scanner.
   */
  source: string;
  operator: Operator | null;
  /** Set when the scanner's decoder already refused the line (too long, not text ...). */
  rejectedReason?: ErrorCode;
}

interface Decision {
  action: ScanAction;
  /** Set for reads that change nothing (already linked, a known parent again): counted apart. */
  counter?: 'already_linked' | 'parent_again' | 'command';
  outcome: ScanOutcome;
  reason: ErrorCode | null;
  params: ErrorParams;
  parentCode: string | null;
  otherParent?: string;
  /** The read counts for the double-read window: remembered once its transaction has committed. */
  counts?: boolean;
}

/**
 * The mode-less link flow. A parent code makes that parent active; a child code links to the active parent.
 * Invariant: a result is returned only after the scan row, the state change, the counters and the outbox row
 * have committed together; a refused or ignored read is recorded the same way.
 */
export function createScanService(ctx: Context) {
  const reads = createReadMemory();

  function activeParentOf(parent: BagRow | undefined): ActiveParent | null {
    if (!parent) return null;
    const bill = ctx.bills.billOfParent(parent.id);
    return {
      code: parent.code,
      childCount: parent.childCount,
      capacity: ctx.profile.parentCapacity,
      billNo: bill?.billNo ?? null,
    };
  }

  function currentParent(): BagRow | undefined {
    const id = ctx.stationRepo.activeParentId();
    return id ? ctx.bags.byId(id) : undefined;
  }

  function refuse(reason: ErrorCode, params: ErrorParams = {}, parentCode: string | null = null): Decision {
    return { action: 'rejected', outcome: 'rejected', reason, params, parentCode };
  }

  function ensureBag(
    existing: BagRow | undefined,
    code: string,
    kind: 'parent' | 'child',
    at: number,
    operator: Operator,
    effects: unknown[],
  ): BagRow {
    if (existing) return existing;
    const bag = { id: uuidv7(), code, kind, dispatchArea: ctx.station.dispatchArea, at, userId: operator.id };
    ctx.ledger.addBag({ ...bag, stationId: ctx.station.stationId });
    effects.push({ type: 'bag.created', id: bag.id, code, kind, dispatchArea: bag.dispatchArea, at });
    return { id: bag.id, code, kind, dispatchArea: bag.dispatchArea, childCount: 0, firstSeenAt: at };
  }

  function inOtherArea(bag: BagRow | undefined, operator: Operator): boolean {
    return !!bag && bag.dispatchArea !== ctx.station.dispatchArea && !hasRole(operator, 'supervisor');
  }

  /**
   * With the profile's weightRequired, a completed parent waiting for its weight holds back any other parent
   * (the same one scanned again is let through: it is being filled again). The waiting parent's code, or null.
   */
  function weightWaitingFor(scanned: BagRow | undefined): string | null {
    if (!ctx.profile.weightRequired) return null;
    const pendingId = ctx.stationRepo.weighPendingParentId();
    if (!pendingId || pendingId === scanned?.id) return null;
    return ctx.bags.byId(pendingId)?.code ?? null;
  }

  /**
   * A weight off by more than the tolerance waits for a supervisor, like a red flash: no other parent starts
   * meanwhile (the worker may still reopen that parent to find its missing bags).
   */
  function offWeightWaitingFor(scanned: BagRow | undefined): Decision | null {
    const row = ctx.weights.unacknowledged(1)[0];
    if (!row || row.parentId === scanned?.id) return null;
    const off = weightView(ctx, row, { id: row.parentId, code: row.parentCode, childCount: row.childCount });
    return refuse('weight_off', weightOffParams(off), off.parentCode);
  }

  function scanParent(
    code: string,
    existing: BagRow | undefined,
    at: number,
    operator: Operator,
    effects: unknown[],
  ): Decision {
    if (inOtherArea(existing, operator)) {
      return refuse('other_area', {
        code,
        bagArea: existing!.dispatchArea,
        stationArea: ctx.station.dispatchArea,
      });
    }
    const waiting = weightWaitingFor(existing);
    if (waiting) return refuse('weight_required', { parent: waiting }, waiting);
    const off = offWeightWaitingFor(existing);
    if (off) return off;
    // Checked here, at the parent scan, not at the next child: the worker learns it while holding this bag.
    const bill = existing ? ctx.bills.billOfParent(existing.id) : undefined;
    if (bill && bill.status !== 'open') {
      return refuse('parent_on_closed_bill', { parent: code, billNo: bill.billNo }, code);
    }
    const parent = ensureBag(existing, code, 'parent', at, operator, effects);
    ctx.stationRepo.setActiveParent(parent.id, operator.id);
    const decision: Decision = {
      action: 'parent',
      outcome: 'parent_active',
      reason: null,
      params: {},
      parentCode: code,
    };
    if (!existing) return decision;
    // A known parent: full (nothing more goes in), reopened with its bags, or known but still empty.
    const outcome: ScanOutcome =
      existing.childCount >= ctx.profile.parentCapacity
        ? 'parent_full'
        : existing.childCount > 0
          ? 'parent_reopened'
          : 'parent_active';
    // Scanned again and made active, it may change: its weighings are stale, as the centre reads them too
    // (drizzle/central/0012 parent_weight_now: a parent scan after the weighing).
    ctx.ledger.parentChanged(existing.id, at);
    return { ...decision, outcome, counter: 'parent_again' };
  }

  function scanChild(
    code: string,
    child: BagRow | undefined,
    at: number,
    scanId: string,
    operator: Operator,
    effects: unknown[],
  ): Decision {
    const parent = currentParent();
    if (!parent) return refuse('no_active_parent');
    const existingLink = child ? ctx.bags.activeLinkOfChild(child.id) : undefined;
    if (existingLink?.parentId === parent.id) {
      return {
        action: 'link',
        counter: 'already_linked',
        outcome: 'already_linked',
        reason: null,
        params: {},
        parentCode: parent.code,
      };
    }
    if (existingLink) {
      return {
        ...refuse('linked_elsewhere', { child: code, otherParent: existingLink.parentCode }, parent.code),
        otherParent: existingLink.parentCode,
      };
    }
    if (inOtherArea(child, operator)) {
      return refuse(
        'other_area',
        { code, bagArea: child!.dispatchArea, stationArea: ctx.station.dispatchArea },
        parent.code,
      );
    }
    const capacity = ctx.profile.parentCapacity;
    if (parent.childCount >= capacity)
      return refuse('parent_full', { parent: parent.code, capacity }, parent.code);
    const bill = ctx.bills.billOfParent(parent.id);
    if (bill && bill.status !== 'open') {
      return refuse('parent_on_closed_bill', { parent: parent.code, billNo: bill.billNo }, parent.code);
    }

    const childBag = ensureBag(child, code, 'child', at, operator, effects);
    const linkId = uuidv7();
    const link = {
      id: linkId,
      childId: childBag.id,
      parentId: parent.id,
      at,
      userId: operator.id,
      stationId: ctx.station.stationId,
      scanId,
    };
    ctx.ledger.link(link, parent, bill?.id ?? null);
    const full = parent.childCount + 1 >= capacity;
    effects.push({ type: 'link.created', id: linkId, childCode: code, parentCode: parent.code, at });
    return {
      action: 'link',
      outcome: full ? 'parent_full' : 'linked',
      reason: null,
      params: {},
      parentCode: parent.code,
    };
  }

  function decide(
    input: ScanInput,
    normalized: NormalizedCode,
    at: number,
    scanId: string,
    effects: unknown[],
  ): Decision {
    const code = normalized.code;
    if (input.rejectedReason) return refuse(input.rejectedReason);
    const operator = input.operator;
    if (!operator) return refuse('not_logged_in');
    if (!normalized.ok) {
      const { reason, code: shown, char } = normalized;
      return refuse(reason, { min: MIN_CODE_LENGTH, max: MAX_CODE_LENGTH, code: shown, char: char ?? '' });
    }
    // The window runs from the last read that counted: a code held under a scanner is ignored for the
    // window, then counts again (and is then "already linked"), so nothing is ignored for ever. A command
    // barcode is a read like any other: read twice it is ignored the second time, so it runs once.
    if (reads.isDoubleRead(input.source, code, at, ctx.profile.doubleReadWindowMs)) {
      return { action: 'ignored', outcome: 'double_read', reason: null, params: {}, parentCode: null };
    }
    if (isCommandCode(code)) {
      return {
        action: 'ignored',
        counter: 'command',
        outcome: 'command',
        reason: null,
        params: {},
        parentCode: null,
        counts: true,
      };
    }
    return { ...decideCode(code, at, scanId, operator, effects), counts: true };
  }

  function decideCode(code: string, at: number, scanId: string, operator: Operator, effects: unknown[]) {
    const known = ctx.bags.byCode(code);
    // A staff badge read on a scanner (a supervisor acknowledging a weight, someone logging in) is never a bag,
    // whatever the child pattern says: refused, so the screens can take it as the badge it is.
    if (!known && ctx.users.byBadge(code)) return refuse('badge_not_bag', { code });
    const kind = known?.kind ?? classifyCode(code, ctx.profile);
    if (!kind) {
      return refuse('invalid_code', {
        code,
        detail: 'it matches no parent or child bag pattern of this station',
      });
    }
    return kind === 'parent'
      ? scanParent(code, known, at, operator, effects)
      : scanChild(code, known, at, scanId, operator, effects);
  }

  function messageFor(d: Decision, code: string, active: ActiveParent | null): string {
    return d.reason ? formatError(d.reason, d.params) : scanMessage(d.outcome, code, active);
  }

  return {
    submit(input: ScanInput): ScanResult {
      const at = ctx.clock.now();
      const normalized = normalizeCode(input.code ?? input.raw);
      const code = normalized.code;
      const raw = printableRaw(input.raw);
      let counts = false;
      const result = ctx.transaction(() => {
        const scanId = uuidv7();
        const effects: unknown[] = [];
        const d = decide(input, normalized, at, scanId, effects);
        counts = d.counts === true;
        const active = activeParentOf(currentParent());
        const scan = {
          id: scanId,
          at,
          raw,
          code,
          action: d.action,
          outcome: d.outcome,
          reason: d.reason,
          userId: input.operator?.id ?? null,
          scanner: input.scanner,
          parentCode: d.parentCode,
          billNo: null,
        };
        ctx.journal.scan(scan, d.counter);
        ctx.journal.outbox(
          'scan',
          { scan: { ...scan, username: input.operator?.username ?? null }, effects },
          at,
        );
        const result: ScanResult = {
          scanId,
          at,
          raw,
          code,
          scanner: input.scanner,
          outcome: d.outcome,
          reason: d.reason,
          message: messageFor(d, code, active),
          activeParent: active,
        };
        if (d.otherParent) result.otherParent = d.otherParent;
        if (d.reason) result.reasonParams = d.params;
        return result;
      });
      if (counts) reads.note(input.source, code, at);
      // Inside a group commit the outer transaction is still open: it calls readsCommitted or readsRolledBack.
      if (!ctx.sqlite.inTransaction) reads.committed();
      return result;
    },

    /** The group commit that held the last reads has committed: they now count for the double-read window. */
    readsCommitted: () => reads.committed(),
    /** The group commit that held the last reads failed: none of them happened. */
    readsRolledBack: () => reads.rolledBack(),
    /** A child was undone, taken out or moved: its last read is forgotten, so a rescan counts at once. */
    forgetRead: (code: string) => reads.forget(code),
    /** How many inputs the double-read memory holds (bounded). */
    readMemorySize: () => reads.size,

    activeParent(): ActiveParent | null {
      return activeParentOf(currentParent());
    },

    /** The active parent's children in link order (at most a parent's capacity), for the scan screen's list. */
    activeChildren(): string[] {
      const parent = currentParent();
      return parent ? ctx.bags.childrenOf(parent.id).map((c) => c.code) : [];
    },

    /** "Complete parent": the worker is done with this parent, full or not; the next child needs a new one. */
    closeParent(actor: Operator | null): { closed: string | null } {
      const operator = requireRole(actor, 'dock');
      return ctx.transaction(() => {
        const parent = currentParent();
        if (!parent) return { closed: null };
        ctx.stationRepo.setActiveParent(null, null);
        const at = ctx.clock.now();
        ctx.journal.audit({
          at,
          userId: operator.id,
          action: 'scan.closeParent',
          entity: 'bag',
          entityId: parent.id,
          before: { activeParent: parent.code, childCount: parent.childCount },
          after: { activeParent: null },
        });
        return { closed: parent.code };
      });
    },

    /** A different operator starts with no active parent, so nobody fills a bag they did not choose. */
    handOver(operatorId: string): void {
      const by = ctx.stationRepo.activeParentBy();
      if (by !== null && by !== operatorId) ctx.stationRepo.setActiveParent(null, null);
    },
  };
}

export type ScanService = ReturnType<typeof createScanService>;
