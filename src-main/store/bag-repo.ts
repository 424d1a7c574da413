import type { Sqlite } from './open.ts';
import type { BagKind } from '../../src-shared/domain.ts';

export interface BagRow {
  id: string;
  code: string;
  kind: BagKind;
  dispatchArea: string;
  childCount: number;
  firstSeenAt: number;
}

export interface ActiveLinkRow {
  id: string;
  childId: string;
  childCode: string;
  parentId: string;
  parentCode: string;
  linkedAt: number;
  linkedBy: string;
}

const bagColumns = `id, code, kind, dispatch_area as dispatchArea, child_count as childCount, first_seen_at as firstSeenAt`;
const linkColumns = `l.id, l.child_id as childId, c.code as childCode, l.parent_id as parentId, p.code as parentCode,
  l.linked_at as linkedAt, l.linked_by as linkedBy`;

/** Reads of bags and the links between them (one index probe each); changes go through the ledger. */
export function createBagRepo(sqlite: Sqlite) {
  const byCode = sqlite.prepare(`select ${bagColumns} from bags where code = ?`);
  const byId = sqlite.prepare(`select ${bagColumns} from bags where id = ?`);
  const activeLinkOfChild = sqlite.prepare(
    `select ${linkColumns} from links l join bags c on c.id = l.child_id join bags p on p.id = l.parent_id
     where l.child_id = ? and l.removed_at is null`,
  );
  const childrenOf = sqlite.prepare(
    `select c.code, l.linked_at as linkedAt, coalesce(u.username, l.linked_by) as linkedBy
     from links l join bags c on c.id = l.child_id left join users u on u.id = l.linked_by
     where l.parent_id = ? and l.removed_at is null order by l.linked_at, l.id`,
  );
  // A child's story in one probe: its parent now, who linked it, and the parent's bill.
  const parentStory = sqlite.prepare(
    `select p.code, p.child_count as childCount, l.linked_at as linkedAt, coalesce(u.username, l.linked_by) as linkedBy,
       b.bill_no as billNo, b.status as billStatus, b.destination
     from links l join bags p on p.id = l.parent_id left join users u on u.id = l.linked_by
       left join bill_bags bb on bb.parent_id = p.id and bb.removed_at is null left join bills b on b.id = bb.bill_id
     where l.child_id = ? and l.removed_at is null`,
  );
  const lastLinkBy = sqlite.prepare(
    `select ${linkColumns} from links l join bags c on c.id = l.child_id join bags p on p.id = l.parent_id
     where l.linked_by = ? and l.removed_at is null order by l.linked_at desc, l.id desc limit 1`,
  );

  return {
    byCode: (code: string) => byCode.get(code) as BagRow | undefined,
    byId: (id: string) => byId.get(id) as BagRow | undefined,
    activeLinkOfChild: (childId: string) => activeLinkOfChild.get(childId) as ActiveLinkRow | undefined,
    childrenOf: (parentId: string) =>
      childrenOf.all(parentId) as { code: string; linkedAt: number; linkedBy: string }[],
    parentStory: (childId: string) =>
      parentStory.get(childId) as
        | {
            code: string;
            childCount: number;
            linkedAt: number;
            linkedBy: string;
            billNo: string | null;
            billStatus: 'open' | 'completed' | null;
            destination: string | null;
          }
        | undefined,
    lastLinkBy: (userId: string) => lastLinkBy.get(userId) as ActiveLinkRow | undefined,
  };
}

export type BagRepo = ReturnType<typeof createBagRepo>;
