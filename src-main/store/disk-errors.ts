import { StationError } from '../../src-shared/errors.ts';

/** errno codes of a file system with no room left for this user. */
const fullCodes = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** Whether e says the disk (or the user's quota) is full: from Node's fs or from SQLite. */
export function isDiskFull(e: unknown): boolean {
  if (!e || typeof e !== 'object' || !('code' in e)) return false;
  return fullCodes.has(String(e.code));
}

/** The typed "disk is full" error for e, or null when e is something else. */
export function diskError(e: unknown, path: string): StationError | null {
  return isDiskFull(e) ? new StationError('disk_full', { path }) : null;
}
