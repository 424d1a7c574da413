import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localMigrationsFolder, openStore } from '../store/open.ts';
import { seedDemo, type SeedSummary } from './seed.ts';

/**
 * A seeded database is expensive to make (about a minute at 2M bags), so the bench keeps one per size in the
 * temp folder and copies it for each run. A run never writes to the template.
 */
export async function seededCopy(
  bags: number,
  scans: number,
  runDir: string,
  log: (line: string) => void,
): Promise<{ seeded: SeedSummary | null }> {
  // Keyed by the migrations' text too: a template made by an older schema (or an unlanded migration since
  // edited) is never reused.
  const hash = createHash('sha256').update(
    readFileSync(join(localMigrationsFolder, 'meta', '_journal.json')),
  );
  for (const file of readdirSync(localMigrationsFolder)
    .filter((f) => f.endsWith('.sql'))
    .sort())
    hash.update(readFileSync(join(localMigrationsFolder, file)));
  const schema = hash.update(seedDemo.toString()).digest('hex').slice(0, 12);
  const templateDir = join(tmpdir(), 'baglink-bench', `template-${schema}-${bags}-${scans}`);
  let seeded: SeedSummary | null = null;
  if (!existsSync(join(templateDir, 'station.db'))) {
    const building = `${templateDir}.building`;
    rmSync(building, { recursive: true, force: true });
    const store = openStore(building, { unsafeFastWrites: true, create: true });
    seeded = await seedDemo(store.sqlite, { bags, scans, now: Date.now(), log });
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    rmSync(templateDir, { recursive: true, force: true });
    renameSync(building, templateDir);
  }
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  copyFileSync(join(templateDir, 'station.db'), join(runDir, 'station.db'));
  return { seeded };
}
