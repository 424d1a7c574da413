import { describe, expect, it } from 'vitest';
import { defaultProfile } from './profile.ts';
import {
  checkWeight,
  formatKg,
  weightGapPhrase,
  weightGapSentence,
  weightOffParams,
  type WeightRules,
} from './weight-text.ts';
import { formatError } from './errors.ts';
import type { ParentWeight } from './hardware.ts';

/** The defaults: 1 kg a child, a 0.5 kg bag, 1.5 kg or 5 %, whichever is larger. */
const rules: WeightRules = defaultProfile;

describe('the weight check', () => {
  it('expects the tare plus the children at the nominal weight, and says how far off a reading is', () => {
    expect(checkWeight(rules, 30.9, 30)).toEqual({
      check: 'ok',
      expectedKg: 30.5,
      gapKg: 0.4,
      gapBags: 0,
      allowedKg: 1.525,
    });
    expect(checkWeight(rules, 28.6, 30)).toMatchObject({ check: 'off', gapKg: -1.9, gapBags: -2 });
    expect(checkWeight(rules, 33.6, 30)).toMatchObject({ check: 'off', gapKg: 3.1, gapBags: 3 });
  });

  it('is off only beyond the larger tolerance: kg for small parents, % for heavy ones', () => {
    // 5 children: 5.5 kg expected; 5 % is 0.275 kg, so the 1.5 kg tolerance holds.
    expect(checkWeight(rules, 7, 5).check).toBe('ok');
    expect(checkWeight(rules, 4, 5).check).toBe('ok');
    expect(checkWeight(rules, 7.01, 5).check).toBe('off');
    expect(checkWeight(rules, 3.99, 5).check).toBe('off');
    // 50 children of 2 kg: 100.5 kg expected; 5 % is 5.025 kg, larger than 1.5 kg.
    const heavy = { ...rules, childWeightKg: 2 };
    expect(checkWeight(heavy, 100.5 - 5.025, 50)).toMatchObject({ check: 'ok', allowedKg: 5.025 });
    expect(checkWeight(heavy, 100.5 - 5.1, 50)).toMatchObject({ check: 'off', gapBags: -3 });
    expect(checkWeight(heavy, 100.5 + 5.1, 50).check).toBe('off');
  });

  it('does not call a reading off by a float rounding error', () => {
    // 0.1 + 0.2 style sums: 3 x 0.1 + 0.5 is 0.8000000000000002 in floats.
    const light = { ...rules, childWeightKg: 0.1, weightToleranceKg: 0, weightTolerancePct: 0 };
    expect(checkWeight(light, 0.8, 3)).toMatchObject({ check: 'ok', gapKg: 0 });
  });

  it('has no check without a nominal child weight', () => {
    expect(checkWeight({ ...rules, childWeightKg: 0 }, 12, 30)).toEqual({
      check: 'none',
      expectedKg: null,
      gapKg: null,
      gapBags: null,
      allowedKg: null,
    });
  });
});

describe('the gap sentence', () => {
  const weighed = (kg: number, childCount: number, r: WeightRules = rules) => {
    const c = checkWeight(r, kg, childCount);
    return { kg, childCount, gapKg: c.gapKg, gapBags: c.gapBags };
  };

  it('names the bags missing or too many, in English and Hindi', () => {
    expect(weightGapSentence(weighed(28.6, 30))).toBe('about 2 bags missing: 28.6 kg for 30 bags');
    expect(weightGapSentence(weighed(29.4, 30, { ...rules, weightToleranceKg: 0.5 }))).toBe(
      'about 1 bag missing: 29.4 kg for 30 bags',
    );
    expect(weightGapSentence(weighed(32.1, 30))).toBe('about 2 bags too many: 32.1 kg for 30 bags');
    expect(weightGapSentence(weighed(2.3, 1))).toBe('about 1 bag too many: 2.3 kg for 1 bag');
    expect(weightGapSentence(weighed(28.6, 30), 'hi')).toBe('लगभग 2 बैग कम: 30 बैग के लिए 28.6 किलो');
  });

  it('says the kg when the gap is less than half a bag', () => {
    const heavyBags = { ...rules, childWeightKg: 5, weightToleranceKg: 1, weightTolerancePct: 0 };
    expect(weightGapSentence(weighed(148.9, 30, heavyBags))).toBe('148.9 kg for 30 bags, 1.6 kg under');
    expect(weightGapPhrase(weighed(152.1, 30, heavyBags))).toBe('1.6 kg over');
  });

  it('fills the weight_off error sentence', () => {
    const c = checkWeight(rules, 28.6, 30);
    const w: ParentWeight = {
      parentCode: 'SB00001',
      state: 'recorded',
      kg: 28.6,
      tareKg: 0.5,
      childCount: 30,
      expectedKg: c.expectedKg,
      check: c.check,
      gapKg: c.gapKg,
      gapBags: c.gapBags,
      acknowledgedBy: null,
      acknowledgedAt: null,
      scale: null,
      by: 'dock1',
      at: 1,
    };
    expect(formatError('weight_off', weightOffParams(w))).toBe(
      'Parent SB00001 weighs 28.6 kg, expected 30.5 kg for 30 bags: about 2 bags missing. A supervisor must check it.',
    );
    expect(formatKg(30)).toBe('30');
    expect(formatKg(27.94)).toBe('27.9');
  });
});
