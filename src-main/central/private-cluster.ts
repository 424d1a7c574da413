/**
 * A private throwaway PostgreSQL cluster (initdb + pg_ctl from /usr/lib/postgresql/N/bin) on its own port and
 * folder, so fault tests can stop and restart "the centre" without touching the shared server, and
 * `baglink bench --central private` measures one. Runs the server as the postgres user when run as root. Never
 * a real centre.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chownSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateCluster {
  port: number;
  dir: string;
  /** postgres superuser URL of the database "postgres" (trust auth, TCP 127.0.0.1). */
  url: string;
  start(): void;
  /** pg_ctl stop -m fast: every connection is cut. */
  stop(): void;
  /** Starts a long-running program as the server's user (postgres when the tests run as root). */
  spawnAsServer(cmd: string, args: string[]): ChildProcess;
  chownToServer(path: string): void;
  destroy(): void;
}

export interface ClusterTls {
  certFile: string;
  keyFile: string;
}

export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((x, y) => Number(y) - Number(x)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  throw new Error(
    'These fault tests need PostgreSQL server binaries in /usr/lib/postgresql/*/bin (initdb, pg_ctl).',
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Settings for a cluster that stands in for a real central server (the bench): durable commits, a buffer cache
 * that holds the working set, and no checkpoint in the middle of a run. The default is a throwaway test server.
 */
export const serverLikeSettings = [
  'fsync = on',
  'shared_buffers = 512MB',
  'wal_buffers = 16MB',
  'max_wal_size = 4GB',
  'checkpoint_timeout = 30min',
];

export async function startPrivateCluster(
  tls?: ClusterTls,
  maxConnections = 60,
  settings: string[] = [],
  /** pg_hba.conf lines instead of initdb's (and of the TLS ones). */
  hba?: string[],
): Promise<PrivateCluster> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'baglink-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim()) : -1;
  const gid = asRoot ? Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) : -1;
  if (asRoot) chownSync(dir, uid, gid);
  const run = (cmd: string, args: string[]) => {
    const full = join(bin, cmd);
    const r = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8', timeout: 120_000 })
      : spawnSync(full, args, { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout || r.error?.message}`);
  };
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions',
  ]);
  const port = await freePort();
  const conf = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${dir}'`,
    'fsync = off',
    `max_connections = ${maxConnections}`,
    'shared_buffers = 32MB',
    ...settings,
  ];
  if (tls) {
    for (const [from, to] of [
      [tls.certFile, 'server.crt'],
      [tls.keyFile, 'server.key'],
    ] as const) {
      copyFileSync(from, join(data, to));
      if (asRoot) chownSync(join(data, to), uid, gid);
    }
    execFileSync('chmod', ['600', join(data, 'server.key')]);
    conf.push('ssl = on', `ssl_cert_file = 'server.crt'`, `ssl_key_file = 'server.key'`);
    // Passwords over TLS only: stations connect with hostssl and scram, IT with trust on the same host.
    writeFileSync(
      join(data, 'pg_hba.conf'),
      ['hostssl all postgres 127.0.0.1/32 trust', 'hostssl all all 127.0.0.1/32 scram-sha-256', ''].join(
        '\n',
      ),
    );
    if (asRoot) chownSync(join(data, 'pg_hba.conf'), uid, gid);
  }
  if (hba) {
    writeFileSync(join(data, 'pg_hba.conf'), `${hba.join('\n')}\n`);
    if (asRoot) chownSync(join(data, 'pg_hba.conf'), uid, gid);
  }
  writeFileSync(join(data, 'postgresql.auto.conf'), `${conf.join('\n')}\n`);
  if (asRoot) chownSync(join(data, 'postgresql.auto.conf'), uid, gid);
  const cluster: PrivateCluster = {
    port,
    dir,
    spawnAsServer: (cmd, args) =>
      asRoot
        ? spawn('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'ignore' })
        : spawn(cmd, args, { stdio: 'ignore' }),
    chownToServer(path: string) {
      if (asRoot) chownSync(path, uid, gid);
    },
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']),
    stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']),
    destroy() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
