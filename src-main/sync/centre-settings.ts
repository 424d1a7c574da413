import type { Context } from '../store/context.ts';

/**
 * The station's dispatch area and parent capacity are IT's to set at the centre (`baglink central
 * set-station`); a push that tries to change them is refused. Each cycle starts with hello, and the station
 * takes the centre's values from its reply when they differ (recounting its full parents for a new capacity).
 */
export function adoptCentreSettings(ctx: Context, hello: Record<string, unknown>): boolean {
  const area = typeof hello.dispatchArea === 'string' ? hello.dispatchArea : null;
  const capacity = typeof hello.parentCapacity === 'number' ? hello.parentCapacity : null;
  return applyCentreSettings(ctx, area, capacity);
}

/** Takes the centre's area and capacity (null: keep the station's); returns whether anything changed. */
export function applyCentreSettings(ctx: Context, area: string | null, capacity: number | null): boolean {
  ctx.reloadStation();
  const s = ctx.station;
  const changed =
    (area !== null && area !== s.dispatchArea) ||
    (capacity !== null && capacity !== s.profile.parentCapacity);
  if (!changed) return false;
  ctx.transaction(() => {
    const profile = { ...s.profile, parentCapacity: capacity ?? s.profile.parentCapacity };
    ctx.stationRepo.save({ name: s.name, dispatchArea: area ?? s.dispatchArea, profile });
    if (profile.parentCapacity !== s.profile.parentCapacity)
      ctx.ledger.capacityChanged(profile.parentCapacity);
    ctx.journal.audit({
      at: ctx.clock.now(),
      userId: null,
      action: 'settings.fromCentre',
      entity: 'station',
      entityId: s.stationId,
      before: { dispatchArea: s.dispatchArea, parentCapacity: s.profile.parentCapacity },
      after: { dispatchArea: area ?? s.dispatchArea, parentCapacity: profile.parentCapacity },
    });
  });
  ctx.reloadStation();
  return true;
}
