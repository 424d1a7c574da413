import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParentWeight } from '../../src-shared/hardware.ts';

/** One decimal, as a platform scale's display shows it: 27.9, never 27.900000001. */
export const kgText = (kg: number) => (Math.round(kg * 10) / 10).toFixed(1);

/**
 * The gap of a weighing in words, in the language on show: "about 2 bags missing: 27.9 kg for 30 bags",
 * "about 1 bag too many: …", or "27.9 kg for 30 bags, 1.6 kg under" when the gap is less than half a bag but
 * still beyond the tolerance. The one place the screens word a weight check, so the shared helper
 * (src-shared/weight-text.ts, English for the station's own sentences) can replace the English half later.
 */
export function useWeightGapText() {
  const { t } = useTranslation();
  return useCallback(
    (w: ParentWeight): string => {
      if (w.kg === null) return '';
      const base = { kg: kgText(w.kg), childCount: w.childCount };
      const bags = w.gapBags ?? 0;
      if (bags < 0) return `${t('weight.missing', { count: -bags })}: ${t('weight.forBags', base)}`;
      if (bags > 0) return `${t('weight.extra', { count: bags })}: ${t('weight.forBags', base)}`;
      const gap = w.gapKg ?? 0;
      if (w.check !== 'off' || gap === 0) return t('weight.forBags', base);
      return t(gap < 0 ? 'weight.under' : 'weight.over', { ...base, gap: kgText(Math.abs(gap)) });
    },
    [t],
  );
}
