import Database from 'better-sqlite3';
import type { Sqlite } from '../store/open.ts';

export type SnapshotDb = Database.Database;

/**
 * Reads an export from its own read-only connection inside one read transaction: the header and every row
 * come from the same moment, the rows can be streamed with waits for the disk in between, and the station's
 * own connection stays free for scans meanwhile (WAL lets readers and the writer run side by side).
 */
export function openSnapshot(station: Sqlite): { db: SnapshotDb; close(): void } {
  return openSnapshotAt(station.name);
}

/** The same, from the database's path: for a worker thread, which has no connection to pass. */
export function openSnapshotAt(path: string): { db: SnapshotDb; close(): void } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.exec('begin');
  return {
    db,
    close() {
      try {
        if (db.inTransaction) db.exec('commit');
      } finally {
        db.close();
      }
    },
  };
}
