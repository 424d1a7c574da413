import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../../src-renderer/i18n/en.ts';
import { hi } from '../../src-renderer/i18n/hi.ts';
import { progressText } from '../../src-renderer/app/sync-progress.ts';
import { conflictButtons, conflictSentence } from '../../src-renderer/screens/conflict-text.ts';

const at = new Date(2026, 0, 15, 17, 34, 5).getTime();
/** Shaped as the centre's link_into() records it (drizzle/central/0002_set_based_sync.sql). */
const linkedElsewhere = {
  kind: 'linked_elsewhere',
  local: { linkId: '0190b-l', child: 'AC00001', parent: 'SB20002', at, by: 'dina', station: 'stB' },
  central: {
    linkId: '0190b-c',
    child: 'AC00001',
    parent: 'SB20001',
    at: at - 2000,
    by: 'ravi',
    station: 'stA',
  },
  names: { dina: 'Dina Dock', ravi: 'Ravi Kumar' },
};

async function translator(lng: 'en' | 'hi') {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: { en: { translation: en }, hi: { translation: hi } },
    lng,
    interpolation: { escapeValue: false, prefix: '{', suffix: '}' },
  });
  return i18n.t;
}

describe('conflicts as sentences', () => {
  it('reads a child linked at two stations with local times, names and stations, and buttons naming the bags', async () => {
    const t = await translator('en');
    expect(conflictSentence(linkedElsewhere, t)).toBe(
      '17:34:05, stB, Dina Dock: AC00001 into SB20002 — the centre already had it in SB20001 from stA at 17:34:03 (Ravi Kumar).',
    );
    expect(conflictButtons(linkedElsewhere, t)).toEqual({
      keep: 'Keep AC00001 in SB20001 (the centre’s)',
      moveHere: 'Move AC00001 back into SB20002',
    });
    const th = await translator('hi');
    expect(conflictSentence(linkedElsewhere, th)).toContain('Dina Dock: AC00001 को SB20002 में — केंद्र में');
  });

  it('has a sentence with no JSON, ids or placeholders for every kind the centre records', async () => {
    const t = await translator('en');
    const local = { child: 'AC00001', parent: 'SB20002', at, by: 'dina', station: 'stB' };
    const bill = { billNo: 'B-9', parentCode: 'SB20002', by: 'sam', scan: { at } };
    const cases = [
      { kind: 'parent_full', local, central: { parent: 'SB20002', children: 30, capacity: 30 } },
      { kind: 'parent_on_closed_bill', local, central: { parent: 'SB20002', billNo: 'B-7' } },
      { kind: 'other_area', local, central: { parent: 'SB20002', stationArea: 'NORTH' } },
      { kind: 'kind_mismatch', local, central: null },
      {
        kind: 'bill_not_open',
        local: bill,
        central: { billNo: 'B-9', completedAt: at, completedBy: 'ravi' },
      },
      { kind: 'parent_on_other_bill', local: bill, central: { id: 'x', parent_code: 'SB20002' } },
      { kind: 'bill_exists', local: { billNo: 'B-9', by: 'sam' }, central: { destination: 'Pune' } },
      { kind: 'unknown_op', local: { by: 'sam' }, central: null },
    ];
    // Issue 16's weights, shaped as the station's outbox ops 'weight' and 'weight.ack'.
    const weight = {
      weight: { id: 'w1', parentCode: 'SB20002', kg: 27.9, state: 'recorded', username: 'dina', at },
    };
    const ack = { weightId: 'w1', parentCode: 'SB20002', by: 'sam', at };
    cases.push(
      {
        kind: 'weight_other_area',
        local: weight as never,
        central: { parent: 'SB20002', stationArea: 'NORTH' },
      },
      { kind: 'weight_not_parent', local: weight as never, central: null },
      { kind: 'weight_unknown', local: ack as never, central: null },
      { kind: 'ack_not_supervisor', local: ack as never, central: { role: 'dock' } as never },
      { kind: 'weight_not_off', local: ack as never, central: { check: 'ok' } as never },
    );
    const said = conflictSentence(cases.at(-5)!, t);
    expect(said).toContain('weight of SB20002 (27.9 kg)');
    expect(said).toContain('NORTH');
    expect(conflictSentence(cases.at(-1)!, t)).toContain('weight check of SB20002 acknowledged');
    for (const c of cases) {
      const sentence = conflictSentence(c, t);
      expect(sentence, c.kind).not.toMatch(/[{}"]|undefined|conflicts\.|\bnull\b/);
      expect(sentence, c.kind).toMatch(/ — /);
    }
  });

  it('says what a long sync step loads and how far, in both languages', async () => {
    const t = await translator('en');
    const loading = { step: 'loading' as const, entity: 'bags', done: 1_200_000, total: 2_000_000 };
    expect(progressText(loading, t)).toBe('Loading from the centre: bags 1.2M of 2.0M');
    expect(progressText({ ...loading, total: null }, t)).toBe('Loading from the centre: bags 1.2M');
    expect(progressText({ step: 'pulling', entity: 'changes', done: 42_000, total: null }, t)).toBe(
      'Catching up with the centre: 42k changes so far',
    );
    const th = await translator('hi');
    expect(progressText(loading, th)).toBe('केंद्र से लोड हो रहा है: 2.0M में से 1.2M बैग');
  });
});
