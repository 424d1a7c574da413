import type { SyncStateRepo } from './local-state.ts';
import type { ConflictRow, ConflictView } from '../../src-shared/sync-status.ts';
import type { Context } from '../store/context.ts';
import { StationError } from '../../src-shared/errors.ts';
import type { LinkService } from '../core/link-service.ts';
import type { Operator } from '../../src-shared/domain.ts';
import { requireRole } from '../core/roles.ts';

export type ConflictResolution = 'keep_central' | 'move_here';

/**
 * Conflicts the centre reported for this station's changes, with both sides, for a supervisor. "keep_central"
 * accepts the centre's state (already applied here); "move_here" moves the child into this station's parent,
 * which travels to the centre as an ordinary supervisor move. The resolution itself goes up through the outbox.
 */
export function createConflictService(ctx: Context, repo: SyncStateRepo, links: LinkService) {
  /**
   * Every link conflict means the centre does not hold the station's link (child in that parent): while this
   * station still holds it, the centre's state is not applied here, and "keep the central state" would be untrue.
   */
  function stillHeld(conflict: ConflictRow): boolean {
    const local = conflict.local as { child?: unknown; parent?: unknown } | null;
    if (typeof local?.child !== 'string' || typeof local.parent !== 'string') return false;
    const childBag = ctx.bags.byCode(local.child);
    const link = childBag ? ctx.bags.activeLinkOfChild(childBag.id) : undefined;
    return link?.parentCode === local.parent;
  }

  return {
    /**
     * With the display names of the people both sides name (users of the area are kept on the station), and
     * centralApplied: whether "keep the central state" is true here now (offered only then).
     */
    list(actor: Operator | null, all = false): ConflictView[] {
      requireRole(actor, 'supervisor');
      const rows = all ? repo.recentConflicts(200) : repo.openConflicts();
      return rows.map((row) => {
        const names: Record<string, string> = {};
        for (const side of [row.local, row.central]) {
          const by = (side as { by?: unknown } | null)?.by;
          const user = typeof by === 'string' ? ctx.users.byUsername(by) : undefined;
          if (user && typeof by === 'string') names[by] = user.displayName;
        }
        return { ...row, names, centralApplied: !stillHeld(row) };
      });
    },

    resolve(actor: Operator | null, id: number, resolution: ConflictResolution): ConflictRow {
      const by = requireRole(actor, 'supervisor');
      return ctx.transaction(() => {
        const conflict = repo.conflict(id);
        if (!conflict || conflict.resolvedAt !== null) throw new StationError('conflict_not_found', { id });
        if (resolution === 'keep_central' && stillHeld(conflict)) {
          throw new StationError('conflict_not_applied', { id });
        }
        if (resolution === 'move_here') {
          const local = conflict.local as { child?: string; parent?: string } | null;
          if (conflict.kind !== 'linked_elsewhere' || !local?.child || !local.parent) {
            throw new StationError('conflict_cannot_move', { id });
          }
          links.moveChild(by, local.child, local.parent, `conflict ${conflict.centralId}`);
        }
        const at = ctx.clock.now();
        repo.resolveConflict(id, at, by.username, resolution);
        ctx.journal.audit({
          at,
          userId: by.id,
          action: 'conflict.resolve',
          entity: 'conflict',
          entityId: String(conflict.centralId),
          before: null,
          after: { resolution },
        });
        ctx.journal.outbox(
          'conflict.resolve',
          { conflictId: conflict.centralId, resolution, by: by.username, at },
          at,
        );
        return repo.conflict(id)!;
      });
    },
  };
}
