import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, lstatSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from './open.ts';
import { refuseStationTarget } from './out-target.ts';
import { runningStation } from './station-lock.ts';
import { StationError } from '../../src-shared/errors.ts';

const DB = 'station.db';

/**
 * A consistent copy of the station database while the station runs (SQLite's online backup API), readable by
 * its owner only. It holds the station's data and its users' password and PIN hashes; not the enrolment
 * (central.json with the centre's secret and CA), which stays in the data folder.
 */
export async function backupStation(dataDir: string, outFile: string): Promise<{ bytes: number }> {
  const path = join(dataDir, DB);
  if (!existsSync(path))
    throw new StationError('backup_invalid', { file: path, detail: 'there is no station here' });
  refuseStationTarget(outFile, dataDir);
  // Only a new name or an ordinary file is replaced: never a link, a fifo, a device or a folder.
  const target = lstatSync(outFile, { throwIfNoEntry: false });
  if (target && !target.isFile()) throw new StationError('export_target_invalid', { path: outFile });
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const tmp = `${outFile}.partial`;
    await db.backup(tmp);
    chmodSync(tmp, 0o600);
    renameSync(tmp, outFile);
  } finally {
    db.close();
  }
  const check = new Database(outFile, { readonly: true });
  try {
    return {
      bytes:
        (check.pragma('page_count', { simple: true }) as number) *
        (check.pragma('page_size', { simple: true }) as number),
    };
  } finally {
    check.close();
  }
}

function checkBackup(file: string): void {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new StationError('backup_invalid', { file, detail: (e as Error).message });
  }
  try {
    const ok = db.pragma('quick_check', { simple: true });
    if (ok !== 'ok') throw new StationError('backup_invalid', { file, detail: String(ok) });
    const tables = db
      .prepare(
        `select count(*) as n from sqlite_master where type = 'table' and name in ('outbox', 'scans', 'station')`,
      )
      .get() as { n: number };
    if (tables.n !== 3)
      throw new StationError('backup_invalid', { file, detail: 'it has no station tables' });
  } catch (e) {
    if (e instanceof StationError) throw e;
    throw new StationError('backup_invalid', { file, detail: (e as Error).message });
  } finally {
    db.close();
  }
}

/**
 * Puts a backup back as the station database, refused while a station runs on dataDir. The restored station is
 * marked so that its next sync goes straight to recovery (a new incarnation at the centre, its unsent operations
 * renumbered after the centre's, the centre's rows and its own scans loaded again), instead of waiting to be
 * caught by the divergence check. Returns the number of operations it still has to send.
 */
export function restoreStation(dataDir: string, file: string): { unsent: number } {
  const pid = runningStation(dataDir);
  if (pid !== null) throw new StationError('station_running', { dataDir, pid });
  checkBackup(file);
  const path = join(dataDir, DB);
  const tmp = `${path}.restoring`;
  copyFileSync(file, tmp);
  chmodSync(tmp, 0o600);
  for (const side of ['-wal', '-shm']) rmSync(`${path}${side}`, { force: true });
  renameSync(tmp, path);
  const store = openStore(dataDir);
  try {
    store.sqlite
      .prepare(`update sync_state set recovery = 'restored', diverged = null where singleton = 1`)
      .run();
    return store.sqlite.prepare(`select count(*) as unsent from outbox where sent_at is null`).get() as {
      unsent: number;
    };
  } finally {
    store.close();
  }
}
