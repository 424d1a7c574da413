import type { Sqlite } from './open.ts';
import type { WeightCheck } from '../../src-shared/hardware.ts';

/** One row of parent_weights (migration 0006): a weighing, or a "weigh later". */
export interface NewWeightRow {
  id: string;
  parentId: string;
  state: 'recorded' | 'later';
  kg: number | null;
  tareKg: number | null;
  childCount: number;
  expectedKg: number | null;
  check: WeightCheck;
  scale: string | null;
  raw: string | null;
  userId: string | null;
  stationId: string;
  at: number;
  /**
   * The scale's own tare when it weighed (a pallet or crate the operator tared off, Toledo's long frame) and
   * whether it said the weight is net: kg is then the bag on its own, as the check and the bills want it.
   * Not read back (audit and sync carry them); null when the scale did not say.
   */
  scaleTareKg?: number | null;
  scaleNet?: boolean | null;
}

export interface WeightRow extends NewWeightRow {
  parentCode: string;
  /** The weigher's username (the user id when the user is not known here). */
  username: string | null;
  ackBy: string | null;
  ackAt: number | null;
  staleAt: number | null;
}

/** A bill's parents that carry a current recorded weight: how many, their kg, and their children. */
export interface BillWeights {
  billId: string;
  weighed: number;
  kg: number;
  children: number;
}

const columns = `w.id, w.parent_id as parentId, p.code as parentCode, w.state, w.kg, w.tare_kg as tareKg,
  w.child_count as childCount, w.expected_kg as expectedKg, w.check_result as "check", w.scale, w.raw,
  w.user_id as userId, coalesce(u.username, w.user_id) as username, w.station_id as stationId, w.at,
  w.ack_by as ackBy, w.ack_at as ackAt, w.stale_at as staleAt`;

/**
 * The newest weighing (not "weigh later") of the parent p.id: the one whose check counts for an acknowledgement,
 * stale or not (a "weigh later" or a change to the parent does not take its off weight from the supervisor).
 */
const newestRecordedId = (parent: string) =>
  `(select n.id from parent_weights n where n.parent_id = ${parent} and n.state = 'recorded'
    order by n.at desc, n.id desc limit 1)`;

/**
 * The newest row of a parent (the SQL expression `parent` is its id): one probe of parent_weights_parent
 * (parent_id, at), ties to the later id (uuidv7, in time order). The exports join on it too.
 */
export const newestWeightId = (parent: string) =>
  `(select n.id from parent_weights n where n.parent_id = ${parent} order by n.at desc, n.id desc limit 1)`;

/**
 * The one statement that marks a parent's weighings stale (the parent changed after them). A parent being
 * filled has no rows, so on the scan path this is one index probe that finds nothing. The ledger prepares it
 * for links, the scan flow uses it for a reopened parent.
 */
export function prepareMarkStale(sqlite: Sqlite) {
  const stmt = sqlite.prepare(
    `update parent_weights set stale_at = ? where parent_id = ? and stale_at is null`,
  );
  return (parentId: string, at: number): number => stmt.run(at, parentId).changes;
}

/** The weights of parent bags: the newest row of a parent is its weight. */
export function createWeightRepo(sqlite: Sqlite) {
  const insert = sqlite.prepare(
    `insert into parent_weights (id, parent_id, state, kg, tare_kg, child_count, expected_kg, check_result, scale,
       raw, user_id, station_id, at, scale_tare_kg, scale_net)
     values (@id, @parentId, @state, @kg, @tareKg, @childCount, @expectedKg, @check, @scale, @raw, @userId,
       @stationId, @at, @scaleTareKg, @scaleNet)`,
  );
  const newestOf = sqlite.prepare(
    `select ${columns} from parent_weights w join bags p on p.id = w.parent_id left join users u on u.id = w.user_id
     where w.id = ${newestWeightId('?')}`,
  );
  const newestRecordedOf = sqlite.prepare(
    `select ${columns} from parent_weights w join bags p on p.id = w.parent_id left join users u on u.id = w.user_id
     where w.id = ${newestRecordedId('?')}`,
  );
  const acknowledge = sqlite.prepare(
    `update parent_weights set ack_by = ?, ack_at = ? where id = ? and check_result = 'off' and ack_at is null`,
  );
  // Through the partial index of off weighings not acknowledged: a parent's newest weighing waits until a
  // supervisor acknowledges it, even when the parent changed since (a dock worker cannot clear it by scanning the
  // parent again or by "weigh later"); only a newer weighing takes its place.
  const unacknowledged = sqlite.prepare(
    `select ${columns} from parent_weights w join bags p on p.id = w.parent_id left join users u on u.id = w.user_id
     where w.check_result = 'off' and w.ack_at is null and w.id = ${newestRecordedId('w.parent_id')}
     order by w.at desc limit ?`,
  );
  const unacknowledgedCount = sqlite
    .prepare(
      `select count(*) from parent_weights w
       where w.check_result = 'off' and w.ack_at is null and w.id = ${newestRecordedId('w.parent_id')}`,
    )
    .pluck();
  const dayCounts = sqlite.prepare(
    `select
       count(distinct case when state = 'recorded' then parent_id end) as weighed,
       count(distinct case when state = 'later' then parent_id end) as later,
       count(distinct case when check_result = 'off' then parent_id end) as off
     from parent_weights where at >= ? and at < ?`,
  );
  // Parents completed in [from, to): filled by a link scan, or closed with "complete parent"; those whose
  // newest weight is not a current recorded one. Read through scans_at_idx and audit_at_idx: one day's rows.
  const estimatedParents = sqlite
    .prepare(
      `with done(parent_id) as (
       select b.id from scans s join bags b on b.code = s.parent_code
       where s.at >= @from and s.at < @to and s.action = 'link' and s.outcome = 'parent_full'
       union
       select a.entity_id from audit_log a where a.at >= @from and a.at < @to and a.action = 'scan.closeParent'
     )
     select count(*) from done d join bags b on b.id = d.parent_id where b.child_count > 0 and not exists (
       select 1 from parent_weights w where w.id = ${newestWeightId('d.parent_id')}
         and w.state = 'recorded' and w.stale_at is null)`,
    )
    .pluck();
  const billWeights = sqlite.prepare(
    `select bb.bill_id as billId, count(*) as weighed, sum(w.kg) as kg, sum(p.child_count) as children
     from bill_bags bb join bags p on p.id = bb.parent_id
       join parent_weights w on w.id = ${newestWeightId('bb.parent_id')}
     where bb.bill_id in (select value from json_each(?)) and bb.removed_at is null
       and w.state = 'recorded' and w.stale_at is null
     group by bb.bill_id`,
  );

  return {
    insert(row: NewWeightRow): void {
      const { scaleTareKg = null, scaleNet = null } = row;
      insert.run({ ...row, scaleTareKg, scaleNet: scaleNet === null ? null : scaleNet ? 1 : 0 });
    },
    newestOf: (parentId: string) => newestOf.get(parentId) as WeightRow | undefined,
    /** The newest weighing that is not a "weigh later": the one a supervisor acknowledges. */
    newestRecordedOf: (parentId: string) => newestRecordedOf.get(parentId) as WeightRow | undefined,
    markStale: prepareMarkStale(sqlite),
    /** False when the row is not an off weighing waiting for a supervisor. */
    acknowledge: (id: string, by: string, at: number): boolean => acknowledge.run(by, at, id).changes === 1,
    /** Off weighings still waiting for a supervisor (each parent's newest, unchanged since), newest first. */
    unacknowledged: (limit = 50) => unacknowledged.all(limit) as WeightRow[],
    unacknowledgedCount: () => unacknowledgedCount.get() as number,
    /** Parents weighed, put off ("weigh later") and found off in [from, to). */
    dayCounts: (from: number, to: number) =>
      dayCounts.get(from, to) as { weighed: number; later: number; off: number },
    estimatedParents: (from: number, to: number) => estimatedParents.get({ from, to }) as number,
    /** The current recorded weights of these bills' parents, one row per bill that has any. */
    billWeights: (billIds: string[]): BillWeights[] =>
      billIds.length === 0 ? [] : (billWeights.all(JSON.stringify(billIds)) as BillWeights[]),
  };
}

export type WeightRepo = ReturnType<typeof createWeightRepo>;
