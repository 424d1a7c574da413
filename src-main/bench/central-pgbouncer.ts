/**
 * PgBouncer in transaction mode in front of the bench's cluster: its own port, a temp ini, run as the server's
 * user, at most maxServerConnections connections to PostgreSQL however many stations connect.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PrivateCluster } from '../central/private-cluster.ts';
import { freePort } from '../central/private-cluster.ts';

export const pgbouncerBin = '/usr/sbin/pgbouncer';

export async function startPgBouncer(
  cluster: PrivateCluster,
  database: string,
  maxServerConnections: number,
  users: string[],
) {
  if (!existsSync(pgbouncerBin)) {
    throw new Error(`PgBouncer is not installed at ${pgbouncerBin}: install the Debian package "pgbouncer".`);
  }
  const port = await freePort();
  const ini = join(cluster.dir, 'pgbouncer.ini');
  const pidFile = join(cluster.dir, 'pgbouncer.pid');
  writeFileSync(
    ini,
    [
      '[databases]',
      `${database} = host=127.0.0.1 port=${cluster.port} dbname=${database}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${cluster.dir}`,
      'auth_type = trust',
      `auth_file = ${join(cluster.dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 1000',
      `default_pool_size = ${maxServerConnections}`,
      `max_db_connections = ${maxServerConnections}`,
      // All stations share the pooled login, so they share one pool: server connections stay warm between pushes
      // (the 50 ms server_idle_timeout that per-station roles needed would start a backend for most pushes).
      `logfile = ${join(cluster.dir, 'pgbouncer.log')}`,
      `pidfile = ${pidFile}`,
      'ignore_startup_parameters = statement_timeout,idle_in_transaction_session_timeout,options',
      '',
    ].join('\n'),
  );
  // auth_type trust still needs every user named in the auth file (bench only: the cluster trusts 127.0.0.1).
  writeFileSync(join(cluster.dir, 'userlist.txt'), users.map((u) => `"${u}" ""`).join('\n') + '\n');
  cluster.chownToServer(ini);
  cluster.chownToServer(join(cluster.dir, 'userlist.txt'));
  const child = cluster.spawnAsServer(pgbouncerBin, [ini]);
  for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(pidFile)) {
    child.kill();
    throw new Error(`PgBouncer did not start: see ${join(cluster.dir, 'pgbouncer.log')}`);
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return {
    port,
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
