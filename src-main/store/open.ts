import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataFolderWarning } from './data-folder.ts';
import { makeDataFolder } from './make-data-folder.ts';
import { checkDbFile, createDbFile, restrictDbFiles } from './db-file.ts';
import { diskError } from './disk-errors.ts';
import { damaged, isCorruption, quickCheck } from './integrity.ts';
import { openMarkers } from './open-marker.ts';
import * as schema from './schema.ts';
import { StationError } from '../../src-shared/errors.ts';

export const localMigrationsFolder = fileURLToPath(new URL('../../drizzle/local', import.meta.url));

export type Sqlite = Database.Database;

export interface OpenStoreOptions {
  /** Skip fsync on commit: only for seeding a benchmark database, never for a station. */
  unsafeFastWrites?: boolean;
  /**
   * Create the station when the folder has none. Only the commands that set a station up pass it (migrate,
   * user add, join, serve, the desktop app, restore and recovery); everything else refuses a missing station,
   * so a mistyped --data-dir never becomes a new, empty station.
   */
  create?: boolean;
}

function hasTables(sqlite: Sqlite): boolean {
  return !!sqlite.prepare(`select 1 from sqlite_master where name = '__drizzle_migrations'`).get();
}

function configure(sqlite: Sqlite, options: OpenStoreOptions): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.unsafeFastWrites ? 'OFF' : 'FULL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -32000');
}

/** A missing station is created only when asked; an empty, cut-short or foreign file never is. */
function prepareFile(dataDir: string, path: string, create: boolean): boolean {
  if (existsSync(path)) {
    checkDbFile(path);
    return false;
  }
  if (!create) throw new StationError('station_missing', { dataDir });
  makeDataFolder(dataDir);
  createDbFile(path);
  return true;
}

/**
 * Opens the station database in dataDir (creating it only with `create`) and applies pending migrations.
 * synchronous=FULL in WAL mode: a commit is on disk before it returns, so an acknowledged scan survives a
 * power cut, not only a crash of the process. After an unclean shutdown the whole file is checked first, and a
 * damaged database is refused with what to do instead of failing later with "malformed".
 */
export function openStore(dataDir: string, options: OpenStoreOptions = {}) {
  const path = join(dataDir, 'station.db');
  const created = prepareFile(dataDir, path, options.create ?? false);
  restrictDbFiles(path);
  const markers = openMarkers(dataDir);
  const sqlite = new Database(path, { fileMustExist: true });
  const db = drizzle(sqlite, { schema });
  try {
    if (markers.uncleanShutdown) {
      const found = quickCheck(sqlite);
      if (found) throw damaged(path, found);
    }
    configure(sqlite, options);
    restrictDbFiles(path);
    if (!created && !options.create && !hasTables(sqlite)) {
      throw new StationError('station_empty', { path, bytes: statSync(path).size });
    }
    migrate(db, { migrationsFolder: localMigrationsFolder });
    markers.mark();
  } catch (e) {
    const typed =
      e instanceof StationError ? e : isCorruption(e) ? damaged(path, quickCheck(sqlite) ?? String(e)) : null;
    sqlite.close();
    throw typed ?? diskError(e, dataDir) ?? e;
  }
  let damage: StationError | null = null;
  return {
    sqlite,
    db,
    /** Sentences for the person starting the station (a data folder other users can read). */
    warnings: [dataFolderWarning(dataDir)].filter((w): w is string => w !== null),
    /**
     * The typed error for a failure of the database: the disk is full, or the file is damaged (checked once
     * with quick_check, on the first corruption error); null for anything else.
     */
    storeError(e: unknown): StationError | null {
      if (e instanceof StationError) return null;
      const full = diskError(e, dataDir);
      if (full) return full;
      if (!isCorruption(e)) return null;
      damage ??= damaged(path, quickCheck(sqlite) ?? (e instanceof Error ? e.message : String(e)));
      return damage;
    },
    /** The damage found after a corruption error: from then on the station refuses every call with it. */
    damage: (): StationError | null => damage,
    /** Closes the connection and takes its open-marker away: a clean shutdown. */
    close(): void {
      sqlite.close();
      markers.clear();
    },
  };
}

export type Store = ReturnType<typeof openStore>;
