import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanResult } from '../../src-shared/domain.ts';
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
      const parent = result.activeParent;
      const values = {
        code: result.code,
        parent: parent?.code ?? '',
        count: parent?.childCount ?? 0,
        capacity: parent?.capacity ?? 0,
      };
      // A full parent scanned itself (not a child that filled it).
      if (result.outcome === 'parent_full' && result.code === parent?.code)
        return t('floor.parentIsFull', values);
      switch (result.outcome) {
        case 'parent_active':
          return t('scanText.parent', values);
        case 'parent_reopened':
          return t('floor.reopenedText', values);
        case 'linked':
          return t('scanText.linked', values);
        case 'parent_full':
          return t('scanText.full', values);
        case 'already_linked':
          return t('scanText.already', values);
        default:
          return t('scanText.double', values);
      }
    },
    [t, errorText],
  );
}
