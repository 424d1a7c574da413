import { chmodSync, closeSync, existsSync, fchmodSync, openSync, readSync, statSync } from 'node:fs';
import { StationError } from '../../src-shared/errors.ts';

const MAGIC = 'SQLite format 3\0';

/** The database and the files SQLite keeps beside it while it is open. */
export const dbFiles = (path: string) => [path, `${path}-wal`, `${path}-shm`, `${path}-journal`];

/** Owner-only: SQLite gives the -wal and -shm files the mode of the database file, so that one comes first. */
export function restrictDbFiles(path: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return;
  for (const file of dbFiles(path)) {
    try {
      chmodSync(file, 0o600);
    } catch (e) {
      // Gone meanwhile, another user's file, a read-only mount: nothing this process may narrow.
      if (!['ENOENT', 'EPERM', 'EACCES', 'EROFS'].includes(String((e as NodeJS.ErrnoException).code)))
        throw e;
    }
  }
}

/** Makes a new, empty database file readable by its owner only, whatever the umask. */
export function createDbFile(path: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    if (process.platform !== 'win32') fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

function readHeader(path: string): Buffer {
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  return header;
}

/**
 * Refuses a station.db that is empty, cut short or not a database before SQLite opens it: SQLite would take a
 * zero-byte file for a new database, and the station would silently start again with a new identity.
 * A file shorter than its header's page count is cut short, unless a write-ahead log still holds the rest.
 */
export function checkDbFile(path: string): void {
  const bytes = statSync(path).size;
  if (bytes < 100) throw new StationError('station_empty', { path, bytes });
  const header = readHeader(path);
  if (header.subarray(0, 16).toString('latin1') !== MAGIC) {
    throw new StationError('station_damaged', { path, detail: 'not a SQLite database' });
  }
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = header.readUInt32BE(28);
  const sizeValid = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  const wal = `${path}-wal`;
  const walHoldsPages = existsSync(wal) && statSync(wal).size > 0;
  if (sizeValid && bytes < pages * pageSize && !walHoldsPages) {
    throw new StationError('station_empty', { path, bytes });
  }
}
