import { mkdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { StationError } from '../../src-shared/errors.ts';

const reasons: Record<string, string> = {
  ENOENT: 'no folder can be made there',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOTDIR: 'a file is in the way',
  EEXIST: 'a file is in the way',
  ENOSPC: 'the disk is full',
};

/**
 * Makes the data folder (owner-only) and any missing parents, one level at a time. Node's recursive mkdir never
 * returns on a path such as /proc/nope (mkdir answers ENOENT there forever), so it is not used; a path that
 * cannot be a folder is one sentence (data_dir_unusable) instead.
 */
export function makeDataFolder(dataDir: string): void {
  const missing: string[] = [];
  try {
    for (let at = resolve(dataDir); !isFolder(at); at = dirname(at)) {
      if (dirname(at) === at) break;
      missing.unshift(at);
    }
    for (const folder of missing) mkdirSync(folder, { mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new StationError('data_dir_unusable', {
      path: dataDir,
      reason: reasons[code] ?? (code || String(e)),
    });
  }
}

/** True for a folder, false when nothing is there; a file in the way throws ENOTDIR. */
function isFolder(path: string): boolean {
  const found = statSync(path, { throwIfNoEntry: false });
  if (found === undefined) return false;
  if (found.isDirectory()) return true;
  throw Object.assign(new Error(`${path} is not a folder`), { code: 'ENOTDIR' });
}

/**
 * A file-system refusal on a path inside the data folder (ENOENT, EACCES, EROFS, ...) as the same sentence;
 * null for anything else. A full disk is disk_full's, not this one's.
 */
export function dataFolderFailure(e: unknown, dataDir: string): StationError | null {
  const { code, path } = (e ?? {}) as NodeJS.ErrnoException;
  if (!code || !path || code === 'ENOSPC' || !(code in reasons)) return null;
  const inside = relative(resolve(dataDir), resolve(path));
  if (inside.startsWith('..') || isAbsolute(inside)) return null;
  return new StationError('data_dir_unusable', { path: dataDir, reason: reasons[code]! });
}
