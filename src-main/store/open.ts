import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDataFolder } from './data-folder.ts';
import * as schema from './schema.ts';

export const localMigrationsFolder = fileURLToPath(new URL('../../drizzle/local', import.meta.url));

export type Sqlite = Database.Database;

export interface OpenStoreOptions {
  /** Skip fsync on commit: only for seeding a benchmark database, never for a station. */
  unsafeFastWrites?: boolean;
}

/**
 * Opens (creating if needed) the station database in dataDir and applies pending migrations.
 * synchronous=FULL in WAL mode: a commit is on disk before it returns, so an acknowledged scan survives a
 * power cut, not only a crash of the process.
 */
export function openStore(dataDir: string, options: OpenStoreOptions = {}) {
  makeDataFolder(dataDir);
  const sqlite = new Database(join(dataDir, 'station.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.unsafeFastWrites ? 'OFF' : 'FULL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -32000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: localMigrationsFolder });
  return { sqlite, db };
}

export type Store = ReturnType<typeof openStore>;
