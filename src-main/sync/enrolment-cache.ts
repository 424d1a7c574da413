import { statSync } from 'node:fs';
import { enrolmentPath, loadSyncConfig, type SyncConfig } from './config.ts';

/**
 * The enrolment (central.json) kept in memory, read again only when its file changed: `join`, `recover` and
 * `restore` write it from other processes while the station serves, always by renaming a new file into place,
 * so a change shows as another inode, size or change time. A status call costs one stat, not a read and a parse.
 */
export function cachedEnrolment(dataDir: string): () => SyncConfig | null {
  const path = enrolmentPath(dataDir);
  let seen: string | null = null;
  let config: SyncConfig | null = null;
  return () => {
    const s = statSync(path, { bigint: true, throwIfNoEntry: false });
    const identity = s ? `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : 'absent';
    if (identity !== seen) {
      config = s ? loadSyncConfig(dataDir) : null;
      seen = identity;
    }
    return config;
  };
}
