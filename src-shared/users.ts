import type { Operator, Role } from './domain.ts';

/** Who is logged in on the station, and until when without activity (onSession, auth.whoami). */
export interface SessionInfo {
  operator: Operator;
  since: number;
  idleExpiresAt: number;
}

/** What an admin sees of a user: never a hash. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  dispatchArea: string | null;
  hasBadge: boolean;
  active: boolean;
  lockedUntil: number | null;
  lastLoginAt: number | null;
  createdAt: number;
}
