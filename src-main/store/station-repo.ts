import type { Sqlite } from './open.ts';
import { hostname } from 'node:os';
import { uuidv7 } from 'uuidv7';
import { printerConfigSchema, type PrinterConfig } from '../../src-shared/hardware.ts';
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
  const getHardware = sqlite.prepare(`select scale, printer from station where singleton = 1`);
  const setScale = sqlite.prepare(`update station set scale = ?, updated_at = ? where singleton = 1`);
  const setPrinter = sqlite.prepare(`update station set printer = ?, updated_at = ? where singleton = 1`);
  const getPending = sqlite.prepare(`select weigh_pending_parent_id as id from station where singleton = 1`);
  const setPending = sqlite.prepare(`update station set weigh_pending_parent_id = ? where singleton = 1`);
  const hardware = () =>
    (getHardware.get() as { scale: string | null; printer: string | null } | undefined) ?? {
      scale: null,
      printer: null,
    };
  const parsed = (json: string | null): unknown => (json === null ? null : (JSON.parse(json) as unknown));

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
    /** The scale's settings as saved (checked by src-main/scale when used); null: no scale attached. */
    scale: () => parsed(hardware().scale) as Record<string, unknown> | null,
    saveScale(config: Record<string, unknown> | null) {
      setScale.run(config === null ? null : JSON.stringify(config), now());
    },
    /** The label printer's settings; null: none, or saved settings this version no longer reads. */
    printer(): PrinterConfig | null {
      const checked = printerConfigSchema.safeParse(parsed(hardware().printer));
      return checked.success ? checked.data : null;
    },
    savePrinter(config: PrinterConfig | null) {
      setPrinter.run(config === null ? null : JSON.stringify(config), now());
    },
    /** A completed parent still waiting for its weight; read from the row, like the active parent. */
    weighPendingParentId: () => (getPending.get() as { id: string | null } | undefined)?.id ?? null,
    setWeighPending(parentId: string | null) {
      setPending.run(parentId);
    },
  };
}

export type StationRepo = ReturnType<typeof createStationRepo>;
