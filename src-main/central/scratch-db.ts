/**
 * A scratch central database on a PostgreSQL server (the tests' default: 127.0.0.1:5432, user postgres), migrated,
 * and dropped afterwards together with its pooled station login (and any old per-station roles): for the tests
 * and `baglink bench --central`, never for a real centre.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateCentral } from './migrate.ts';

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
