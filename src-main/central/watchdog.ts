/**
 * PgBouncer's query_timeout cuts a station's client, but PostgreSQL does not notice a closed socket while a
 * statement computes (client_connection_check_interval is a setting any role may switch off for itself), so a
 * station can leave a backend running for hours with its transaction id, holding the pull horizon back for
 * every station. The watchdog ends any backend of the pooled login whose transaction is older than PgBouncer's
 * bounds allow a legitimate call (one statement under query_timeout).
 */
import type pg from 'pg';
import { pooledLogin } from './enrol.ts';

/** query_timeout (60 s) + idle_transaction_timeout (10 s) of the PgBouncer config, and a margin. */
export const DEFAULT_MAX_TRANSACTION_SECONDS = 75;

export interface CutBackend {
  pid: number;
  ageSeconds: number;
  state: string;
}

/** Terminates the pooled login's backends whose transaction is older than maxSeconds; returns them. */
export async function cutOverdueStationBackends(
  c: pg.Client,
  maxSeconds = DEFAULT_MAX_TRANSACTION_SECONDS,
): Promise<CutBackend[]> {
  const { role } = await pooledLogin(c);
  const r = await c.query<CutBackend & { cut: boolean }>(
    `select pid, extract(epoch from now() - xact_start)::int as "ageSeconds", state,
       pg_terminate_backend(pid) as cut
     from pg_stat_activity
     where usename = $1 and datname = current_database() and xact_start < now() - make_interval(secs => $2)`,
    [role, maxSeconds],
  );
  return r.rows.filter((b) => b.cut).map(({ pid, ageSeconds, state }) => ({ pid, ageSeconds, state }));
}
