import type { Store } from '../store/open.ts';
import { createBagRepo } from '../store/bag-repo.ts';
import { createBillRepo } from '../store/bill-repo.ts';
import { createCounterRepo } from '../store/counter-repo.ts';
import { createHistoryRepo } from '../store/history-repo.ts';
import { createJournal } from '../store/journal.ts';
import { createStationRepo, type StationRow } from '../store/station-repo.ts';
import { createUserRepo } from '../store/user-repo.ts';
import type { Clock } from './clock.ts';
import { compileProfile, type CompiledProfile } from './profile.ts';

/** What every service works with: the repositories, the clock and this station's identity and profile. */
export function createContext(store: Store, clock: Clock) {
  const stationRepo = createStationRepo(store.sqlite, () => clock.now());
  let identity: StationRow = stationRepo.load();
  let profile: CompiledProfile = compileProfile(identity.profile);

  return {
    sqlite: store.sqlite,
    clock,
    bags: createBagRepo(store.sqlite),
    bills: createBillRepo(store.sqlite),
    users: createUserRepo(store.sqlite),
    history: createHistoryRepo(store.sqlite),
    counters: createCounterRepo(store.sqlite),
    journal: createJournal(store.sqlite, () => identity.stationId),
    stationRepo,
    get station(): StationRow {
      return identity;
    },
    get profile(): CompiledProfile {
      return profile;
    },
    reloadStation(): void {
      identity = stationRepo.load();
      profile = compileProfile(identity.profile);
    },
    /** Runs fn in one immediate transaction: all of it commits, or none of it. */
    transaction<T>(fn: () => T): T {
      return store.sqlite.transaction(fn).immediate();
    },
  };
}

export type Context = ReturnType<typeof createContext>;
