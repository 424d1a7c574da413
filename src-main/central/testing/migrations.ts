/** Test support for the central upgrade tests: the migrations as a centre of an older version has them. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { centralMigrationsFolder } from '../migrate.ts';

/** The tags of the central migrations, in order (0000_init, 0001_sync_functions, ...). */
export function centralMigrationTags(): string[] {
  const journal = JSON.parse(
    readFileSync(join(centralMigrationsFolder, 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: { tag: string }[];
  };
  return journal.entries.map((e) => e.tag);
}

/**
 * A copy of the central migrations up to and including lastTag, as a centre installed at that version has them
 * (for upgrade tests; the caller removes the folder).
 */
export function migrationsUpTo(lastTag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `baglink-central-${lastTag.slice(0, 4)}-`));
  cpSync(centralMigrationsFolder, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const kept = journal.entries.filter((e) => e.tag <= lastTag);
  for (const e of journal.entries.filter((e) => e.tag > lastTag)) rmSync(join(dir, `${e.tag}.sql`));
  journal.entries = kept;
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}
