import type { CentralApplier, CentralRow } from './apply.ts';
import type { CentralClient } from './central-client.ts';
import type { SyncStateRepo } from './local-state.ts';
import type { Context } from '../core/context.ts';

interface Change extends CentralRow {
  id: number;
  xid: string;
}

/**
 * Download: pages of the centre's change log after this station's cursor; each page and its new cursor are
 * applied in one SQLite transaction, so a crash repeats at most the page that was not committed. A "resync"
 * answer resets the cursor and replays the whole log over the local tables; the outbox is never touched.
 */
export function createPuller(
  ctx: Context,
  client: CentralClient,
  state: SyncStateRepo,
  applier: CentralApplier,
  pageSize = 2_000,
) {
  return {
    async pullAll(): Promise<number> {
      let applied = 0;
      for (let resyncs = 0; ;) {
        const { cursorXid, cursorId } = state.read();
        const reply = await client.pull(cursorXid, cursorId, pageSize);
        if (reply.resync === true) {
          if (++resyncs > 2) throw new Error('the centre keeps asking for a resync');
          ctx.transaction(() => state.resetCursor(ctx.clock.now()));
          continue;
        }
        const changes = (reply.changes ?? []) as Change[];
        if (changes.length === 0) {
          ctx.transaction(() => state.setCursor(cursorXid, cursorId, ctx.clock.now()));
          return applied;
        }
        const last = changes[changes.length - 1]!;
        ctx.transaction(() => {
          for (const change of changes) applier.apply(change);
          state.setCursor(last.xid, last.id, ctx.clock.now());
        });
        applied += changes.length;
        if (reply.more !== true) return applied;
      }
    },
  };
}
