import type { Context } from '../store/context.ts';
import { StationError } from '../../src-shared/errors.ts';
import { failWith } from '../../src-shared/result.ts';
import { classifyCode, normalizeCode } from './normalize.ts';
import type { Operator, ScannedParent } from '../../src-shared/domain.ts';
import type { BillRead } from '../../src-shared/events.ts';
import { requireRole } from './roles.ts';

interface Holder {
  billNo: string;
  userId: string;
}

/**
 * The bill a supervisor has open on the bill screen takes the serial scanners' parent reads: such a read goes
 * onto that bill (bills.scanParent) instead of the link flow, so it never changes the active parent. Held in
 * memory for the operator who opened it; a log-out or another login ends it. Other reads (children, commands,
 * bad reads) go through the link flow as before.
 */
export function createBillReads(
  ctx: Context,
  scanParent: (actor: Operator, billNo: string, code: string) => ScannedParent,
  openBillNo: (actor: Operator, billNo: string) => string,
  told: (read: BillRead) => void,
) {
  let holder: Holder | null = null;

  function isParentCode(code: string): boolean {
    return (ctx.bags.byCode(code)?.kind ?? classifyCode(code, ctx.profile)) === 'parent';
  }

  return {
    /**
     * bills.takeReads: the bill screen takes the reads for its bill, and gives them back (null) when it closes;
     * so does the scan screen when it opens, whatever a closed tab left held. Only an open bill takes them: held
     * for one that cannot take a parent, every parent read would be swallowed.
     */
    take(actor: Operator | null, rawBillNo: string | null): { billNo: string | null } {
      const by = requireRole(actor, 'supervisor');
      holder = null; // a refused bill leaves nothing held
      if (rawBillNo !== null) holder = { billNo: openBillNo(by, rawBillNo), userId: by.id };
      return { billNo: holder?.billNo ?? null };
    },

    /** The session changed: a bill screen's hold ends with the session that took it. */
    release(): void {
      holder = null;
    },

    /**
     * A serial read, offered before the link flow: a parent's code while a bill holds the reads for the operator
     * logged in goes onto the bill (answered here, told as onBillRead); anything else is left to the link flow.
     */
    offer(operator: Operator | null, raw: string, rejected: boolean): { good: boolean } | null {
      if (!holder || rejected || operator?.id !== holder.userId) return null;
      const code = normalizeCode(raw);
      if (!code.ok || !isParentCode(code.code)) return null;
      const { billNo } = holder;
      try {
        const value = scanParent(operator, billNo, code.code);
        told({ billNo, code: code.code, answer: { ok: true, value } });
        return { good: value.added };
      } catch (e) {
        if (!(e instanceof StationError)) throw e;
        told({ billNo, code: code.code, answer: failWith(e) });
        return { good: false };
      }
    },
  };
}
