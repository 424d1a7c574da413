import type { StationProfile } from './profile.ts';
import type { ScannerConfig } from './scanners.ts';

/** settings.get: the station's identity, profile and serial ports, as every logged-in user may read them. */
export interface StationSettings {
  stationId: string;
  name: string;
  dispatchArea: string;
  profile: StationProfile;
  /** Joined to a centre: the centre owns the area and the parent capacity (shown read-only). */
  joined: boolean;
  /** The serial ports an admin set up (scanners.configure), with their settings. */
  scannerPorts: ScannerConfig[];
}
