/** The weight units platform scales send, and their size in kilograms (the pound and ounce are exact by law). */
export type WeightUnit = 'kg' | 'g' | 'lb' | 'oz' | 't';

const KG_PER_UNIT: Record<WeightUnit, number> = {
  kg: 1,
  g: 0.001,
  lb: 0.45359237,
  oz: 0.028349523125,
  t: 1000,
};

const UNIT_NAMES: Record<string, WeightUnit> = {
  kg: 'kg',
  kgs: 'kg',
  g: 'g',
  gr: 'g',
  lb: 'lb',
  lbs: 'lb',
  oz: 'oz',
  t: 't',
};

/** The unit a scale wrote ("kg", "LB", "lbs"); undefined for anything else. */
export function unitOf(text: string): WeightUnit | undefined {
  return Object.hasOwn(UNIT_NAMES, text.toLowerCase()) ? UNIT_NAMES[text.toLowerCase()] : undefined;
}

/** A weight in kg, rounded to the milligram (29400 g is 29.4 kg, not 29.400000000000002), never -0. */
export function toKg(value: number, unit: WeightUnit): number {
  return Math.round(value * KG_PER_UNIT[unit] * 1e6) / 1e6 || 0;
}
