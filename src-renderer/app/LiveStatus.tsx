import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkState } from '../../src-shared/api.ts';
import type { ScannerState } from '../../src-shared/scanners.ts';
import type { SyncPhase, SyncState } from '../../src-shared/sync-status.ts';
import { useClient, useEvent } from './station-context.tsx';
import { progressText } from './sync-progress.ts';

type ScannerChip = { count: number; ready: number };
type SyncChip = {
  state: SyncPhase;
  outboxDepth: number;
  /** The centre holds newer changes back behind a long transaction there: how long, at the last pull. */
  waitingSeconds: number | null;
  progress?: SyncState['progress'];
};

const scannerChip = (list: ScannerState[]): ScannerChip => ({
  count: list.length,
  ready: list.filter((s) => s.state === 'ready').length,
});

/**
 * Scanner and sync health in the header, on the login screen too: status.preLogin answers before anyone logs
 * in. Kept live by events: onScannerState, onSyncState, and a status read after a scan (at most once a second)
 * for the outbox depth. Nothing here polls on a timer.
 */
export function LiveStatus({ link }: { link: LinkState }) {
  const { t } = useTranslation();
  const client = useClient();
  const [scanners, setScanners] = useState<ScannerChip | null>(null);
  const [sync, setSync] = useState<SyncChip | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const readStatus = useRef(() =>
    client.call('status.preLogin', {}).then((answer) => {
      if (!answer.ok) return;
      setSync(answer.value.sync);
      setScanners(answer.value.scanners);
    }),
  );

  // Again whenever the station comes back: what it says now, not what it said before it went away.
  useEffect(() => {
    if (link !== 'up') return;
    void readStatus.current();
    return () => clearTimeout(pending.current);
  }, [client, link]);
  useEvent('onSession', () => void readStatus.current());
  useEvent('onScannerState', (list) => setScanners(scannerChip(list)));
  useEvent('onSyncState', (state) =>
    setSync({
      state: state.state,
      outboxDepth: state.outbox.depth,
      waitingSeconds: state.waitingForCentre?.seconds ?? null,
      progress: state.progress,
    }),
  );
  useEvent('onScanResult', () => {
    pending.current ??= setTimeout(() => {
      pending.current = undefined;
      void readStatus.current();
    }, 1000);
  });

  if (link !== 'up') {
    // The last values would be a guess: a stopped station has no ready scanner and syncs nothing.
    return (
      <div className="live" data-testid="live-status">
        <span className="pill pill-bad" data-testid="scanner-pill">
          {t('outage.scanners')}
        </span>
        <span className="pill pill-bad" data-testid="sync-pill">
          {t('sync.unknown')}
        </span>
      </div>
    );
  }
  const ready = scanners?.ready ?? 0;
  const scannerClass = ready > 0 ? 'pill-good' : 'pill-bad';
  // Synced as far as the centre lets it: a long transaction there holds newer changes back, so not "Synced".
  const waiting = sync?.state === 'idle' && sync.waitingSeconds !== null ? sync.waitingSeconds : null;
  const syncClass =
    sync?.state === 'retrying'
      ? 'pill-bad'
      : sync?.state === 'idle' && waiting === null
        ? 'pill-good'
        : 'pill-quiet';
  return (
    <div className="live" data-testid="live-status">
      {scanners !== null && (
        <span className={`pill ${scannerClass}`} data-testid="scanner-pill">
          {scanners.count === 0 ? t('live.noScanner') : t('live.scanners', { ready, count: scanners.count })}
        </span>
      )}
      <span className={`pill ${syncClass}`} data-testid="sync-pill">
        {waiting !== null ? t('sync.waiting', { seconds: waiting }) : t(`sync.${sync?.state ?? 'unknown'}`)}
        {sync && ` · ${t('live.outbox', { count: sync.outboxDepth })}`}
      </span>
      {sync?.progress && (
        <span className="pill pill-quiet" data-testid="sync-progress">
          {progressText(sync.progress, t)}
        </span>
      )}
    </div>
  );
}
