import type { Sqlite } from './open.ts';
import { hostname } from 'node:os';
import { uuidv7 } from 'uuidv7';
import { defaultProfile, parseStoredProfile, type StationProfile } from '../../src-shared/profile.ts';

export interface StationRow {
  stationId: string;
  name: string;
  dispatchArea: string;
  profile: StationProfile;
}

/** The single station row: identity, profile and the active parent (kept so a restart resumes it). */
export function createStationRepo(sqlite: Sqlite, now: () => number) {
  const read = sqlite.prepare(
    `select station_id as stationId, name, dispatch_area as dispatchArea, profile
     from station where singleton = 1`,
  );
  const create = sqlite.prepare(
    `insert into station (singleton, station_id, name, dispatch_area, profile, created_at, updated_at)
     values (1, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
  );
  const update = sqlite.prepare(
    `update station set name = ?, dispatch_area = ?, profile = ?, updated_at = ? where singleton = 1`,
  );
  const setActive = sqlite.prepare(
    `update station set active_parent_id = ?, active_parent_by = ? where singleton = 1`,
  );
  const getActive = sqlite.prepare(
    `select active_parent_id as id, active_parent_by as userId from station where singleton = 1`,
  );
  const getScanners = sqlite.prepare(`select scanners from station where singleton = 1`);
  const setScanners = sqlite.prepare(`update station set scanners = ?, updated_at = ? where singleton = 1`);

  function load(): StationRow {
    let row = read.get() as (Omit<StationRow, 'profile'> & { profile: string }) | undefined;
    if (!row) {
      create.run(uuidv7(), hostname(), 'MAIN', JSON.stringify(defaultProfile), now(), now());
      row = read.get() as Omit<StationRow, 'profile'> & { profile: string };
    }
    return { ...row, profile: parseStoredProfile(row.profile) };
  }

  return {
    load,
    save(s: { name: string; dispatchArea: string; profile: StationProfile }) {
      update.run(s.name, s.dispatchArea, JSON.stringify(s.profile), now());
    },
    /** Read from the row, not memory, so a rolled-back scan can never leave a phantom active parent. */
    activeParentId: () => (getActive.get() as { id: string | null } | undefined)?.id ?? null,
    activeParentBy: () => (getActive.get() as { userId: string | null } | undefined)?.userId ?? null,
    setActiveParent(parentId: string | null, userId: string | null) {
      setActive.run(parentId, userId);
    },
    scanners: () =>
      JSON.parse((getScanners.get() as { scanners: string } | undefined)?.scanners ?? '[]') as unknown[],
    saveScanners(configs: unknown[]) {
      setScanners.run(JSON.stringify(configs), now());
    },
  };
}

export type StationRepo = ReturnType<typeof createStationRepo>;
