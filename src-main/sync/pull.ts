import type { ProgressListener } from './progress.ts';
import type { CentralApplier } from './apply.ts';
import type { CentralClient } from './central-client.ts';
import type { SyncStateRepo } from './local-state.ts';
import { parseChanges, parseHorizonWait } from './protocol.ts';
import { createSnapshotLoader, SNAPSHOT_PAGE_MAX } from './snapshot.ts';
import type { Context } from '../store/context.ts';

/**
 * Download: pages of the centre's change log after this station's cursor; each page and its new cursor are
 * applied in one SQLite transaction, so a crash repeats at most the page that was not committed. A station that
 * never pulled, or one the centre answers "resync", loads the centre's current rows (snapshot.ts) and pulls the
 * log from that snapshot's horizon; a load cut short is finished first. The outbox is never touched.
 */
export function createPuller(
  ctx: Context,
  client: CentralClient,
  state: SyncStateRepo,
  applier: CentralApplier,
  pageSize = 2_000,
  snapshotPageSize = SNAPSHOT_PAGE_MAX,
  onProgress: ProgressListener = () => {},
) {
  const snapshot = createSnapshotLoader(ctx, client, state, applier, snapshotPageSize, onProgress);
  return {
    async pullAll(): Promise<number> {
      let applied = 0;
      for (let resyncs = 0, loads = 0; ;) {
        const { cursorXid, cursorId } = state.read();
        if (snapshot.pending() || (cursorXid === '0' && cursorId === 0 && loads === 0)) {
          loads++;
          applied += await snapshot.load();
          continue;
        }
        const reply = await client.pull(state.incarnation(), cursorXid, cursorId, pageSize);
        if (reply.resync === true) {
          if (++resyncs > 2) throw new Error('the centre keeps asking for a resync');
          // Back to "never pulled" first: if the load is cut short before it records its start, the next
          // cycle still loads it (the centre has already forgotten it asked).
          ctx.transaction(() => state.resetCursor(ctx.clock.now()));
          loads = 0;
          continue;
        }
        // Checked, by column name, before anything of the page is applied: a row this station cannot read
        // stops the pull with a typed error instead of half a page.
        const changes = parseChanges(reply.changes);
        const lastChange = changes.at(-1);
        // The page's end: it also covers this station's own changes, which the centre leaves out.
        const end =
          (reply.cursor as { xid: string; id: number } | null | undefined) ??
          (lastChange?.xid !== undefined && lastChange.id !== undefined
            ? { xid: lastChange.xid, id: lastChange.id }
            : undefined);
        ctx.transaction(() => {
          for (const change of changes) applier.apply(change);
          if (end) state.setCursor(end.xid, Number(end.id), ctx.clock.now());
          else state.setCursor(cursorXid, cursorId, ctx.clock.now());
          // The last page says whether a long transaction at the centre holds newer changes back.
          if (reply.more !== true) state.setHorizonWait(parseHorizonWait(reply.waiting));
        });
        applied += changes.length;
        if (reply.more !== true) return applied;
        // More pages: a catch-up after a long time offline. Its end is not known ahead, only how far it got.
        onProgress({ step: 'pulling', entity: 'changes', done: applied, total: null });
      }
    },
  };
}
