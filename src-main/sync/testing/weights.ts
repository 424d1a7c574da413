/**
 * Test support for weights at the centre: the outbox rows a station's weight service writes ('weight' and
 * 'weight.ack', as the issue 16 design names them), written straight into a station's outbox so the sync and
 * the centre can be tested before (and apart from) the core's weighing. Not used by the app.
 */
import { uuidv7 } from 'uuidv7';
import type { TestStation } from '../../testing/test-station.ts';

export interface WeightFacts {
  kg?: number | null;
  state?: 'recorded' | 'later';
  childCount?: number;
  check?: 'none' | 'ok' | 'off';
  username?: string | null;
  at?: number;
}

/** The 'weight' payload a station sends for one weighing of a parent (1 kg per child, 0.5 kg tare). */
export function weightPayload(parentCode: string, facts: WeightFacts & { id?: string; at: number }) {
  const state = facts.state ?? 'recorded';
  const childCount = facts.childCount ?? 3;
  return {
    weight: {
      id: facts.id ?? uuidv7(),
      parentId: uuidv7(),
      parentCode,
      state,
      kg: state === 'recorded' ? (facts.kg ?? childCount + 0.5) : null,
      tareKg: 0.5,
      childCount,
      expectedKg: childCount + 0.5,
      check: facts.check ?? 'ok',
      scale: '/dev/ttyUSB1',
      raw: state === 'recorded' ? `S S ${facts.kg ?? childCount + 0.5} kg` : null,
      userId: uuidv7(),
      username: facts.username === undefined ? 'ana' : facts.username,
      stationId: uuidv7(),
      at: facts.at,
    },
  };
}

/** Writes a weighing into the station's outbox, as the core does when the scale settles; returns its id. */
export function queueWeight(s: TestStation, parentCode: string, facts: WeightFacts = {}): string {
  const ctx = s.station.ctx;
  const at = facts.at ?? ctx.clock.now();
  const payload = weightPayload(parentCode, { ...facts, at });
  ctx.transaction(() => ctx.journal.outbox('weight', payload, at));
  return payload.weight.id;
}

/** Writes a supervisor's acknowledgement of a weighing that was off into the station's outbox. */
export function queueAck(
  s: TestStation,
  weightId: string,
  parentCode: string,
  by: string,
  at?: number,
): void {
  const ctx = s.station.ctx;
  const when = at ?? ctx.clock.now();
  const payload = { weightId, parentId: uuidv7(), parentCode, by, userId: uuidv7(), at: when };
  ctx.transaction(() => ctx.journal.outbox('weight.ack', payload, when));
}
