import type { WeightState } from '../../src-shared/hardware.ts';
import { grams, weightStateOf } from '../../src-shared/weight-text.ts';
import { newestWeightId } from '../store/weight-repo.ts';

/**
 * A parent's weight as the exports show it (issue 16). Its newest row in parent_weights (by `at`) decides:
 * a recorded weighing that nothing changed since is the parent's weight; anything else (never weighed, weighed
 * and then changed, put off with "weigh later") falls back to the old rule, children x nominal child weight,
 * marked estimated, so bills made before the station had a scale keep their numbers.
 */

/** The newest weighing's columns, as the bill and end-of-day queries select them (null: never weighed). */
export interface WeighingColumns {
  weightState: 'recorded' | 'later' | null;
  weightKg: number | null;
  weightStaleAt: number | null;
  weightCheck: 'none' | 'ok' | 'off' | null;
  weightAckAt: number | null;
}

/** ok / off / off and acknowledged by a supervisor; null when the weighing had no check (or none was made). */
export type WeighingCheck = 'ok' | 'off' | 'acknowledged' | null;

export interface ExportWeight {
  state: WeightState;
  /** The weight the bill counts: the recorded kg, or the estimate. */
  kg: number;
  estimated: boolean;
  check: WeighingCheck;
}

/**
 * A left join on the parent's newest weighing, for a query with bags `p`: one index seek per parent
 * (parent_weights_parent), inside the one query that reads the bill, never a query per parent. Ties on `at`
 * go to the later id (uuidv7, in time order).
 */
export const newestWeightJoin = (parent: string) =>
  `left join parent_weights w on w.id = ${newestWeightId(`${parent}.id`)}`;

export const weighingColumns = `w.state as weightState, w.kg as weightKg, w.stale_at as weightStaleAt,
  w.check_result as weightCheck, w.ack_at as weightAckAt`;

export function exportWeight(row: WeighingColumns, childCount: number, childWeightKg: number): ExportWeight {
  const check: WeighingCheck =
    row.weightCheck === 'ok'
      ? 'ok'
      : row.weightCheck === 'off'
        ? row.weightAckAt === null
          ? 'off'
          : 'acknowledged'
        : null;
  const state = weightStateOf(
    row.weightState === null ? null : { state: row.weightState, staleAt: row.weightStaleAt },
  );
  if (state === 'recorded' && row.weightKg !== null)
    return { state, kg: row.weightKg, estimated: false, check };
  return { state, kg: childCount * childWeightKg, estimated: true, check };
}

/** The words the files use for where a weight comes from. */
export const weightSourceName: Record<WeightState, string> = {
  recorded: 'recorded',
  estimated: 'estimated',
  stale: 'stale',
  later: 'weigh later',
};

/** The bill's weight from its parents': the sum, and how many of them are estimated. */
export function weightTotal(weights: Iterable<ExportWeight>): {
  kg: number;
  parents: number;
  estimatedParents: number;
} {
  let kg = 0;
  let parents = 0;
  let estimatedParents = 0;
  for (const w of weights) {
    kg += w.kg;
    parents++;
    if (w.estimated) estimatedParents++;
  }
  return { kg: grams(kg), parents, estimatedParents };
}

/** "612.4 kg (3 of 20 parents estimated)", "612.4 kg (20 of 20 parents weighed)": for summaries. */
export function weightSummary(
  total: { kg: number; parents: number; estimatedParents: number },
  kg: (n: number) => string,
): string {
  const { parents, estimatedParents } = total;
  const noun = parents === 1 ? 'parent' : 'parents';
  if (parents > 0 && estimatedParents === 0)
    return `${kg(total.kg)} (${parents} of ${parents} ${noun} weighed)`;
  return `${kg(total.kg)} (${estimatedParents} of ${parents} ${noun} estimated)`;
}

/** The weight source of a bill's total: "recorded" only when every parent's weight is. */
export const totalSource = (estimatedParents: number, parents: number): string =>
  estimatedParents > 0 ? `estimated: ${estimatedParents} of ${parents} parents` : 'recorded';
