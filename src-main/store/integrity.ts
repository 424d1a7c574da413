import Database from 'better-sqlite3';
import { join } from 'node:path';
import { diskError } from './disk-errors.ts';
import { StationError } from '../../src-shared/errors.ts';

/** SQLite's words for a database file that is not what it should be. */
const damageCodes = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_VTAB',
]);

export function isCorruption(e: unknown): boolean {
  return !!e && typeof e === 'object' && 'code' in e && damageCodes.has(String(e.code));
}

/**
 * PRAGMA quick_check: reads every page of the database (seconds at millions of bags), so it runs only after an
 * unclean shutdown or a corruption error, never at every start. Returns null when sound, else SQLite's findings.
 */
export function quickCheck(sqlite: Database.Database): string | null {
  try {
    const rows = sqlite.pragma('quick_check(3)', { simple: false }) as { quick_check: string }[];
    const found = rows.map((r) => r.quick_check);
    if (found.length === 1 && found[0] === 'ok') return null;
    // One line per finding, under a heading per attached database: one sentence for a person.
    return found
      .flatMap((f) => f.split('\n'))
      .filter((line) => line && !line.startsWith('***'))
      .join('; ');
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function damaged(path: string, detail: string): StationError {
  return new StationError('station_damaged', { path, detail: detail.slice(0, 300) });
}

/**
 * For a process that failed outside a station's own handling (a CLI command): the typed error for a full
 * disk, or for a damaged database with quick_check's findings; null for anything else.
 */
export function storeFailure(e: unknown, dataDir: string): StationError | null {
  const full = diskError(e, dataDir);
  if (full || !isCorruption(e)) return full;
  const path = join(dataDir, 'station.db');
  let found: string | null = null;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    found = quickCheck(db);
    db.close();
  } catch (error) {
    found = error instanceof Error ? error.message : String(error);
  }
  return damaged(path, found ?? (e instanceof Error ? e.message : String(e)));
}
