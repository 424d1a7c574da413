import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanResult } from '../../src-shared/domain.ts';
import { scanSentenceOf } from '../../src-shared/scan-text.ts';
import { useErrorText } from '../i18n/error-text.ts';

/** The sentence under a flash, in the language on screen. */
export function useScanText() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return useCallback(
    (result: ScanResult): string => {
      if (result.reason) {
        return errorText({ code: result.reason, message: result.message, params: result.reasonParams });
      }
      // An unknown command barcode (a known one runs instead of showing) reads as a double read on screen.
      const outcome = result.outcome === 'command' ? 'double_read' : result.outcome;
      const { key, values } = scanSentenceOf(outcome, result.code, result.activeParent);
      return t(`scanText.${key}`, values);
    },
    [t, errorText],
  );
}
