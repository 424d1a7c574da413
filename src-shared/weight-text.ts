import type { ParentWeight, WeightCheck, WeightState } from './hardware.ts';
import type { StationProfile } from './profile.ts';

/**
 * The weight check of a weighed parent (issue 16), in one place for the core (which records it) and the screens
 * (which name the gap in the orange flash): a parent bag should weigh its empty bag's tare plus its children at
 * the nominal child weight, within a tolerance in kg or in % of that, whichever is larger.
 */
export type WeightRules = Pick<
  StationProfile,
  'parentTareKg' | 'childWeightKg' | 'weightToleranceKg' | 'weightTolerancePct'
>;

export interface WeightCheckResult {
  check: WeightCheck;
  /** tare + children x nominal child weight; null when the station has no nominal child weight. */
  expectedKg: number | null;
  /** kg - expectedKg: negative when bags seem missing. */
  gapKg: number | null;
  /** gapKg / nominal child weight, rounded half away from zero. */
  gapBags: number | null;
  /** The larger tolerance: off when |gapKg| is above it. */
  allowedKg: number | null;
}

/** To the gram: a scale's 27.9 must not be "off" by a float's 1e-15, an estimate of 7 x 1.2 kg is 8.4. */
export const grams = (kg: number): number => Math.round(kg * 1000) / 1000;

/**
 * Where a parent's weight stands, from its newest weighing (null: never weighed): put off, changed since it was
 * weighed (stale), or recorded. Look-up, bills, the scan screen and the exports all read it through here.
 */
export function weightStateOf(
  newest: { state: 'recorded' | 'later'; staleAt: number | null } | null,
): WeightState {
  if (!newest) return 'estimated';
  if (newest.state === 'later') return 'later';
  return newest.staleAt !== null ? 'stale' : 'recorded';
}
const roundAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

export function checkWeight(rules: WeightRules, kg: number, childCount: number): WeightCheckResult {
  if (!(rules.childWeightKg > 0))
    return { check: 'none', expectedKg: null, gapKg: null, gapBags: null, allowedKg: null };
  const expectedKg = grams(rules.parentTareKg + childCount * rules.childWeightKg);
  const gapKg = grams(kg - expectedKg);
  const allowedKg = grams(Math.max(rules.weightToleranceKg, (expectedKg * rules.weightTolerancePct) / 100));
  const gapBags = roundAway(gapKg / rules.childWeightKg) || 0;
  return { check: Math.abs(gapKg) > allowedKg ? 'off' : 'ok', expectedKg, gapKg, gapBags, allowedKg };
}

export type WeightLanguage = 'en' | 'hi';

const en = {
  missing1: 'about 1 bag missing',
  missing: 'about {n} bags missing',
  extra1: 'about 1 bag too many',
  extra: 'about {n} bags too many',
  under: '{gap} kg under',
  over: '{gap} kg over',
  weighed1: '{kg} kg for 1 bag',
  weighed: '{kg} kg for {count} bags',
};

const hi: typeof en = {
  missing1: 'लगभग 1 बैग कम',
  missing: 'लगभग {n} बैग कम',
  extra1: 'लगभग 1 बैग ज़्यादा',
  extra: 'लगभग {n} बैग ज़्यादा',
  under: '{gap} किलो कम',
  over: '{gap} किलो ज़्यादा',
  weighed1: '1 बैग के लिए {kg} किलो',
  weighed: '{count} बैग के लिए {kg} किलो',
};

export const weightTemplates: Record<WeightLanguage, typeof en> = { en, hi };

/** A weight as people read it: to 100 g, no trailing ".0". */
export function formatKg(kg: number): string {
  return String(Math.round(kg * 10) / 10);
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? `{${key}}`));
}

type Weighed = Pick<ParentWeight, 'kg' | 'childCount' | 'gapKg' | 'gapBags'>;

/** The gap alone: "about 2 bags missing", "about 1 bag too many", or "1.6 kg under" when less than a bag. */
export function weightGapPhrase(w: Weighed, lang: WeightLanguage = 'en'): string {
  const t = weightTemplates[lang];
  const bags = w.gapBags ?? 0;
  if (bags < 0) return bags === -1 ? t.missing1 : fill(t.missing, { n: -bags });
  if (bags > 0) return bags === 1 ? t.extra1 : fill(t.extra, { n: bags });
  const gap = w.gapKg ?? 0;
  return fill(gap < 0 ? t.under : t.over, { gap: formatKg(Math.abs(gap)) });
}

/** What was weighed: "27.9 kg for 30 bags". */
export function weighedPhrase(
  w: Pick<ParentWeight, 'kg' | 'childCount'>,
  lang: WeightLanguage = 'en',
): string {
  const t = weightTemplates[lang];
  const kg = formatKg(w.kg ?? 0);
  return w.childCount === 1 ? fill(t.weighed1, { kg }) : fill(t.weighed, { kg, count: w.childCount });
}

/**
 * The orange flash's sentence: "about 2 bags missing: 27.9 kg for 30 bags", "about 1 bag too many: 32.6 kg
 * for 30 bags", or "27.9 kg for 30 bags, 1.6 kg under" when the gap is less than half a bag but still off.
 */
export function weightGapSentence(w: Weighed, lang: WeightLanguage = 'en'): string {
  const weighed = weighedPhrase(w, lang);
  const gap = weightGapPhrase(w, lang);
  return (w.gapBags ?? 0) !== 0 ? `${gap}: ${weighed}` : `${weighed}, ${gap}`;
}

/** The parameters of the `weight_off` error sentence for a weight found off. */
export function weightOffParams(w: ParentWeight): Record<string, string | number> {
  return {
    parent: w.parentCode,
    kg: formatKg(w.kg ?? 0),
    expectedKg: formatKg(w.expectedKg ?? 0),
    childCount: w.childCount,
    gap: weightGapPhrase(w),
  };
}
