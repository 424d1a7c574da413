import type { Operator } from '../../src-shared/domain.ts';
import type { ParentWeight } from '../../src-shared/hardware.ts';

/** What a parent's label says, from the core (weights.labelFacts): the printer builds its ZPL from these. */
export interface LabelFacts {
  parentCode: string;
  childCount: number;
  weightKg: number | null;
  weightEstimated: boolean;
  station: string;
  operator: string;
  at: number;
  billNumber: string | null;
}

/**
 * The core's weight service as the app layer drives it (src-main/core/weight-service.ts, issue 16 spec): the app
 * owns the scale and the waiting, the core owns the rows, the check, the audit and the outbox.
 */
export interface WeightPort {
  start(actor: Operator | null, parentCode: string): void;
  record(
    actor: Operator | null,
    parentCode: string,
    reading: { kg: number; raw: string; scale: string; at: number },
  ): ParentWeight;
  later(actor: Operator | null, parentCode: string): ParentWeight;
  acknowledge(supervisor: Operator | null, parentCode: string): ParentWeight;
  weightOf(parentCode: string): ParentWeight;
  pending(): string | null;
  labelFacts(parentCode: string): LabelFacts;
}
