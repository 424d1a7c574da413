import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidAlive } from './pid-alive.ts';

const FILE = 'station.pid';

/** The process running a station on dataDir (`baglink serve`, the desktop app), or null. */
export function runningStation(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, FILE), 'utf8').trim());
  } catch {
    return null;
  }
  return Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? pid : null;
}

/**
 * Marks dataDir as run by this process until release() (a file with its pid, which a process killed with -9
 * leaves behind but which then names no live process): `baglink restore` refuses while it stands.
 */
export function holdStationLock(dataDir: string): () => void {
  const path = join(dataDir, FILE);
  writeFileSync(path, `${process.pid}\n`, { mode: 0o600 });
  return () => {
    if (runningStation(dataDir) === process.pid) rmSync(path, { force: true });
  };
}
