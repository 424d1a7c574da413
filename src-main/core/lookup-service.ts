import type { Context } from '../store/context.ts';
import { normalizeCode } from './normalize.ts';
import type { BagStory, Operator } from '../../src-shared/domain.ts';
import { requireRole } from './roles.ts';
import { currentWeight } from './weight-view.ts';

const HISTORY_LIMIT = 50;
const LABELS_LIMIT = 20;

/**
 * A code's whole story: the bag, its parent or children, its bill, and every read of it; for a parent also its
 * weight (estimated when never weighed) and its labels. Reads only.
 */
export function createLookupService(ctx: Context) {
  return {
    lookup(actor: Operator | null, rawCode: string): BagStory {
      requireRole(actor, 'dock');
      return storyOf(ctx, normalizeCode(rawCode).code);
    },
  };
}

export function storyOf(ctx: Context, code: string): BagStory {
  const history = ctx.history.ofCode(code, HISTORY_LIMIT);
  const bag = ctx.bags.byCode(code);
  if (!bag) return { code, bag: null, parent: null, children: [], bill: null, history };
  const summary = {
    code: bag.code,
    kind: bag.kind,
    dispatchArea: bag.dispatchArea,
    childCount: bag.childCount,
    firstSeenAt: bag.firstSeenAt,
  };
  if (bag.kind === 'child') {
    const p = ctx.bags.parentStory(bag.id);
    return {
      code,
      bag: summary,
      parent: p
        ? { code: p.code, childCount: p.childCount, linkedAt: p.linkedAt, linkedBy: p.linkedBy }
        : null,
      children: [],
      bill:
        p?.billNo && p.billStatus
          ? { billNo: p.billNo, status: p.billStatus, destination: p.destination ?? '' }
          : null,
      history,
    };
  }
  const bill = ctx.bills.billOfParent(bag.id);
  return {
    code,
    bag: summary,
    parent: null,
    children: ctx.bags.childrenOf(bag.id),
    bill: bill ? { billNo: bill.billNo, status: bill.status, destination: bill.destination } : null,
    history,
    weight: currentWeight(ctx, bag),
    labels: ctx.printJobs.ofParent(bag.code, LABELS_LIMIT),
  };
}
