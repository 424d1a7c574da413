import { withAdmin } from './enrol.ts';
import { pooledLoginHealth, type PooledLoginHealth } from './pooled-login.ts';

export interface CentralStatus {
  /** How far the pull horizon is behind the newest transaction, and who holds it there. */
  horizon: {
    lagXids: number;
    oldest: { pid: number; ageSeconds: number; applicationName: string; user: string; state: string } | null;
  };
  stations: {
    id: string;
    name: string;
    dispatchArea: string;
    parentCapacity: number;
    lastAppliedSeq: number;
    lastPushAt: string | null;
    lastPullAt: string | null;
    revoked: boolean;
    /**
     * Still on its per-station role of before the pooled login: it has not yet synced with a secret it claimed
     * (it claims one at its next sync; the next `central migrate` after that drops the role).
     */
    oldRole: boolean;
    refusals: number;
    /** Its copy at the centre: a recovery (restored backup) gives it a new one and shuts out the old. */
    incarnation: number;
    /** What the centre found when this station's history differed from its own (a backup put back, a twin). */
    diverged: { reason: string; seq: number; at: string } | null;
    recoveredAt: string | null;
    /**
     * The station's outbox as it reported it at its last hello (reportedAt): operations waiting to go up and
     * when the oldest was made. Null for a station that never reported (not yet synced, or older software).
     */
    outbox: { depth: number; oldestUnsentAt: string | null; reportedAt: string } | null;
  }[];
  refusals: number;
  /** Defaults or a password on the shared pooled login that `central migrate` did not set (a station can). */
  pooledLogin: PooledLoginHealth;
}

/** What IT reads in `baglink central status`: the pull horizon and who holds it, each station, refusals. */
export async function centralStatus(adminUrl: string): Promise<CentralStatus> {
  return withAdmin(adminUrl, async (c) => {
    const h = await c.query<{ lag: string | null }>(
      `select (pg_snapshot_xmax(pg_current_snapshot())::text::numeric - pull_horizon()::text::numeric)::text as lag`,
    );
    const oldest = await c.query(
      `select pid, extract(epoch from now() - xact_start)::int as "ageSeconds", application_name as "applicationName",
         usename as "user", state
       from pg_stat_activity
       where datname = current_database() and backend_xid is not null and pid <> pg_backend_pid()
       order by age(backend_xid) desc limit 1`,
    );
    const stations = await c.query(
      `select s.id, s.name, s.dispatch_area as "dispatchArea", s.parent_capacity as "parentCapacity",
         s.last_applied_seq::int as "lastAppliedSeq",
         to_char(s.last_push_at, 'YYYY-MM-DD HH24:MI:SS TZ') as "lastPushAt",
         to_char(s.last_pull_at, 'YYYY-MM-DD HH24:MI:SS TZ') as "lastPullAt",
         s.revoked_at is not null as revoked, s.role_name is not null and (s.proof_hash is null
           or not coalesce(greatest(s.last_push_at, s.last_pull_at) > s.secret_set_at, false)) as "oldRole",
         (select count(*)::int from refusals r where r.station_id = s.id) as refusals,
         s.incarnation,
         case when s.diverged is not null then s.diverged || jsonb_build_object('at',
           to_char(s.diverged_at, 'YYYY-MM-DD HH24:MI:SS TZ')) end as diverged,
         to_char(s.recovered_at, 'YYYY-MM-DD HH24:MI:SS TZ') as "recoveredAt",
         case when s.outbox_reported_at is not null then jsonb_build_object('depth', s.outbox_depth,
           'oldestUnsentAt', to_char(s.outbox_oldest_at, 'YYYY-MM-DD HH24:MI:SS TZ'),
           'reportedAt', to_char(s.outbox_reported_at, 'YYYY-MM-DD HH24:MI:SS TZ')) end as outbox
       from stations s order by s.dispatch_area, s.name`,
    );
    const total = await c.query<{ n: number }>('select count(*)::int as n from refusals');
    return {
      horizon: {
        lagXids: Number(h.rows[0]?.lag ?? 0),
        oldest: (oldest.rows[0] as CentralStatus['horizon']['oldest']) ?? null,
      },
      stations: stations.rows as CentralStatus['stations'],
      refusals: total.rows[0]?.n ?? 0,
      pooledLogin: await pooledLoginHealth(c),
    };
  });
}
