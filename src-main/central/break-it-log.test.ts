/**
 * Adversarial review of issue 12 (i12-break): what IT's own commands leave in the server log. The pooled login
 * keeps its bind parameters out of the log (log_parameter_max_length = 0), but IT's superuser session does not:
 * with log_statement = all (or any error of IT's statement), `central set-user` prints the user's argon2
 * password and PIN hashes into the server log, where whoever reads the logs can guess a 6-digit PIN offline,
 * the risk issue 12 took the hashes off other areas' stations for. This test FAILS on the code it was written
 * against. LOW-MEDIUM (needs access to the server log).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUser } from './it-admin.ts';
import type { PrivateCluster } from './private-cluster.ts';
import { createCentralDb, type CentralDb } from './scratch-db.ts';
import { startPooledOnlyCluster } from './testing/pgbouncer.ts';

let cluster: PrivateCluster;
let db: CentralDb;

beforeAll(async () => {
  cluster = await startPooledOnlyCluster([`log_statement = 'all'`]);
  db = await createCentralDb(cluster.url);
}, 120_000);

afterAll(async () => {
  await db?.drop().catch(() => undefined);
  cluster?.destroy();
});

describe("IT's commands and the server log (issue 12, adversarial)", () => {
  it("central set-user does not print a user's password or PIN hash into the server log", async () => {
    const pinHash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$pin-hash-that-must-stay-out-of-logs';
    const passwordHash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$password-hash-that-must-stay-out';
    await setUser(db.adminUrl, {
      username: 'meena',
      role: 'supervisor',
      areas: ['NORTH'],
      passwordHash,
      pinHash,
    });
    const log = readFileSync(join(cluster.dir, 'log'), 'utf8');
    expect(log).toContain('insert into users');
    expect(log).not.toContain('pin-hash-that-must-stay-out-of-logs');
    expect(log).not.toContain('password-hash-that-must-stay-out');
  });
});
