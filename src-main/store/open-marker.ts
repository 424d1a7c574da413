import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidAlive } from './pid-alive.ts';

const PREFIX = '.station-open-';

/**
 * One marker file per open connection (`.station-open-<pid>-<random>`), removed when it closes cleanly.
 * A marker whose process is gone means a station stopped without closing (a crash, kill -9, power cut):
 * the one time the next start checks the whole database.
 */
export function openMarkers(dataDir: string) {
  const stale = readdirSync(dataDir)
    .filter((name) => name.startsWith(PREFIX))
    .filter((name) => !pidAlive(Number(name.slice(PREFIX.length).split('-')[0])));
  const mine = join(dataDir, `${PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  return {
    /** Whether a station process ended without closing the database. */
    uncleanShutdown: stale.length > 0,
    /** Puts this connection's marker down; the stale ones go once the database was found sound. */
    mark(): void {
      writeFileSync(mine, `${process.pid}\n`, { mode: 0o600 });
      for (const name of stale) rmSync(join(dataDir, name), { force: true });
    },
    clear(): void {
      rmSync(mine, { force: true });
    },
  };
}
