import type { Context } from '../store/context.ts';
import type { WeightRow } from '../store/weight-repo.ts';
import type { ParentWeight } from '../../src-shared/hardware.ts';
import { checkWeight, grams, weightStateOf } from '../../src-shared/weight-text.ts';

/** A parent as the weight views need it. */
export interface WeighedParent {
  id: string;
  code: string;
  childCount: number;
}

/**
 * A parent's weight as look-up, bills and the scan screen show it: its newest row (recorded, stale when the
 * parent changed after it, or put off), or an estimate from its children now when it was never weighed.
 */
export function weightView(
  ctx: Pick<Context, 'profile'>,
  row: WeightRow | undefined,
  parent: WeighedParent,
): ParentWeight {
  if (!row) return estimatedWeight(ctx, parent);
  const gapKg = row.kg !== null && row.expectedKg !== null ? grams(row.kg - row.expectedKg) : null;
  // The nominal child weight the row was checked with (its expected weight says it), else today's.
  const perChild =
    row.expectedKg !== null && row.tareKg !== null && row.childCount > 0
      ? (row.expectedKg - row.tareKg) / row.childCount
      : ctx.profile.childWeightKg;
  const gapBags =
    gapKg !== null && perChild > 0 ? Math.sign(gapKg) * Math.round(Math.abs(gapKg) / perChild) || 0 : null;
  return {
    parentCode: parent.code,
    state: weightStateOf(row),
    kg: row.kg,
    tareKg: row.tareKg,
    childCount: row.childCount,
    expectedKg: row.expectedKg,
    check: row.check,
    gapKg,
    gapBags,
    acknowledgedBy: row.ackBy,
    acknowledgedAt: row.ackAt,
    scale: row.scale,
    by: row.username,
    at: row.at,
  };
}

/** Never weighed: the children now, and what they should weigh (null without a nominal child weight). */
export function estimatedWeight(ctx: Pick<Context, 'profile'>, parent: WeighedParent): ParentWeight {
  return {
    parentCode: parent.code,
    state: 'estimated',
    kg: null,
    tareKg: null,
    childCount: parent.childCount,
    expectedKg: checkWeight(ctx.profile, 0, parent.childCount).expectedKg,
    check: 'none',
    gapKg: null,
    gapBags: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    scale: null,
    by: null,
    at: null,
  };
}

/** The parent's weight now: one probe of its newest row. */
export function currentWeight(
  ctx: Pick<Context, 'profile' | 'weights'>,
  parent: WeighedParent,
): ParentWeight {
  return weightView(ctx, ctx.weights.newestOf(parent.id), parent);
}
