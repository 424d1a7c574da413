import { realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { StationError } from '../../src-shared/errors.ts';

const databaseFiles = ['station.db', 'station.db-wal', 'station.db-shm', 'station.db-journal'];

/** The real path of a folder that exists, else the resolved path as given (a folder still to be made). */
function realFolder(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * An export or a backup never goes into the station's data folder, and never onto one of its database files by
 * another name (a hard link): written there it would replace the live database or its write-ahead log under the
 * running station, which would go on acknowledging scans into a deleted file. A backup beside the database also
 * dies with its disk.
 */
export function refuseStationTarget(target: string, dataDir: string): void {
  const path = resolve(target);
  const data = realFolder(dataDir);
  const folder = realFolder(dirname(path));
  const inside = folder === data || folder.startsWith(data + sep);
  if (inside || databaseFiles.some((name) => sameFile(path, join(data, name))))
    throw new StationError('out_in_data_folder', { path, dataDir: data });
}
