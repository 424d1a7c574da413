import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStation, type TestStation } from '../testing/test-station.ts';
import { backupStation } from './backup.ts';

describe('baglink backup never writes over the live station', () => {
  let t: TestStation;
  let elsewhere: string;
  beforeAll(() => {
    t = createTestStation();
    elsewhere = mkdtempSync(join(tmpdir(), 'baglink-backups-'));
  });
  afterAll(() => {
    t.dispose();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('refuses the database, its write-ahead log and any file in the data folder, and the station stays whole', async () => {
    const db = join(t.dir, 'station.db');
    const ino = statSync(db).ino;
    for (const target of [db, `${db}-wal`, `${db}-shm`, join(t.dir, 'copy.db')]) {
      await expect(backupStation(t.dir, target)).rejects.toMatchObject({ code: 'out_in_data_folder' });
    }
    expect(statSync(db).ino).toBe(ino);
    expect(readFileSync(db).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('refuses a symlink as the target, and writes an ordinary file elsewhere, owner-only', async () => {
    const victim = join(elsewhere, 'victim.txt');
    const link = join(elsewhere, 'link.db');
    symlinkSync(victim, link);
    await expect(backupStation(t.dir, link)).rejects.toMatchObject({ code: 'export_target_invalid' });
    const file = join(elsewhere, 'station.backup');
    const { bytes } = await backupStation(t.dir, file);
    expect(bytes).toBeGreaterThan(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
