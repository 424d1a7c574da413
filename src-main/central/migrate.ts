import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const centralMigrationsFolder = fileURLToPath(new URL('../../drizzle/central', import.meta.url));

/**
 * Applies the numbered central migrations (drizzle/central) that are not applied yet, in one transaction,
 * under an advisory lock so two IT consoles cannot run them at once. Applying twice changes nothing.
 */
export async function migrateCentral(url: string): Promise<{ applied: number }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(7420001)');
    const before = await countApplied(client);
    await migrate(drizzle(client), { migrationsFolder: centralMigrationsFolder });
    return { applied: (await countApplied(client)) - before };
  } finally {
    await client.query('select pg_advisory_unlock(7420001)').catch(() => undefined);
    await client.end();
  }
}

async function countApplied(client: pg.Client): Promise<number> {
  const exists = await client.query(`select to_regclass('drizzle.__drizzle_migrations') is not null as ok`);
  if (!exists.rows[0]?.ok) return 0;
  const r = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
  return (r.rows[0] as { n: number }).n;
}
