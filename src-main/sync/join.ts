import type { Enrolment } from '../central/enrol.ts';
import { applyCentreSettings } from './centre-settings.ts';
import { systemClock } from '../../src-shared/clock.ts';
import { createContext } from '../store/context.ts';
import { openStore } from '../store/open.ts';
import { createSyncStateRepo } from './local-state.ts';
import { readEnrolmentFile, saveEnrolment, type SyncConfig } from './config.ts';

/**
 * Stores an enrolment in dataDir (creating the station database if needed). A station that was enrolled as
 * another station before keeps its outbox: its next sync asks the centre to start this enrolment from its first
 * unsent seq (rebase) instead of 1, and it loads the centre's rows again, from a first incarnation.
 */
export function joinStation(
  dataDir: string,
  enrolment: Enrolment,
): { config: SyncConfig; rejoined: boolean } {
  // A damaged central.json is what join repairs: taken as another enrolment before (the cursor starts again).
  const found = readEnrolmentFile(dataDir);
  const before =
    found.kind === 'absent' ? null : found.kind === 'joined' ? found.config : { stationId: null };
  const store = openStore(dataDir, { create: true });
  let rejoined = false;
  try {
    if (enrolment.dispatchArea) {
      applyCentreSettings(createContext(store, systemClock), enrolment.dispatchArea, null);
    }
    if (before?.stationId !== enrolment.stationId) {
      const repo = createSyncStateRepo(store.sqlite);
      rejoined = before !== null;
      store.sqlite.transaction(() => {
        repo.setRecovery('joined', 1);
        if (rejoined) repo.resetCursor(Date.now());
      })();
    }
    return { config: saveEnrolment(dataDir, enrolment), rejoined };
  } finally {
    store.close();
  }
}
