import type { Context } from '../store/context.ts';
import { StationError } from '../../src-shared/errors.ts';
import { checkCodePatterns, stationProfileSchema, type StationProfile } from '../../src-shared/profile.ts';
import type { Operator } from '../../src-shared/domain.ts';
import { requireRole } from './roles.ts';
import { savedScanners } from '../../src-shared/scanners.ts';
import type { StationSettings } from '../../src-shared/settings.ts';

export interface SettingsChange {
  name?: string;
  dispatchArea?: string;
  profile?: Partial<StationProfile>;
}

/**
 * Station identity and profile: everyone logged in may read them, only an admin may change them. On a station
 * joined to a centre the area and the parent capacity are the centre's (refused here with centre_owned).
 */
export function createSettingsService(
  ctx: Context,
  joined: { area(): string | null } = { area: () => null },
) {
  function current(): StationSettings {
    const s = ctx.station;
    return {
      stationId: s.stationId,
      name: s.name,
      dispatchArea: s.dispatchArea,
      profile: s.profile,
      joined: joined.area() !== null,
      scannerPorts: savedScanners(ctx.stationRepo.scanners()),
    };
  }
  /** On a joined station the area may only be set to the one the centre enrolled it with; the capacity not at all. */
  function centreOwnedUnchanged(before: StationSettings, change: SettingsChange) {
    const centreArea = joined.area();
    if (centreArea === null) return;
    const area = change.dispatchArea?.trim().toUpperCase();
    const capacity = change.profile?.parentCapacity;
    if (area && area !== before.dispatchArea && area !== centreArea.toUpperCase())
      throw new StationError('centre_owned');
    if (capacity !== undefined && capacity !== before.profile.parentCapacity)
      throw new StationError('centre_owned');
  }

  return {
    get(actor: Operator | null): StationSettings {
      requireRole(actor, 'dock');
      return current();
    },

    update(actor: Operator | null, change: SettingsChange): StationSettings {
      const by = requireRole(actor, 'admin');
      const before = current();
      centreOwnedUnchanged(before, change);
      const parsed = stationProfileSchema.safeParse({ ...before.profile, ...change.profile });
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new StationError('invalid_input', { detail });
      }
      const profile = parsed.data;
      // The lockout stays a lockout: an admin may tune it, not switch it off (session.ts holds the same floor).
      const attempts = change.profile?.lockoutAttempts;
      const lockMs = change.profile?.lockoutMs;
      if ((attempts !== undefined && attempts > 10) || (lockMs !== undefined && lockMs < 60_000))
        throw new StationError('invalid_input', {
          detail: 'lockout: at most 10 wrong tries, and a lock of at least one minute',
        });
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
          ctx.ledger.capacityChanged(profile.parentCapacity);
        ctx.journal.audit({
          at,
          userId: by.id,
          action: 'settings.update',
          entity: 'station',
          entityId: before.stationId,
          before: { name: before.name, dispatchArea: before.dispatchArea, profile: before.profile },
          after: next,
        });
        ctx.journal.outbox('station.update', { stationId: before.stationId, ...next, at }, at);
      });
      ctx.reloadStation();
      return current();
    },
  };
}
