import { StationError } from '../../src-shared/errors.ts';
import type { Operator, Role } from '../../src-shared/domain.ts';
import { roleAtLeast } from '../../src-shared/roles.ts';

/** Roles are ordered (src-shared/roles.ts): a supervisor may do all a dock worker may, an admin all a supervisor may. */
export function hasRole(operator: Operator, role: Role): boolean {
  return roleAtLeast(operator.role, role);
}

/** Checked inside every core service, not only in the UI or the API table. */
export function requireRole(operator: Operator | null, role: Role): Operator {
  if (!operator) throw new StationError('not_logged_in');
  if (!hasRole(operator, role)) throw new StationError('role_required', { role });
  return operator;
}
