import type { Store } from './open.ts';
import { createBagRepo } from './bag-repo.ts';
import { createBillRepo } from './bill-repo.ts';
import { createCounterRepo } from './counter-repo.ts';
import { createHistoryRepo } from './history-repo.ts';
import { createJournal } from './journal.ts';
import { createStationRepo, type StationRow } from './station-repo.ts';
import { createUserRepo } from './user-repo.ts';
import { createWeightRepo } from './weight-repo.ts';
import { createPrintJobRepo } from './print-job-repo.ts';
import type { Clock } from '../../src-shared/clock.ts';
import { formatError } from '../../src-shared/errors.ts';
import { compileProfile, migrateProfilePatterns, type CompiledProfile } from '../../src-shared/profile.ts';
import { createLedger } from './ledger.ts';

/** What every service works with: the repositories, the clock and this station's identity and profile. */
export function createContext(store: Store, clock: Clock) {
  const stationRepo = createStationRepo(store.sqlite, () => clock.now());
  let identity: StationRow = migrateSavedPatterns(store, stationRepo, clock);
  let profile: CompiledProfile = compileProfile(identity.profile);
  const ledger = createLedger(store.sqlite, () => profile.parentCapacity);

  return {
    sqlite: store.sqlite,
    clock,
    bags: createBagRepo(store.sqlite),
    bills: createBillRepo(store.sqlite),
    users: createUserRepo(store.sqlite),
    history: createHistoryRepo(store.sqlite),
    counters: createCounterRepo(store.sqlite),
    weights: createWeightRepo(store.sqlite),
    printJobs: createPrintJobRepo(store.sqlite),
    ledger,
    journal: createJournal(store.sqlite, () => identity.stationId, ledger),
    stationRepo,
    get station(): StationRow {
      return identity;
    },
    get profile(): CompiledProfile {
      return profile;
    },
    /** What the station says at start and in its status: saved patterns it refused to use. */
    warnings(): { code: 'pattern_refused'; message: string; params: { pattern: string } }[] {
      return profile.refusedPatterns.map((pattern) => ({
        code: 'pattern_refused' as const,
        message: formatError('pattern_refused', { pattern }),
        params: { pattern },
      }));
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

/**
 * Saved code patterns from before the safe pattern language are rewritten once, with the same meaning, and the
 * change is audited; a pattern that cannot be rewritten stays saved for an admin to replace, and is not used.
 */
function migrateSavedPatterns(
  store: Store,
  stationRepo: ReturnType<typeof createStationRepo>,
  clock: Clock,
): StationRow {
  const saved = stationRepo.load();
  const ledger = createLedger(store.sqlite, () => saved.profile.parentCapacity);
  const journal = createJournal(store.sqlite, () => saved.stationId, ledger);
  const migration = migrateProfilePatterns(saved.profile);
  if (migration.migrated.length === 0) return saved;
  const patterns = (p: StationRow['profile']) => ({
    parentPatterns: p.parentPatterns,
    childPatterns: p.childPatterns,
  });
  store.sqlite
    .transaction(() => {
      stationRepo.save({ name: saved.name, dispatchArea: saved.dispatchArea, profile: migration.profile });
      journal.audit({
        at: clock.now(),
        userId: null,
        action: 'settings.migratePatterns',
        entity: 'station',
        entityId: saved.stationId,
        before: patterns(saved.profile),
        after: { ...patterns(migration.profile), migrated: migration.migrated },
      });
    })
    .immediate();
  return stationRepo.load();
}
