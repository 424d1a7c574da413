/**
 * A throwaway CA and a certificate for 127.0.0.1 signed by it (the tests' openssl helper), so the bench's stations
 * reach PgBouncer with sslmode=verify-full as a real fleet does. PgBouncer runs as the server's user: it gets the key.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { makeCertificates } from '../central/private-certs.ts';

export interface BenchTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export function makeBenchTls(dir: string, chownToServer: (path: string) => void): BenchTls {
  const made = makeCertificates(dir);
  chmodSync(made.keyFile, 0o600);
  chownToServer(made.certFile);
  chownToServer(made.keyFile);
  return { caFile: join(dir, 'ca.pem'), certFile: made.certFile, keyFile: made.keyFile };
}
