import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../src-shared/api.ts';
import { codeOf, paramsOf } from './error-params.ts';

/**
 * An error from the station, in the language on screen: the station speaks English; the Hindi sentence is the
 * same catalogue entry with the values read back out of the English one.
 */
export function useErrorText() {
  const { t, i18n } = useTranslation();
  return useCallback(
    (error: ApiError | null | undefined): string => {
      if (!error) return '';
      if (error.code === 'offline') return t('common.offline');
      if (i18n.language === 'en' && error.message) return error.message;
      // The station sends the values; reading them back out of the sentence is only for sentences that come
      // without them (a scanner's lastError).
      const params = error.params ?? paramsOf(error.code, error.message);
      if (params) return t(`errors.${error.code}`, { ...params, interpolation: { escapeValue: false } });
      return i18n.language === 'en' ? error.message : t('common.failed');
    },
    [t, i18n.language],
  );
}

/**
 * The sync worker's last error, in the screen's language when it is a catalogue sentence (a diverged or fenced
 * station says what happened and what IT does), else as the station wrote it.
 */
export function useSyncErrorText() {
  const errorText = useErrorText();
  return useCallback(
    (message: string | null | undefined): string => {
      if (!message) return '';
      const code = codeOf(message);
      return code ? errorText({ code, message }) : message;
    },
    [errorText],
  );
}
