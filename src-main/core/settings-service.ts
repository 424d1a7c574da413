import type { Context } from './context.ts';
import { StationError } from './errors.ts';
import { checkCodePatterns, stationProfileSchema, type StationProfile } from './profile.ts';
import type { Operator } from './types.ts';
import { requireRole } from '../auth/roles.ts';

export interface StationSettings {
  stationId: string;
  name: string;
  dispatchArea: string;
  profile: StationProfile;
}

export interface SettingsChange {
  name?: string;
  dispatchArea?: string;
  profile?: Partial<StationProfile>;
}

/** Station identity and profile: everyone logged in may read them, only an admin may change them. */
export function createSettingsService(ctx: Context) {
  const counters = ctx.counters;
  function current(): StationSettings {
    const s = ctx.station;
    return { stationId: s.stationId, name: s.name, dispatchArea: s.dispatchArea, profile: s.profile };
  }

  return {
    get(actor: Operator | null): StationSettings {
      requireRole(actor, 'dock');
      return current();
    },

    update(actor: Operator | null, change: SettingsChange): StationSettings {
      const by = requireRole(actor, 'admin');
      const before = current();
      const parsed = stationProfileSchema.safeParse({ ...before.profile, ...change.profile });
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new StationError('invalid_input', { detail });
      }
      const profile = parsed.data;
      // Only the lists being changed: a saved pattern refused at start stays until an admin replaces it.
      checkCodePatterns({
        parentPatterns: change.profile?.parentPatterns ?? [],
        childPatterns: change.profile?.childPatterns ?? [],
      });
      const next = {
        name: change.name?.trim() || before.name,
        dispatchArea: change.dispatchArea?.trim().toUpperCase() || before.dispatchArea,
        profile,
      };
      ctx.transaction(() => {
        const at = ctx.clock.now();
        ctx.stationRepo.save(next);
        if (profile.parentCapacity !== before.profile.parentCapacity)
          counters.recountFullParents(profile.parentCapacity);
        ctx.journal.audit({
          at,
          userId: by.id,
          action: 'settings.update',
          entity: 'station',
          entityId: before.stationId,
          before,
          after: next,
        });
        ctx.journal.outbox('station.update', { stationId: before.stationId, ...next, at }, at);
      });
      ctx.reloadStation();
      return current();
    },
  };
}
