/**
 * The one rank table of roles, lowest first: a supervisor may do all a dock worker may, an admin all a
 * supervisor may. The core's role checks, the contract's role field and the screens' tabs all read it.
 */
export const roles = ['dock', 'supervisor', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Whether someone with `role` may do what `needed` may. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(needed);
}
