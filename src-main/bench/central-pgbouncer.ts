/**
 * PgBouncer in front of the bench's cluster, started from the product's own config (`baglink central
 * pgbouncer-config`): statement mode, the one pooled station login, RESET ALL always, PgBouncer's query and
 * idle-transaction timeouts, PostgreSQL reached over its Unix socket, at most `serverConnections` server
 * connections however many stations connect. Each start has its own folder, so several can run one after another.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgbouncerBin, pgbouncerConfig } from '../central/pgbouncer-config.ts';
import type { PrivateCluster } from '../central/private-cluster.ts';
import { freePort } from '../central/private-cluster.ts';

/** PgBouncer's own certificate for the stations' verify-full (client TLS); without it, plain TCP. */
export interface BouncerTls {
  certFile: string;
  keyFile: string;
}

export interface RunningBouncer {
  port: number;
  /** The pooled login PgBouncer serves (one pool for every station). */
  login: string;
  /** PgBouncer's log: a line per client login ("login attempt"). */
  logFile: string;
  stop(): void;
}

export async function startPgBouncer(
  cluster: PrivateCluster,
  adminUrl: string,
  serverConnections: number,
  tls?: BouncerTls,
): Promise<RunningBouncer> {
  if (!existsSync(pgbouncerBin)) {
    throw new Error(`PgBouncer is not installed at ${pgbouncerBin}: install the Debian package "pgbouncer".`);
  }
  const port = await freePort();
  const dir = join(cluster.dir, `pgbouncer-${port}`);
  mkdirSync(dir, { mode: 0o700 });
  cluster.chownToServer(dir);
  const config = await pgbouncerConfig({
    adminUrl,
    listenAddr: '127.0.0.1',
    listenPort: port,
    serverSocketDir: cluster.dir,
    serverPort: cluster.port,
    configDir: dir,
    serverConnections,
    ...(tls ? { tlsCertFile: tls.certFile, tlsKeyFile: tls.keyFile } : {}),
  });
  const ini = join(dir, 'pgbouncer.ini');
  const pidFile = join(dir, 'pgbouncer.pid');
  writeFileSync(ini, config.ini, { mode: 0o600 });
  writeFileSync(join(dir, 'userlist.txt'), config.userlist, { mode: 0o600 });
  cluster.chownToServer(ini);
  cluster.chownToServer(join(dir, 'userlist.txt'));
  const child = cluster.spawnAsServer(pgbouncerBin, [ini]);
  for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(pidFile)) {
    child.kill();
    throw new Error(`PgBouncer did not start: see ${join(dir, 'pgbouncer.log')}`);
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return {
    port,
    login: config.login,
    logFile: join(dir, 'pgbouncer.log'),
    stop() {
      // The daemon's own pid (runuser is only its parent), then the child we started.
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      child.kill();
    },
  };
}
