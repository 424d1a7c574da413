/**
 * Test support: a centre as IT runs it (a private cluster that admits the pooled login only over the socket, the
 * product's PgBouncer in front) and a call through it with the pooled login, as any station makes it. Not used by
 * the app.
 */
import pg from 'pg';
import type { PrivateCluster } from '../private-cluster.ts';
import { createCentralDb, type CentralDb } from '../scratch-db.ts';
import { startPooledOnlyCluster, startProductBouncer, type RunningBouncer } from './pgbouncer.ts';

export interface PooledCentre {
  cluster: PrivateCluster;
  db: CentralDb;
  bouncer: RunningBouncer;
  /** One client of the pooled login through PgBouncer, ended after fn. */
  asStation<T>(fn: (client: pg.Client) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export async function startPooledCentre(
  bounds: Parameters<typeof startProductBouncer>[2] = { serverConnections: 1 },
): Promise<PooledCentre> {
  const cluster = await startPooledOnlyCluster();
  const db = await createCentralDb(cluster.url);
  const bouncer = await startProductBouncer(cluster, db, bounds);
  return {
    cluster,
    db,
    bouncer,
    async asStation<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
      const client = new pg.Client({ connectionString: bouncer.url });
      await client.connect();
      try {
        return await fn(client);
      } finally {
        await client.end();
      }
    },
    async stop() {
      bouncer.stop();
      await db.drop().catch(() => undefined);
      cluster.destroy();
    },
  };
}
