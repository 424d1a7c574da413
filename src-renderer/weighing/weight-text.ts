import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParentWeight } from '../../src-shared/hardware.ts';
import { formatKg, weightGapSentence, weighedPhrase } from '../../src-shared/weight-text.ts';

/** A weight as the station words it: to 100 g, no trailing ".0" (27.9, 30). */
export const kgText = formatKg;

/**
 * The gap of a weighing in words, in the language on show, with the station's own sentence
 * (src-shared/weight-text.ts): "about 2 bags missing: 27.9 kg for 30 bags", "about 1 bag too many: …", or
 * "27.9 kg for 30 bags, 1.6 kg under" when the gap is less than half a bag but still beyond the tolerance.
 * A weight within tolerance is only what was weighed.
 */
export function useWeightGapText() {
  const { i18n } = useTranslation();
  const lang = i18n.language === 'hi' ? 'hi' : 'en';
  return useCallback(
    (w: ParentWeight): string => {
      if (w.kg === null) return '';
      return w.check === 'off' ? weightGapSentence(w, lang) : weighedPhrase(w, lang);
    },
    [lang],
  );
}
