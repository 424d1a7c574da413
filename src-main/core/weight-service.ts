import type { LabelFacts } from '../../src-shared/hardware.ts';
import { uuidv7 } from 'uuidv7';
import type { Context } from '../store/context.ts';
import type { BagRow } from '../store/bag-repo.ts';
import type { NewWeightRow } from '../store/weight-repo.ts';
import { StationError } from '../../src-shared/errors.ts';
import type { Operator } from '../../src-shared/domain.ts';
import type { ParentWeight } from '../../src-shared/hardware.ts';
import { checkWeight } from '../../src-shared/weight-text.ts';
import { normalizeCode } from './normalize.ts';
import { currentWeight, weightView } from './weight-view.ts';
import { grams } from '../../src-shared/weight-text.ts';
import { requireRole } from './roles.ts';

/**
 * The heaviest reading recorded: the centre refuses a weighing above it (drizzle/central/0012, weight_problem),
 * and a refused op would hold back the whole outbox behind it.
 */
const MAX_WEIGHT_KG = 100_000;

/** What the scale reported, as the app hands it over: a stable reading already converted to kg. */
export interface ScaleReading {
  kg: number;
  raw: string;
  /** The scale's name or path. */
  scale: string;
  /**
   * When the scale gave it. Not stored: a weighing's time is the station clock when it is recorded, so it is
   * ordered with the links and parent scans that make it stale.
   */
  at: number;
  /**
   * The scale's own tare and net flag, when it sent them (Toledo continuous). In net mode kg is what the scale
   * shows with its tare (a pallet, a crate) taken off: the bag on its own, which is what the check and the bills
   * want; the tare is kept beside it.
   */
  tareKg?: number;
  net?: boolean;
}

export type { LabelFacts } from '../../src-shared/hardware.ts';

/**
 * The weights of parent bags (issue 16). The app weighs a completed parent on the scale and hands the reading
 * here; this records it with its weight check, or a "weigh later", and lets a supervisor acknowledge a weight
 * that is off. Each change writes its row, its audit row and its outbox row in one transaction. The parent
 * waiting for its weight is kept in the station row, so a restart still knows it.
 */
export function createWeightService(ctx: Context) {
  function parentOrThrow(rawCode: string): BagRow {
    const code = normalizeCode(rawCode).code;
    const bag = ctx.bags.byCode(code);
    if (!bag) throw new StationError('bag_not_found', { code });
    if (bag.kind !== 'parent')
      throw new StationError('kind_mismatch', { code, actual: bag.kind, expected: 'parent' });
    return bag;
  }

  const current = (parent: BagRow): ParentWeight => currentWeight(ctx, parent);

  /** The row, its audit and outbox rows, and the pending parent cleared: one transaction. */
  function write(operator: Operator, parent: BagRow, row: NewWeightRow, audit: Record<string, unknown>) {
    ctx.weights.insert(row);
    ctx.journal.audit({
      at: row.at,
      userId: operator.id,
      action: row.state === 'later' ? 'weight.later' : 'weight.record',
      entity: 'bag',
      entityId: parent.id,
      before: null,
      after: audit,
    });
    ctx.journal.outbox(
      'weight',
      { weight: { ...row, parentCode: parent.code, username: operator.username } },
      row.at,
    );
    if (ctx.stationRepo.weighPendingParentId() === parent.id) ctx.stationRepo.setWeighPending(null);
    return current(parent);
  }

  function baseRow(operator: Operator, parent: BagRow): Omit<NewWeightRow, 'state' | 'kg' | 'tareKg'> {
    return {
      id: uuidv7(),
      parentId: parent.id,
      childCount: parent.childCount,
      expectedKg: null,
      check: 'none',
      scale: null,
      raw: null,
      userId: operator.id,
      stationId: ctx.station.stationId,
      at: ctx.clock.now(),
    };
  }

  return {
    /** A parent was completed and goes on the scale: it waits for its weight (dock role). */
    start(actor: Operator | null, parentCode: string): void {
      requireRole(actor, 'dock');
      ctx.transaction(() => ctx.stationRepo.setWeighPending(parentOrThrow(parentCode).id));
    },

    /** Records a stable reading with its weight check; clears the pending parent when it was this one. */
    record(actor: Operator | null, parentCode: string, reading: ScaleReading): ParentWeight {
      const operator = requireRole(actor, 'dock');
      if (!Number.isFinite(reading.kg) || reading.kg < 0 || reading.kg > MAX_WEIGHT_KG) {
        throw new StationError('invalid_input', {
          detail: `the scale reading ${reading.kg} is not a weight`,
        });
      }
      return ctx.transaction(() => {
        const parent = parentOrThrow(parentCode);
        const tareKg = ctx.profile.parentTareKg;
        const kg = grams(reading.kg);
        const checked = checkWeight(ctx.profile, kg, parent.childCount);
        const row: NewWeightRow = {
          ...baseRow(operator, parent),
          state: 'recorded',
          kg,
          tareKg,
          expectedKg: checked.expectedKg,
          check: checked.check,
          scale: reading.scale,
          raw: reading.raw,
          // Only when the scale said (the sync payload carries them then).
          ...(reading.tareKg === undefined ? {} : { scaleTareKg: grams(reading.tareKg) }),
          ...(reading.net === undefined ? {} : { scaleNet: reading.net }),
        };
        return write(operator, parent, row, {
          parent: parent.code,
          kg,
          raw: reading.raw,
          scale: reading.scale,
          childCount: parent.childCount,
          tareKg,
          expectedKg: checked.expectedKg,
          gapKg: checked.gapKg,
          gapBags: checked.gapBags,
          allowedKg: checked.allowedKg,
          check: checked.check,
          ...(reading.tareKg === undefined ? {} : { scaleTareKg: grams(reading.tareKg) }),
          ...(reading.net === undefined ? {} : { net: reading.net }),
        });
      });
    },

    /** "Weigh later": no weight now (bills count its estimate); clears the pending parent when it was this one. */
    later(actor: Operator | null, parentCode: string): ParentWeight {
      const operator = requireRole(actor, 'dock');
      return ctx.transaction(() => {
        const parent = parentOrThrow(parentCode);
        const row: NewWeightRow = { ...baseRow(operator, parent), state: 'later', kg: null, tareKg: null };
        return write(operator, parent, row, { parent: parent.code, childCount: parent.childCount });
      });
    },

    /**
     * A supervisor has checked a parent whose newest weighing is off: it waits for this even when the parent changed
     * since or was put off ("weigh later") afterwards; a newer weighing takes its place.
     */
    acknowledge(supervisor: Operator | null, parentCode: string): ParentWeight {
      const by = requireRole(supervisor, 'supervisor');
      return ctx.transaction(() => {
        const parent = parentOrThrow(parentCode);
        const newest = ctx.weights.newestRecordedOf(parent.id);
        const at = ctx.clock.now();
        if (!newest || newest.check !== 'off' || !ctx.weights.acknowledge(newest.id, by.username, at)) {
          throw new StationError('weight_not_off', { parent: parent.code });
        }
        const weight = weightView(ctx, ctx.weights.newestRecordedOf(parent.id), parent);
        ctx.journal.audit({
          at,
          userId: by.id,
          action: 'weight.acknowledge',
          entity: 'bag',
          entityId: parent.id,
          before: { acknowledgedBy: null },
          after: {
            parent: parent.code,
            weightId: newest.id,
            kg: weight.kg,
            expectedKg: weight.expectedKg,
            gapKg: weight.gapKg,
            gapBags: weight.gapBags,
            childCount: weight.childCount,
            weighedBy: weight.by,
          },
        });
        ctx.journal.outbox(
          'weight.ack',
          {
            weightId: newest.id,
            parentId: parent.id,
            parentCode: parent.code,
            by: by.username,
            userId: by.id,
            at,
          },
          at,
        );
        return weight;
      });
    },

    /** The parent's newest weighing, or its estimate when it was never weighed. */
    weightOf(parentCode: string): ParentWeight {
      return current(parentOrThrow(parentCode));
    },

    /**
     * The parent was completed and its weighing settled (weighed, or "weigh later") and it has not changed since
     * (no child linked, undone, moved or removed, not reopened): completing it again is the same completion, so
     * no second weighing and no second label. The fact is in the database, so it holds across a restart.
     */
    isCurrent(parentCode: string): boolean {
      const code = normalizeCode(parentCode).code;
      const parent = ctx.bags.byCode(code);
      if (!parent || parent.kind !== 'parent') return false;
      const newest = ctx.weights.newestOf(parent.id);
      return newest !== undefined && newest.staleAt === null;
    },

    /** The parent code waiting for its weight, if any. */
    pending(): string | null {
      const id = ctx.stationRepo.weighPendingParentId();
      return id ? (ctx.bags.byId(id)?.code ?? null) : null;
    },

    /** Off weights still waiting for a supervisor (each parent's newest weighing, changed since or not), newest first. */
    unacknowledged(limit = 50): ParentWeight[] {
      return ctx.weights
        .unacknowledged(limit)
        .map((row) =>
          weightView(ctx, row, { id: row.parentId, code: row.parentCode, childCount: row.childCount }),
        );
    },

    /** What the parent's label prints: children now, its weight, this station, who completed it and when. */
    labelFacts(parentCode: string): LabelFacts {
      const parent = parentOrThrow(parentCode);
      const weight = current(parent);
      const recorded = weight.state === 'recorded';
      const perChild = ctx.profile.childWeightKg;
      const lastLink = ctx.bags.childrenOf(parent.id).at(-1);
      return {
        parentCode: parent.code,
        childCount: parent.childCount,
        weightKg: recorded ? weight.kg : perChild > 0 ? grams(parent.childCount * perChild) : null,
        weightEstimated: !recorded,
        station: ctx.station.name,
        operator: (recorded ? weight.by : null) ?? lastLink?.linkedBy ?? '',
        at: (recorded ? weight.at : null) ?? lastLink?.linkedAt ?? ctx.clock.now(),
        billNumber: ctx.bills.billOfParent(parent.id)?.billNo ?? null,
      };
    },
  };
}

export type WeightService = ReturnType<typeof createWeightService>;
