import type { WeightService } from '../core/weight-service.ts';

export type { LabelFacts } from '../core/weight-service.ts';

/**
 * The core's weight service as the app layer drives it (issue 16): the app owns the scale and the waiting, the
 * core owns the rows, the check, the audit and the outbox.
 */
export type WeightPort = Pick<
  WeightService,
  | 'start'
  | 'record'
  | 'later'
  | 'acknowledge'
  | 'weightOf'
  | 'pending'
  | 'labelFacts'
  | 'isCurrent'
  | 'unacknowledged'
>;
