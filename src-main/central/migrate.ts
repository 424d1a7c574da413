import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { repairPooledLogin } from './pooled-login.ts';

export const centralMigrationsFolder = fileURLToPath(new URL('../../drizzle/central', import.meta.url));

/**
 * Applies the numbered central migrations (drizzle/central) that are not applied yet, in one transaction,
 * under an advisory lock so two IT consoles cannot run them at once. Applying twice changes nothing.
 */
export async function migrateCentral(
  url: string,
  migrationsFolder = centralMigrationsFolder,
): Promise<{ applied: number }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(7420001)');
    const before = await countApplied(client);
    await migrate(drizzle(client), { migrationsFolder });
    const applied = (await countApplied(client)) - before;
    await dropRetiredStationRoles(client);
    await revokeDiskWriters(client);
    if (await hasPooledLogin(client)) await repairPooledLogin(client);
    return { applied };
  } finally {
    await client.query('select pg_advisory_unlock(7420001)').catch(() => undefined);
    await client.end();
  }
}

/**
 * Functions PostgreSQL lets every role call that write outside the sync's tables: large objects (kept after the
 * session, owned by the pooled login) and logical WAL messages. Through the shared login any station could fill
 * the centre's disk with them; BagLink uses neither. Per database, so other databases keep them.
 */
export async function revokeDiskWriters(client: pg.Client): Promise<void> {
  await client.query(`do $$
    declare f regprocedure;
    begin
      for f in select p.oid::regprocedure from pg_proc p
        where p.pronamespace = 'pg_catalog'::regnamespace
          and (p.proname like 'lo\\_%' or p.proname in ('lowrite', 'loread', 'pg_logical_emit_message')) loop
        execute format('revoke execute on function %s from public', f);
      end loop;
    end $$`);
}

async function hasPooledLogin(client: pg.Client): Promise<boolean> {
  const r = await client.query(`select to_regclass('public.central_settings') is not null as ok`);
  if (!r.rows[0]?.ok) return false;
  return ((await client.query(`select 1 from central_settings where key = 'login_role'`)).rowCount ?? 0) > 0;
}

async function countApplied(client: pg.Client): Promise<number> {
  const exists = await client.query(`select to_regclass('drizzle.__drizzle_migrations') is not null as ok`);
  if (!exists.rows[0]?.ok) return 0;
  const r = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
  return (r.rows[0] as { n: number }).n;
}

/**
 * The per-station login roles of before the pooled login, dropped once their station has proven itself with its
 * new secret (a push or pull after it took the secret). Until then a station can still claim a secret with it.
 */
export async function dropRetiredStationRoles(client: pg.Client): Promise<string[]> {
  const ready = await client.query(`select to_regclass('public.central_settings') is not null as ok`);
  if (!ready.rows[0]?.ok) return [];
  const rows = await client.query<{ id: string; role_name: string }>(
    `select id, role_name from stations where role_name is not null and proof_hash is not null
       and greatest(last_push_at, last_pull_at) > secret_set_at`,
  );
  for (const r of rows.rows) {
    await client.query(`drop role if exists ${client.escapeIdentifier(r.role_name)}`);
    await client.query('update stations set role_name = null where id = $1', [r.id]);
  }
  return rows.rows.map((r) => r.role_name);
}
