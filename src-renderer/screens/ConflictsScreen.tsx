import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadedOf, useClient, useEvent, type Loaded } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, formatDateTime, NotAvailable, Section } from '../ui/ui.tsx';
import type { ApiError } from '../api/types.ts';

const show = (value: unknown) => (value === null || value === undefined ? '–' : JSON.stringify(value));

/** Changes the centre refused (first commit wins), with both sides; a supervisor keeps the centre's or moves here. */
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
        {loaded.state === 'missing' && <NotAvailable />}
        {loaded.state === 'failed' && <p className="error-line">{loaded.message}</p>}
        <ErrorLine text={error && errorText(error)} />
        {loaded.state === 'ready' && (
          <table className="table" data-testid="conflicts">
            <thead>
              <tr>
                <th>{t('table.time')}</th>
                <th>{t('conflicts.kind')}</th>
                <th>{t('conflicts.local')}</th>
                <th>{t('conflicts.central')}</th>
                <th>{t('conflicts.decide')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td className="nowrap">{formatDateTime(c.createdAt)}</td>
                  <td>{t(`conflicts.kinds.${c.kind}`, { defaultValue: c.kind })}</td>
                  <td className="mono">{show(c.local)}</td>
                  <td className="mono">{show(c.central)}</td>
                  <td>
                    {c.resolvedAt === null ? (
                      <div className="chips">
                        {c.centralApplied ? (
                          <button
                            type="button"
                            className="button"
                            onClick={() => void resolve(c.id, 'keep_central')}
                          >
                            {t('conflicts.keepCentral')}
                          </button>
                        ) : (
                          <span className="hint" data-testid="conflict-wait">
                            {t('conflicts.waitForCentre')}
                          </span>
                        )}
                        {c.kind === 'linked_elsewhere' && (
                          <button
                            type="button"
                            className="button"
                            onClick={() => void resolve(c.id, 'move_here')}
                          >
                            {t('conflicts.moveHere')}
                          </button>
                        )}
                      </div>
                    ) : (
                      t('conflicts.resolved', { by: c.resolvedBy ?? '–' })
                    )}
                  </td>
                </tr>
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={5}>{t('conflicts.none')}</td>
                </tr>
              )}
            </tbody>
          </table>
        )}
      </Section>
    </main>
  );
}
