import type { Sqlite } from './open.ts';

interface Pending<T> {
  work: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: work queued while a commit is on its way to disk goes into the next transaction together,
 * each piece in its own savepoint so one failure rolls back only itself. With synchronous=FULL a commit
 * costs an fsync (milliseconds on a slow disk); sharing it is how a burst of scans keeps up. Nothing resolves
 * before the transaction that holds it has committed.
 */
export interface GroupCommitHooks {
  /** After a batch's transaction has committed, before any of its promises resolve. */
  committed?: () => void;
  /** After a batch's transaction has failed and rolled back. */
  rolledBack?: () => void;
}

export function createGroupCommit(sqlite: Sqlite, hooks: GroupCommitHooks = {}) {
  let queue: Pending<unknown>[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = queue;
    queue = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      sqlite
        .transaction(() => {
          for (const item of batch) {
            try {
              outcomes.push({ ok: true, value: sqlite.transaction(item.work)() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      hooks.rolledBack?.();
      for (const item of batch) item.reject(error);
      return;
    }
    hooks.committed?.();
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  return {
    run<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve, reject } as Pending<unknown>);
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
