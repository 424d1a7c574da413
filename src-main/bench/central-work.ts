/**
 * The centre's work per scan, for comparing a push with COPY: the WAL it wrote (cluster-wide, so measured while
 * nothing else writes) and the rows each table gained, per scan.
 */
import type { CentralDb } from '../central/scratch-db.ts';

export async function walMark(db: CentralDb): Promise<string> {
  const [row] = await db.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
  return row!.lsn;
}

export async function walBytesPerScan(db: CentralDb, mark: string, scans: number): Promise<number> {
  const [row] = await db.query<{ bytes: number }>(
    'select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::float8 as bytes',
    [mark],
  );
  return Math.round((row?.bytes ?? 0) / Math.max(1, scans));
}

/** Exact row counts of every table of the centre's own schema. */
export async function tableRows(db: CentralDb): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    `select quote_ident(relname) as name from pg_stat_user_tables where schemaname = 'public' order by relname`,
  );
  if (tables.length === 0) return {};
  const [row] = await db.query<Record<string, number>>(
    `select ${tables.map((t) => `(select count(*)::int from public.${t.name}) as ${t.name}`).join(', ')}`,
  );
  return row ?? {};
}

/** Rows each table gained per scan since `before` (tables that gained none are left out). */
export function rowsPerScan(before: Record<string, number>, after: Record<string, number>, scans: number) {
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(after)) {
    const gained = n - (before[name] ?? 0);
    if (gained > 0) out[name] = Math.round((gained / Math.max(1, scans)) * 1000) / 1000;
  }
  return out;
}
