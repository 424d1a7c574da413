import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dashboard } from '../../src-shared/status.ts';
import type { SyncState } from '../../src-shared/sync-status.ts';
import { useClient, useEvent } from '../app/station-context.tsx';
import { useSyncErrorText } from '../i18n/error-text.ts';
import { formatDateTime, Section } from '../ui/ui.tsx';
import { ExportButtons } from './ExportButtons.tsx';

/**
 * Today, per operator, per hour, the last 14 days and sync health; refreshed by scan events, never by a timer
 * loop, and read again when the shell says the station changed unheard (`changes`: the link came back).
 */
export function DashboardScreen({ changes }: { changes?: number }) {
  const { t } = useTranslation();
  const client = useClient();
  const [board, setBoard] = useState<Dashboard | null>(null);
  const [sync, setSync] = useState<SyncState | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const syncErrorText = useSyncErrorText();

  const load = useCallback(async () => {
    const answer = await client.call('stats.dashboard', {});
    if (answer.ok) setBoard(answer.value);
  }, [client]);
  useEffect(() => {
    void load();
    void client.call('status.get', {}).then((a) => a.ok && setSync(a.value.sync));
    return () => clearTimeout(pending.current);
  }, [load, client, changes]);
  useEvent('onSyncState', (state) => setSync(state));
  useEvent('onScanResult', () => {
    pending.current ??= setTimeout(() => {
      pending.current = undefined;
      void load();
    }, 1000);
  });

  if (!board) return <main className="screen">{t('common.loading')}</main>;
  const maxDay = Math.max(1, ...board.last14Days.map((d) => d.links + d.parents));
  const hours = board.perHour.filter((h) => h.links + h.rejected > 0);
  const maxHour = Math.max(1, ...hours.map((h) => h.links));
  return (
    <main className="screen">
      <div className="tiles">
        <Tile label={t('dash.scans')} value={board.today.scans} />
        <Tile label={t('dash.links')} value={board.today.links} />
        <Tile label={t('dash.parents')} value={board.today.parents} />
        <Tile label={t('dash.rejected')} value={board.today.rejected} />
        <Tile label={t('dash.fullParents')} value={board.totals.fullParents} />
        <Tile label={t('dash.billsOpen')} value={board.totals.billsOpen} />
        <Tile label={t('dash.outbox')} value={board.outbox.depth} />
      </div>
      {board.weights && (
        <div className="tiles" data-testid="dash-weights">
          <Tile label={t('dash.weighed')} value={board.weights.weighed} />
          <Tile label={t('dash.weightOff')} value={board.weights.off} />
          <Tile label={t('dash.unacknowledged')} value={board.weights.unacknowledged} />
          <Tile label={t('dash.weighLater')} value={board.weights.later} />
          <Tile label={t('dash.estimatedParents')} value={board.weights.estimatedParents} />
        </div>
      )}
      <p className="hint" data-testid="sync-health">
        {t('dash.day', { day: board.day })} · {t(`sync.${sync?.state ?? 'unknown'}`)} ·{' '}
        {t('dash.oldestUnsent', { at: formatDateTime(board.outbox.oldestUnsentAt) })} ·{' '}
        {t('settings.lastSuccess')}: {formatDateTime(sync?.lastSuccessAt)}
        {sync?.lastError && ` · ${syncErrorText(sync.lastError)}`}
      </p>
      <ExportButtons kind="endOfDay" date={board.day} />
      <div className="two-col">
        <Section title={t('dash.perOperator')}>
          <table className="table">
            <thead>
              <tr>
                <th>{t('table.user')}</th>
                <th>{t('dash.links')}</th>
                <th>{t('dash.parents')}</th>
                <th>{t('dash.rejected')}</th>
              </tr>
            </thead>
            <tbody>
              {board.perOperator.map((op) => (
                <tr key={op.username}>
                  <td>{op.username}</td>
                  <td>{op.links}</td>
                  <td>{op.parents}</td>
                  <td>{op.rejected}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        <Section title={t('dash.perHour')}>
          <ul className="bars">
            {hours.map((h) => (
              <li key={h.hour}>
                <span className="bar-label">{String(h.hour).padStart(2, '0')}:00</span>
                <span className="bar" style={{ width: `${(h.links / maxHour) * 100}%` }} />
                <span className="bar-value">{h.links}</span>
              </li>
            ))}
            {hours.length === 0 && <li>{t('dash.noScansToday')}</li>}
          </ul>
        </Section>
      </div>
      <Section title={t('dash.last14')}>
        <div className="chart" role="img" aria-label={t('dash.last14')}>
          {board.last14Days.map((d) => (
            <div key={d.day} className="chart-col">
              <span className="chart-value">{d.links}</span>
              <span className="chart-bar" style={{ height: `${((d.links + d.parents) / maxDay) * 100}%` }} />
              <span className="chart-day">{d.day.slice(5)}</span>
            </div>
          ))}
        </div>
      </Section>
    </main>
  );
}

function Tile({ label, value }: { label: string; value: number }) {
  return (
    <div className="tile">
      <div className="tile-value">{value}</div>
      <div className="tile-label">{label}</div>
    </div>
  );
}
