import type { ProgressListener } from './progress.ts';
import type { CentralApplier } from './apply.ts';
import type { CentralClient } from './central-client.ts';
import type { SyncStateRepo } from './local-state.ts';
import { parseSnapshotPage, type Entity } from './protocol.ts';
import { createBulkWriter, createDeferredIndexes, str, type SnapshotRow } from './snapshot-bulk.ts';
import type { Context } from '../store/context.ts';

const keyOf: Record<Entity, string> = {
  users: 'username',
  bags: 'id',
  links: 'id',
  bills: 'bill_no',
  bill_bags: 'parent_code',
};
/** Users first (links and bills name them), bags before the links and bill rows that point at them. */
const order: Entity[] = ['users', 'bags', 'links', 'bills', 'bill_bags'];

/** The most rows a snapshot function returns in one call. */
export const SNAPSHOT_PAGE_MAX = 50_000;

/**
 * Rows per snapshot page asked of the centre: BAGLINK_SNAPSHOT_PAGE_ROWS when it is a whole number from 1 (a
 * slow line can take smaller pages; tests use it to make a small centre take many pages), else the largest.
 */
export function snapshotPageRows(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.BAGLINK_SNAPSHOT_PAGE_ROWS);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, SNAPSHOT_PAGE_MAX) : SNAPSHOT_PAGE_MAX;
}
/**
 * Rows per page. A bulk load (a new, empty station) commits 3 pages at a time, all read before its transaction
 * opens: fewer commits rewrite fewer of the random-order id index pages, while a scan made meanwhile waits for at
 * most one such commit (under a second here). Measured over 2M bags: 20,000-row pages with a 64 MB cache took
 * 150 s at 341 MB peak RSS; 50,000-row pages with 128 MB took 102 s but 519 MB and multi-second commits, which
 * would stall the station's own writes. A resync of a station in use goes through the applier, 2,000 a commit.
 */
const BULK_PAGE_ROWS = 20_000;
const BULK_PAGES_PER_TRANSACTION = 3;
const APPLY_PAGE_ROWS = 2_000;
/** Cache for the bulk load (KiB, as a negative cache_size), given back when it ends. */
const LOAD_CACHE_KIB = 65_536;

type Mode = 'bulk' | 'apply';
interface Progress {
  horizon: string;
  mode: Mode;
  entity: Entity;
  after: string;
}

/**
 * Loads the centre's current rows instead of replaying its whole change log: a new station, or one the centre
 * told to resync. snapshot_start gives a horizon; the pages are read after it, and the caller then pulls the
 * change log from (horizon, 0), so whatever changed while the pages were read is applied again afterwards (the
 * appliers are idempotent). Each SQLite transaction (a page, or a few in a bulk load) commits together with the
 * progress row (sync_snapshot), so a load cut short resumes after its last commit, and the cursor moves to the
 * horizon only with the last page. The outbox is never touched.
 *
 * - bulk: a station with no bags, links, bills or parents on bills when the load began. Prepared inserts of
 *   whole pages; the counters each page changes (child counts, bill counts, totals) are added set-based in the
 *   same transaction, so the station is consistent at every commit, even when its own scans land in between.
 *   A row the bulk insert cannot take as it is (its code is already here, a bag it names is missing) goes
 *   through the central applier instead.
 * - apply: a station that already has data. Every row goes through the central applier; the links and parents
 *   on bills that are active here but not at the centre are removed, except those the unsent outbox carries.
 */
export function createSnapshotLoader(
  ctx: Context,
  client: CentralClient,
  state: SyncStateRepo,
  applier: CentralApplier,
  pageSize = SNAPSHOT_PAGE_MAX,
  onProgress: ProgressListener = () => {},
) {
  const s = ctx.sqlite;
  /** The centre's estimates of its row counts, from this load's start (unknown when a load is resumed). */
  let totals: Record<string, number> = {};
  const limit = Math.max(1, Math.min(pageSize, SNAPSHOT_PAGE_MAX));
  // sync_snapshot and sync_snapshot_indexes come from drizzle/local.
  const readProgress = s.prepare(
    `select horizon, mode, entity, after from sync_snapshot where singleton = 1`,
  );
  const writeProgress = s.prepare(
    `insert into sync_snapshot (singleton, horizon, mode, entity, after) values (1, @horizon, @mode, @entity, @after)
     on conflict (singleton) do update set horizon = excluded.horizon, mode = excluded.mode,
       entity = excluded.entity, after = excluded.after`,
  );
  const clearProgress = s.prepare(`delete from sync_snapshot`);
  const hasData = s.prepare(
    `select exists (select 1 from bags) or exists (select 1 from links) or exists (select 1 from bills)
       or exists (select 1 from bill_bags) as n`,
  );
  const bulk = createBulkWriter(ctx, applier);
  const indexes = createDeferredIndexes(ctx);
  const reconcile = createReconciler(ctx, applier);

  function applyPage(p: Progress, rows: SnapshotRow[], after: string, last: string | null): void {
    if (p.mode === 'bulk' && p.entity !== 'users') {
      bulk.write(p.entity, rows);
      return;
    }
    for (const row of rows) applier.apply({ entity: p.entity, row });
    if (p.mode === 'apply') reconcile(p.entity, new Set(rows.map((r) => String(r.id))), after, last);
  }

  /** One page, checked against the protocol's schema before anything of it is written. */
  async function page(entity: Entity, after: string, rows: number): Promise<SnapshotRow[]> {
    const raw = await client.snapshotPage(entity, after, rows);
    parseSnapshotPage(entity, raw);
    return raw;
  }

  /**
   * Loads every page of one entity after p.after. Each transaction writes pages already read (nothing is awaited
   * inside it) together with the progress they make; the last one also moves on to the next entity. The next
   * page is read from the centre while the current ones are written.
   */
  async function loadEntity(p: Progress): Promise<number> {
    const key = keyOf[p.entity];
    const pageRows = Math.min(limit, p.mode === 'bulk' ? BULK_PAGE_ROWS : APPLY_PAGE_ROWS);
    const pagesPerTransaction = p.mode === 'bulk' ? BULK_PAGES_PER_TRANSACTION : 1;
    const following = order[order.indexOf(p.entity) + 1];
    let after = p.after;
    let loaded = 0;
    if (p.mode === 'bulk' && p.entity === 'links') ctx.transaction(() => indexes.drop());
    // Said before the first page is asked for: over a slow line it is what the screens wait for.
    onProgress({ step: 'loading', entity: p.entity, done: 0, total: totals[p.entity] ?? null });
    let pending: Promise<SnapshotRow[]> | null = page(p.entity, after, pageRows);
    while (pending) {
      const pages: { rows: SnapshotRow[]; from: string; to: string | null }[] = [];
      while (pending && pages.length < pagesPerTransaction) {
        const rows: SnapshotRow[] = await pending;
        const more = rows.length >= pageRows;
        const last = rows.length > 0 ? String(rows[rows.length - 1]![key]) : after;
        pending = more ? page(p.entity, last, pageRows) : null;
        pending?.catch(() => undefined);
        pages.push({ rows, from: after, to: more ? last : null });
        after = last;
      }
      const done = pending === null;
      ctx.transaction(() => {
        for (const page of pages) applyPage(p, page.rows, page.from, page.to);
        if (!done) writeProgress.run({ ...p, after });
        else if (following) {
          indexes.restore();
          writeProgress.run({ ...p, entity: following, after: '' });
        } else {
          // The last page of all: the change log is pulled from the horizon on.
          indexes.restore();
          state.setCursor(p.horizon, 0, ctx.clock.now());
          clearProgress.run();
        }
      });
      for (const page of pages) loaded += page.rows.length;
      onProgress({ step: 'loading', entity: p.entity, done: loaded, total: totals[p.entity] ?? null });
    }
    return loaded;
  }

  return {
    /** A load that began and has not finished (it goes on before anything else is pulled). */
    pending: (): boolean => readProgress.get() !== undefined,
    /** Loads (or finishes loading) the snapshot and moves the pull cursor to its horizon. Rows loaded. */
    async load(): Promise<number> {
      let p = readProgress.get() as Progress | undefined;
      if (!p) {
        const start = await client.snapshotStart();
        totals = Object.fromEntries(
          // reltuples estimates; -1 (a table never analysed) means not known.
          Object.entries((start.counts ?? {}) as Record<string, unknown>)
            .map(([k, v]) => [k, Number(v)] as const)
            .filter(([, v]) => v > 0),
        );
        const horizon = str(start.xid);
        if (!horizon) throw new Error('the centre sent no snapshot horizon');
        const mode: Mode = (hasData.get() as { n: number }).n ? 'apply' : 'bulk';
        p = { horizon, mode, entity: order[0]!, after: '' };
        writeProgress.run(p);
      }
      if (p.entity !== 'links') ctx.transaction(() => indexes.restore());
      // A bulk load's settings, on this connection only and only while it loads:
      // - a larger page cache, given back when it ends;
      // - commits that skip fsync (WAL: a power cut can only take back whole pages, with their progress row, and
      //   the next cycle loads them again); the station's own commits still sync, and with them the WAL;
      // - no foreign key checks: every bulk insert finds the bags and bills it names through a join (a row whose
      //   bag is missing is not inserted but goes to the applier, which makes the bag first), so SQLite's own
      //   per-row check would look the same keys up again. It was three quarters of a link insert (20.6 -> 5.6 µs).
      const tuned: [string, string | number][] =
        p.mode === 'bulk'
          ? [
              ['cache_size', -LOAD_CACHE_KIB],
              ['synchronous', 'NORMAL'],
              ['foreign_keys', 'OFF'],
            ]
          : [];
      const saved = tuned.map(([name]) => [name, s.pragma(name, { simple: true })] as const);
      for (const [name, value] of tuned) s.pragma(`${name} = ${value}`);
      try {
        let loaded = 0;
        for (let i = order.indexOf(p.entity); i < order.length; i++) {
          loaded += await loadEntity(
            i === order.indexOf(p.entity) ? p : { ...p, entity: order[i]!, after: '' },
          );
        }
        return loaded;
      } finally {
        for (const [name, value] of saved) s.pragma(`${name} = ${String(value)}`);
      }
    },
  };
}

/**
 * For a resync: the links (by id) and parents on bills (by parent code) active here in the key range a
 * page covered, (after, last] (last null: to the end), that the centre's page did not carry are no longer active
 * at the centre, so they are removed here through the applier (which keeps the counters), unless the unsent
 * outbox still carries them (the station's own change, newer than the page). Call inside a transaction.
 */
function createReconciler(ctx: Context, applier: CentralApplier) {
  const s = ctx.sqlite;
  const activeLinks = s.prepare(
    `select l.id from links l where l.removed_at is null and l.id > @after and (@last is null or l.id <= @last)`,
  );
  const activeBillBags = s.prepare(
    `select bb.id, p.code as parentCode, b.bill_no as billNo from bags p
     join bill_bags bb on bb.parent_id = p.id and bb.removed_at is null join bills b on b.id = bb.bill_id
     where p.code > @after and (@last is null or p.code <= @last)`,
  );
  const inOutbox = s.prepare(`select 1 from outbox where sent_at is null and instr(payload, ?) > 0 limit 1`);

  return (entity: Entity, ids: Set<string>, after: string, last: string | null): void => {
    if (entity !== 'links' && entity !== 'bill_bags') return;
    const at = ctx.clock.now();
    if (entity === 'links') {
      for (const { id } of activeLinks.all({ after, last }) as { id: string }[]) {
        if (ids.has(id) || inOutbox.get(id)) continue;
        applier.apply({ entity, row: { id, removed_at: at, removed_by: 'centre' } });
      }
      return;
    }
    const rows = activeBillBags.all({ after, last }) as { id: string; parentCode: string; billNo: string }[];
    for (const r of rows) {
      if (ids.has(r.id) || inOutbox.get(r.id)) continue;
      applier.apply({
        entity,
        row: { id: r.id, parent_code: r.parentCode, bill_no: r.billNo, removed_at: at, removed_by: 'centre' },
      });
    }
  };
}
