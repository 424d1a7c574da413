import type { Writable } from 'node:stream';
import { writeCsv, type CsvValue } from './csv.ts';
import type { EndOfDay, Tally } from './end-of-day.ts';
import { totalSource } from './parent-weight.ts';
import { localStamp } from '../core/local-time.ts';

/**
 * The end-of-day summary as one long table (a pivot table in Excel turns it into any view): each row is one
 * figure, named by its section, operator, hour, item and metric. Counts are plain integers.
 */
export const eodCsvHeader = ['section', 'operator', 'hour', 'item', 'metric', 'value'];

function* tallies(section: string, operator: string, hour: number | null, t: Tally): Generator<CsvValue[]> {
  for (const metric of ['parents', 'children', 'rejected', 'scans'] as const) {
    yield [section, operator, hour, '', metric, t[metric]];
  }
}

function* rowsOf(r: EndOfDay): Generator<CsvValue[]> {
  yield ['station', '', null, r.station.stationId, 'name', r.station.name];
  yield ['station', '', null, r.station.stationId, 'dispatch_area', r.station.dispatchArea];
  yield ['report', '', null, r.day, 'generated_at', localStamp(r.generatedAt)];
  yield ['report', '', null, r.day, 'generated_by', r.generatedBy];
  for (const metric of [
    'scans',
    'parents',
    'children',
    'rejected',
    'doubleReads',
    'billsCompleted',
  ] as const) {
    yield ['summary', '', null, '', metric.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), r.totals[metric]];
  }
  yield ['summary', '', null, '', 'conflicts', r.conflicts.count];
  yield ['summary', '', null, '', 'conflicts_open', r.conflicts.open];
  for (const o of r.perOperator) yield* tallies('operator', o.username, null, o);
  for (const h of r.perHour) if (h.scans) yield* tallies('hour', '', h.hour, h);
  for (const c of r.perOperatorHour) yield* tallies('operator_hour', c.username, c.hour, c);
  for (const x of r.rejectedByReason) yield ['rejected', '', null, x.name, 'count', x.count];
  for (const b of r.billsCompleted) {
    yield ['bill_completed', b.completedBy, null, b.billNo, 'destination', b.destination];
    yield ['bill_completed', b.completedBy, null, b.billNo, 'vehicle_no', b.vehicleNo];
    yield ['bill_completed', b.completedBy, null, b.billNo, 'parents', b.parentCount];
    yield ['bill_completed', b.completedBy, null, b.billNo, 'children', b.childCount];
    yield ['bill_completed', b.completedBy, null, b.billNo, 'actual_weight_kg', b.actualWeightKg];
    yield [
      'bill_completed',
      b.completedBy,
      null,
      b.billNo,
      'weight_source',
      totalSource(b.estimatedParents, b.parentCount),
    ];
    yield ['bill_completed', b.completedBy, null, b.billNo, 'parents_estimated', b.estimatedParents];
    yield ['bill_completed', b.completedBy, null, b.billNo, 'completed_at', localStamp(b.completedAt)];
  }
  const w = r.weights;
  yield ['weights', '', null, '', 'parents_weighed', w.parentsWeighed];
  yield ['weights', '', null, '', 'parents_weigh_later', w.parentsWeighLater];
  yield ['weights', '', null, '', 'parents_off', w.off];
  yield ['weights', '', null, '', 'parents_off_acknowledged', w.acknowledged];
  yield ['weights', '', null, '', 'bill_parents_weighed', w.billParentsWeighed];
  yield ['weights', '', null, '', 'bill_parents_estimated', w.billParentsEstimated];
  for (const c of r.changes) yield ['change', '', null, localStamp(c.at), 'sentence', c.sentence];
  for (const c of r.conflicts.byKind) yield ['conflict', '', null, c.kind, 'count', c.count];
  const s = r.sync;
  yield ['sync', '', null, '', 'state', s.state];
  yield ['sync', '', null, '', 'outbox_depth', s.outboxDepth];
  yield ['sync', '', null, '', 'oldest_unsent_at', localStamp(s.oldestUnsentAt)];
  yield ['sync', '', null, '', 'last_success_at', localStamp(s.lastSuccessAt)];
  yield ['sync', '', null, '', 'last_error', s.lastError ?? ''];
}

export function writeEodCsv(report: EndOfDay, out: Writable): Promise<number> {
  return writeCsv(out, eodCsvHeader, rowsOf(report));
}
