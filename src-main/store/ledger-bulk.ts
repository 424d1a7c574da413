import type { Sqlite } from './open.ts';
import { createTotalsWriter } from './total-names.ts';

/**
 * The ledger's rules set-based, for a bulk load (a new station's snapshot of millions of rows): the loader
 * inserts a page of rows with no counters, then tells the ledger what the page added (rows above a rowid mark
 * taken before the page) and the counters move once per page, not once per row. The same counters as
 * `ledger.ts` keeps row at a time; `ledger-recount.ts` checks both. Call inside the page's transaction.
 */
export function createBulkLedger(sqlite: Sqlite, capacity: () => number) {
  const totals = createTotalsWriter(sqlite);
  // A scratch table per connection: each parent the page linked children to, and how many.
  sqlite.exec(
    `create temp table if not exists snapshot_parent_delta (parent_id text primary key, n integer not null)`,
  );
  const maxRowid = (table: string) => sqlite.prepare(`select coalesce(max(rowid), 0) as n from ${table}`);
  const maxLink = maxRowid('links');
  const maxBillBag = maxRowid('bill_bags');
  const clearDelta = sqlite.prepare(`delete from temp.snapshot_parent_delta`);
  const fillDelta = sqlite.prepare(
    `insert into temp.snapshot_parent_delta (parent_id, n)
     select parent_id, count(*) from links where rowid > ? group by parent_id`,
  );
  const fullAmongDelta = sqlite.prepare(
    // A bag lookup by primary key per parent in the delta (as a join SQLite would walk every bag).
    `select count(*) as n from temp.snapshot_parent_delta d
     where (select b.child_count from bags b where b.id = d.parent_id) >= ?`,
  );
  const addChildren = sqlite.prepare(
    // By primary key for each parent in the delta (UPDATE ... FROM would walk every bag for each page).
    `update bags set child_count = child_count + (select d.n from temp.snapshot_parent_delta d
       where d.parent_id = bags.id), updated_at = ?
     where id in (select parent_id from temp.snapshot_parent_delta)`,
  );
  // A weighing taken before a link of the page (a weight that came down before its parent's links) is stale.
  const staleWeights = sqlite.prepare(
    `update parent_weights set stale_at = ?
     where parent_id in (select parent_id from temp.snapshot_parent_delta) and stale_at is null
       and at < (select max(l.linked_at) from links l where l.parent_id = parent_weights.parent_id and l.rowid > ?)`,
  );
  const addBillChildren = sqlite.prepare(
    `update bills set child_count = bills.child_count + x.n, updated_at = ?
     from (select bb.bill_id, sum(d.n) as n from temp.snapshot_parent_delta d
           join bill_bags bb on bb.parent_id = d.parent_id and bb.removed_at is null group by bb.bill_id) x
     where bills.id = x.bill_id`,
  );
  const addBillParents = sqlite.prepare(
    `update bills set parent_count = bills.parent_count + x.p, child_count = bills.child_count + x.c, updated_at = ?
     from (select bb.bill_id, count(*) as p, sum(g.child_count) as c from bill_bags bb
           join bags g on g.id = bb.parent_id where bb.rowid > ? group by bb.bill_id) x
     where bills.id = x.bill_id`,
  );

  return {
    /** Taken before a page of links is inserted. */
    linksMark: () => (maxLink.get() as { n: number }).n,
    /** Taken before a page of parents on bills is inserted. */
    billBagsMark: () => (maxBillBag.get() as { n: number }).n,

    bagsAdded(parents: number, children: number): void {
      totals.add('bags', parents + children);
      totals.addTwo('parents', parents, 'children', children);
    },

    /**
     * The page inserted `inserted` active links, all above `mark`: child counts, bills, full parents, totals, and
     * the weighings of those parents taken before such a link go stale.
     */
    linksAdded(mark: number, inserted: number, at: number): void {
      const full = capacity();
      clearDelta.run();
      fillDelta.run(mark);
      const fullBefore = (fullAmongDelta.get(full) as { n: number }).n;
      addChildren.run(at);
      addBillChildren.run(at);
      staleWeights.run(at, mark);
      const fullAfter = (fullAmongDelta.get(full) as { n: number }).n;
      clearDelta.run();
      totals.addTwo('links', inserted, 'full_parents', fullAfter - fullBefore);
    },

    billsAdded(open: number, completed: number): void {
      totals.addTwo('bills_open', open, 'bills_completed', completed);
    },

    /** The page put parents on bills (active rows above `mark`): each bill's parent and child counts. */
    billBagsAdded(mark: number, at: number): void {
      addBillParents.run(at, mark);
    },
  };
}

export type BulkLedger = ReturnType<typeof createBulkLedger>;
