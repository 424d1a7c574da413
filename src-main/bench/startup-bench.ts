import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { round } from './stats.ts';
import { createStation } from '../app/station.ts';

/** Opens the station on dataDir and closes it again: how long until it could take its first scan. */
function timedStart(dataDir: string): number {
  const started = performance.now();
  const station = createStation({ dataDir });
  const ms = performance.now() - started;
  station.close();
  return round(ms);
}

/**
 * Start-up time of a station (open, migrations check, identity) on the bench's database: a normal start, and
 * the start after an unclean shutdown, which first runs PRAGMA quick_check over the whole file. The unclean
 * one is made with the open-marker of a process that has ended.
 */
export function measureStartup(dataDir: string) {
  const clean = [timedStart(dataDir), timedStart(dataDir), timedStart(dataDir)];
  const gone = spawnSync(process.execPath, ['-e', '0']).pid;
  const marker = join(dataDir, `.station-open-${gone}-bench`);
  writeFileSync(marker, `${gone}\n`, { mode: 0o600 });
  let afterCrash: number;
  try {
    afterCrash = timedStart(dataDir);
  } finally {
    rmSync(marker, { force: true });
  }
  return { cleanMs: Math.min(...clean), afterUncleanShutdownMs: afterCrash };
}
