import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkState, ScannerView } from '../api/types.ts';
import type { SyncState } from '../../src-main/sync/state.ts';
import { useClient, useEvent } from './station-context.tsx';

/**
 * Scanner and sync health in the header, kept live by events: onScannerState, onSyncState, and a status read
 * after a scan (at most once a second) for the outbox depth. Nothing here polls on a timer.
 */
export function LiveStatus({ link }: { link: LinkState }) {
  const { t } = useTranslation();
  const client = useClient();
  const [scanners, setScanners] = useState<ScannerView[] | null>(null);
  const [sync, setSync] = useState<SyncState | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const readStatus = useRef(() =>
    client.call('status.get', {}).then((answer) => answer.ok && setSync(answer.value.sync)),
  );

  const readScanners = useRef(() =>
    client
      .call('scanners.list', {})
      .then((answer) => answer.ok && setScanners(answer.value as ScannerView[])),
  );

  // Again whenever the station comes back: what it says now, not what it said before it went away.
  useEffect(() => {
    if (link !== 'up') return;
    void readStatus.current();
    void readScanners.current();
    return () => clearTimeout(pending.current);
  }, [client, link]);
  // Scanner details are for people logged in: read them again when someone logs in.
  useEvent('onSession', (info) => {
    if (!info) setScanners(null);
    else void readScanners.current();
    void readStatus.current();
  });

  useEvent('onScannerState', (list) => setScanners(list));
  useEvent('onSyncState', (state) => setSync(state));
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
  const ready = scanners?.filter((s) => s.state === 'ready').length ?? 0;
  const scannerClass = ready > 0 ? 'pill-good' : 'pill-bad';
  const syncClass =
    sync?.state === 'retrying' ? 'pill-bad' : sync?.state === 'idle' ? 'pill-good' : 'pill-quiet';
  return (
    <div className="live" data-testid="live-status">
      {scanners !== null && (
        <span className={`pill ${scannerClass}`} data-testid="scanner-pill">
          {scanners.length === 0
            ? t('live.noScanner')
            : t('live.scanners', { ready, count: scanners.length })}
        </span>
      )}
      <span className={`pill ${syncClass}`} data-testid="sync-pill">
        {t(`sync.${sync?.state ?? 'unknown'}`)}
        {sync && ` · ${t('live.outbox', { count: sync.outbox.depth })}`}
      </span>
    </div>
  );
}
