/**
 * The preload: bundled by scripts/build-main.ts to one CommonJS file that requires nothing but `electron`,
 * because a sandboxed preload cannot load anything else. The name lists are put in at build time from
 * src-shared/contract.ts, so the bundle carries no zod and the allowlist cannot drift from the contract.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createStationBridge } from './preload-bridge.ts';

declare const __STATION_METHODS__: readonly string[];
declare const __STATION_EVENTS__: readonly string[];

contextBridge.exposeInMainWorld(
  'station',
  createStationBridge(ipcRenderer, { methods: __STATION_METHODS__, events: __STATION_EVENTS__ }),
);
