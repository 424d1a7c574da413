import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadedOf, useClient, useEvent, type Loaded } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, formatStamp, Section } from '../ui/ui.tsx';
import { conflictButtons, conflictSentence } from './conflict-text.ts';
import type { ApiError } from '../../src-shared/api.ts';

/**
 * Changes the centre refused (first commit wins), each as a sentence with both sides; a supervisor keeps the
 * centre's or moves the bag back here, with buttons that say which bag goes where.
 */
export function ConflictsScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [loaded, setLoaded] = useState<Loaded<'conflicts.list'>>({ state: 'loading' });
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    setLoaded(loadedOf<'conflicts.list'>(await client.call('conflicts.list', {})));
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);
  // A new conflict arrives with a sync state change: reload then, not on a timer.
  useEvent('onSyncState', () => void load());

  const resolve = async (id: number, resolution: 'keep_central' | 'move_here') => {
    const answer = await client.call('conflicts.resolve', { id, resolution });
    setError(answer.ok ? null : answer.error);
    await load();
  };

  const rows = loaded.state === 'ready' ? loaded.value : [];
  return (
    <main className="screen">
      <Section title={t('conflicts.title')}>
        {loaded.state === 'failed' && <p className="error-line">{loaded.message}</p>}
        <ErrorLine text={error && errorText(error)} />
        {loaded.state === 'ready' && (
          <table className="table" data-testid="conflicts">
            <thead>
              <tr>
                <th>{t('table.time')}</th>
                <th>{t('conflicts.what')}</th>
                <th>{t('conflicts.decide')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => {
                const buttons = conflictButtons(c, t);
                return (
                  <tr key={c.id}>
                    <td className="nowrap">{formatStamp(c.createdAt)}</td>
                    <td data-testid="conflict-sentence">{conflictSentence(c, t)}</td>
                    <td>
                      {c.resolvedAt === null ? (
                        <div className="row-actions">
                          {c.centralApplied ? (
                            <button
                              type="button"
                              className="button"
                              onClick={() => void resolve(c.id, 'keep_central')}
                            >
                              {buttons.keep}
                            </button>
                          ) : (
                            <span className="hint" data-testid="conflict-wait">
                              {t('conflicts.waitForCentre')}
                            </span>
                          )}
                          {buttons.moveHere && (
                            <button
                              type="button"
                              className="button"
                              onClick={() => void resolve(c.id, 'move_here')}
                            >
                              {buttons.moveHere}
                            </button>
                          )}
                        </div>
                      ) : (
                        t('conflicts.resolved', { by: c.resolvedBy ?? '–' })
                      )}
                    </td>
                  </tr>
                );
              })}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={3}>{t('conflicts.none')}</td>
                </tr>
              )}
            </tbody>
          </table>
        )}
      </Section>
    </main>
  );
}
