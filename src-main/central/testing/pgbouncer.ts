/**
 * Test support: a private cluster whose pg_hba admits the pooled station login only over the Unix socket, and a
 * real PgBouncer in front of it started from the product's own `central pgbouncer-config` (client TLS, checked by
 * the stations with verify-full). Not used by the app.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgbouncerBin, pgbouncerConfig } from '../pgbouncer-config.ts';
import { freePort, startPrivateCluster, type PrivateCluster } from '../private-cluster.ts';
import { makeCertificates } from '../private-certs.ts';
import type { CentralDb } from '../scratch-db.ts';

/** IT (postgres) from 127.0.0.1 and the socket; every other login only over the socket, i.e. through PgBouncer. */
export const pooledOnlyHba = [
  'host all postgres 127.0.0.1/32 trust',
  'local all postgres trust',
  'local all all scram-sha-256',
  'host all all 127.0.0.1/32 reject',
];

export function startPooledOnlyCluster(settings: string[] = []): Promise<PrivateCluster> {
  return startPrivateCluster(undefined, 40, settings, pooledOnlyHba);
}

export interface RunningBouncer {
  port: number;
  /** The pooled login. */
  login: string;
  /** The pooled login's password, as the enrolment line carries it. */
  password: string;
  /** PgBouncer's CA, for the stations' verify-full. */
  caFile: string;
  /** Where stations connect: postgres://127.0.0.1:port/db?sslmode=verify-full&sslrootcert=... (no user). */
  base: string;
  /** The same with the pooled login and its password: a station's full connection string. */
  url: string;
  stop(): void;
}

export async function startProductBouncer(
  cluster: PrivateCluster,
  db: CentralDb,
  o: {
    serverConnections?: number;
    idleTransactionTimeoutSeconds?: number;
    queryTimeoutSeconds?: number;
  } = {},
): Promise<RunningBouncer> {
  const certDir = join(cluster.dir, 'tls');
  mkdirSync(certDir, { recursive: true });
  const certs = makeCertificates(certDir);
  for (const f of [certDir, certs.certFile, certs.keyFile]) cluster.chownToServer(f);
  chmodSync(certs.keyFile, 0o600);
  const port = await freePort();
  const config = await pgbouncerConfig({
    adminUrl: db.adminUrl,
    listenAddr: '127.0.0.1',
    listenPort: port,
    serverSocketDir: cluster.dir,
    serverPort: cluster.port,
    configDir: cluster.dir,
    serverConnections: o.serverConnections ?? 3,
    ...(o.idleTransactionTimeoutSeconds !== undefined
      ? { idleTransactionTimeoutSeconds: o.idleTransactionTimeoutSeconds }
      : {}),
    ...(o.queryTimeoutSeconds !== undefined ? { queryTimeoutSeconds: o.queryTimeoutSeconds } : {}),
    tlsCertFile: certs.certFile,
    tlsKeyFile: certs.keyFile,
  });
  const ini = join(cluster.dir, 'pgbouncer.ini');
  const userlist = join(cluster.dir, 'userlist.txt');
  writeFileSync(ini, config.ini, { mode: 0o600 });
  writeFileSync(userlist, config.userlist, { mode: 0o600 });
  cluster.chownToServer(ini);
  cluster.chownToServer(userlist);
  const child = cluster.spawnAsServer(pgbouncerBin, [ini]);
  const pidFile = join(cluster.dir, 'pgbouncer.pid');
  for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(pidFile)) {
    child.kill();
    throw new Error(`PgBouncer did not start: ${join(cluster.dir, 'pgbouncer.log')}`);
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const [row] = await db.query<{ value: string }>(
    `select value from central_settings where key = 'login_password'`,
  );
  const password = row!.value;
  const caFile = join(certDir, 'ca.pem');
  const base =
    `postgres://127.0.0.1:${port}/${db.name}` +
    `?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}`;
  const url = new URL(base);
  url.username = config.login;
  url.password = password;
  return {
    port,
    login: config.login,
    password,
    caFile,
    base,
    url: url.toString(),
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
