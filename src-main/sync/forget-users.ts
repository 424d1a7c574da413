import type { CentralApplier } from './apply.ts';
import type { CentralClient } from './central-client.ts';
import { parseSnapshotPage } from './protocol.ts';
import type { Context } from '../store/context.ts';

const PAGE = 1_000;

/**
 * Once, after the upgrade to the pooled login (the centre used to send every user to every station): takes the
 * users the centre now gives this station (its area's and the admins) and forgets the hashes of every other
 * user it holds, except its own admins (which never leave it). Runs after the push, so a user made here and
 * still in the outbox is at the centre first.
 */
export async function keepOnlyCentreUsers(
  ctx: Context,
  client: CentralClient,
  applier: CentralApplier,
): Promise<number> {
  const kept = new Set<string>();
  for (let after = ''; ;) {
    const rows = await client.snapshotPage('users', after, PAGE);
    parseSnapshotPage('users', rows);
    ctx.transaction(() => {
      for (const row of rows) applier.apply({ entity: 'users', row });
    });
    for (const row of rows) kept.add(String(row.username));
    if (rows.length < PAGE) break;
    after = String(rows[rows.length - 1]!.username);
  }
  const local = ctx.sqlite
    .prepare(`select id, username from users where role <> 'admin' and password_hash <> ''`)
    .all() as { id: string; username: string }[];
  const others = local.filter((u) => !kept.has(u.username));
  ctx.transaction(() => {
    for (const u of others)
      applier.apply({ entity: 'users', row: { id: u.id, username: u.username, forget: true } });
  });
  return others.length;
}
