/**
 * A 0010 centre sent every admin, with hashes, to every station. Migrated to 0011 (an admin only at the
 * stations of their areas), a station of another area that synced before deletes the hashes of the admin it held
 * at its next pull (and switches them off there): the migration touches the admins' rows, and the pull's
 * "forget" does the rest.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { joinedStation, type SyncedStation } from '../sync/testing/stations.ts';
import { setUser } from './it-admin.ts';
import { migrateCentral } from './migrate.ts';
import { createCentralDb, type CentralDb } from './scratch-db.ts';
import { migrationsUpTo } from './testing/migrations.ts';

const hash = (s: string) => `$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$${s}`;

describe('a 0010 centre migrated to 0011: admins of other areas leave the stations', () => {
  let db: CentralDb | undefined;
  let south: SyncedStation | undefined;
  afterAll(async () => {
    south?.dispose();
    await db?.drop();
  });

  it('a SOUTH station forgets the NORTH admin it pulled before, and keeps the admin of every area', async () => {
    const old = migrationsUpTo('0010_authority_gaps');
    try {
      db = await createCentralDb(undefined, old);
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
    await setUser(db.adminUrl, {
      username: 'north-admin',
      role: 'admin',
      areas: ['NORTH'],
      passwordHash: hash('north'),
    });
    await setUser(db.adminUrl, { username: 'root', role: 'admin', areas: [], passwordHash: hash('root') });
    south = await joinedStation(db, 'Dock S', 'SOUTH');
    await south.engine.cycle();
    const admins = () =>
      (
        south!.station.ctx.sqlite
          .prepare(
            `select username from users where role = 'admin' and (password_hash <> '' or pin_hash is not null)
             order by username`,
          )
          .all() as { username: string }[]
      ).map((u) => u.username);
    expect(admins()).toEqual(['north-admin', 'root']);

    await migrateCentral(db.adminUrl);
    await south.engine.cycle();
    expect(admins()).toEqual(['root']);
  });
});
