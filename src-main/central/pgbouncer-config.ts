/**
 * PgBouncer in front of the centre, as the product runs it: statement pooling of the one pooled station login,
 * the bounds a station cannot lift (query_timeout, idle_transaction_timeout), a reset after every statement
 * that also clears prepared statements, held cursors and LISTEN and pins the settings the sync depends on
 * (pooled-login.ts), client TLS, and the server reached over the Unix socket (pg_hba admits the pooled login only
 * there, so a station cannot skip PgBouncer).
 */
import { pooledLogin, withAdmin } from './enrol.ts';
import { pinnedSessionSettings, serverResetQuery, serverSettings } from './pooled-login.ts';

/** Where Debian's package puts PgBouncer: the bench and the tests start their own in front of a private cluster. */
export const pgbouncerBin = '/usr/sbin/pgbouncer';

export interface PgBouncerOptions {
  /** IT's connection, to read the pooled login and the database name. */
  adminUrl: string;
  listenAddr?: string;
  listenPort?: number;
  /** Where PgBouncer reaches PostgreSQL: the Unix socket folder (default /var/run/postgresql) and port. */
  serverSocketDir?: string;
  serverPort?: number;
  /** The folder of pgbouncer.ini and userlist.txt (also its log and pid file unless runDir says otherwise). */
  configDir?: string;
  runDir?: string;
  serverConnections?: number;
  queryTimeoutSeconds?: number;
  idleTransactionTimeoutSeconds?: number;
  /** PEM files of PgBouncer's own certificate for the stations' verify-full; without them, no client TLS. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
}

export interface PgBouncerConfig {
  database: string;
  login: string;
  ini: string;
  /** Owner-only: the pooled login's password, which PgBouncer needs to log in to PostgreSQL for it. */
  userlist: string;
}

export async function pgbouncerConfig(o: PgBouncerOptions): Promise<PgBouncerConfig> {
  const database = decodeURIComponent(new URL(o.adminUrl).pathname.slice(1));
  const { login, server } = await withAdmin(o.adminUrl, async (c) => ({
    login: await pooledLogin(c),
    server: await serverSettings(c),
  }));
  const pins = pinnedSessionSettings(server);
  const dir = o.configDir ?? '/etc/pgbouncer';
  const run = o.runDir ?? dir;
  const pool = o.serverConnections ?? 19;
  const tls = o.tlsCertFile && o.tlsKeyFile;
  const ini = [
    '; Written by "baglink central pgbouncer-config". Stations connect here, never to PostgreSQL directly.',
    '[databases]',
    `${database} = host=${o.serverSocketDir ?? '/var/run/postgresql'} port=${o.serverPort ?? 5432} dbname=${database}` +
      ` connect_query='${pins}'`,
    '',
    '[pgbouncer]',
    `listen_addr = ${o.listenAddr ?? '*'}`,
    `listen_port = ${o.listenPort ?? 6432}`,
    `unix_socket_dir = ${run}`,
    'auth_type = scram-sha-256',
    `auth_file = ${dir}/userlist.txt`,
    '; One pool for every station: a statement borrows a server connection and gives it back at its end. A sync',
    '; call is one statement; a transaction block is refused, so no station holds a connection between statements.',
    'pool_mode = statement',
    '; After every transaction: what the last station left on the connection goes, and the settings the sync',
    '; depends on are set again, whatever defaults a station wrote on the shared role.',
    `server_reset_query = ${serverResetQuery(pins)}`,
    'server_reset_query_always = 1',
    `default_pool_size = ${pool}`,
    `max_db_connections = ${pool}`,
    'max_client_conn = 2000',
    '; The bounds no station can SET away: a statement, or a transaction left idle, is cut here.',
    `query_timeout = ${o.queryTimeoutSeconds ?? 60}`,
    `idle_transaction_timeout = ${o.idleTransactionTimeoutSeconds ?? 10}`,
    "; Set by the stations' driver at login; PgBouncer keeps its own bounds instead.",
    'ignore_startup_parameters = extra_float_digits,statement_timeout,idle_in_transaction_session_timeout,options',
    ...(tls
      ? [
          'client_tls_sslmode = require',
          `client_tls_cert_file = ${o.tlsCertFile}`,
          `client_tls_key_file = ${o.tlsKeyFile}`,
        ]
      : ['; No client TLS: give --tls-cert and --tls-key for a centre stations reach over a network.']),
    `logfile = ${run}/pgbouncer.log`,
    `pidfile = ${run}/pgbouncer.pid`,
    '',
  ].join('\n');
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return { database, login: login.role, ini, userlist: `${quote(login.role)} ${quote(login.password)}\n` };
}
