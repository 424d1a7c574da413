/**
 * Test support: a fresh central database on the machine's PostgreSQL (127.0.0.1:5432, user postgres), migrated,
 * and dropped afterwards together with its pooled station login (and any old per-station roles). Not used by the app.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { centralMigrationsFolder, migrateCentral } from './migrate.ts';

export const serverUrl = process.env.BAGLINK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function dbUrl(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface CentralDb {
  name: string;
  /** IT's (superuser) connection to the database. */
  adminUrl: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function onServer<T>(base: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: base, connectionTimeoutMillis: 10_000 });
  try {
    await c.connect();
  } catch (e) {
    throw new Error(`PostgreSQL is needed at ${base} for this test: ${(e as Error).message}`);
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** migrationsFolder: another folder of central migrations (an upgrade test starts from an earlier schema). */
export async function createCentralDb(base = serverUrl, migrationsFolder?: string): Promise<CentralDb> {
  const name = `baglink_t_${randomBytes(6).toString('hex')}`;
  await onServer(base, (c) => c.query(`create database ${name}`));
  const adminUrl = dbUrl(base, name);
  await migrateCentral(adminUrl, migrationsFolder);
  return {
    name,
    adminUrl,
    async query<T>(sql: string, params: unknown[] = []) {
      return onServer(adminUrl, async (c) => (await c.query(sql, params)).rows as T[]);
    },
    async drop() {
      const roles = await onServer(adminUrl, async (c) =>
        (
          await c.query(`select role_name as r from stations where role_name is not null
            union all select value from central_settings where key = 'login_role'`)
        ).rows.map((r) => String(r.r)),
      ).catch(() => [] as string[]);
      await onServer(base, async (c) => {
        await c.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [name]);
        await c.query(`drop database if exists ${name}`);
        for (const role of roles) await c.query(`drop role if exists ${role}`);
      });
    },
  };
}

/** The tags of the central migrations, in order (0000_init, 0001_sync_functions, ...). */
export function centralMigrationTags(): string[] {
  const journal = JSON.parse(
    readFileSync(join(centralMigrationsFolder, 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: { tag: string }[];
  };
  return journal.entries.map((e) => e.tag);
}

/**
 * A copy of the central migrations up to and including lastTag, as a centre installed at that version has them
 * (for upgrade tests; the caller removes the folder).
 */
export function migrationsUpTo(lastTag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `baglink-central-${lastTag.slice(0, 4)}-`));
  cpSync(centralMigrationsFolder, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const kept = journal.entries.filter((e) => e.tag <= lastTag);
  for (const e of journal.entries.filter((e) => e.tag > lastTag)) rmSync(join(dir, `${e.tag}.sql`));
  journal.entries = kept;
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}
