/**
 * A throwaway CA and a certificate for 127.0.0.1 signed by it (openssl), so the bench's stations reach PgBouncer
 * with sslmode=verify-full as a real fleet does. The server's user must read the key: it is handed over to it.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export function makeBenchTls(dir: string, chownToServer: (path: string) => void): BenchTls {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = ['-newkey', 'rsa:2048', '-nodes'];
  const ca = [
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ];
  ssl(
    'req',
    '-x509',
    ...key,
    ...ca,
    '-days',
    '2',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-subj',
    '/CN=Bench CA',
  );
  ssl('req', ...key, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  const files = {
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'server.crt'),
    keyFile: join(dir, 'server.key'),
  };
  execFileSync('chmod', ['600', files.keyFile]);
  chownToServer(files.certFile);
  chownToServer(files.keyFile);
  return files;
}
