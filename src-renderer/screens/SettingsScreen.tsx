import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../src-shared/api.ts';
import type { ScannerState } from '../../src-shared/scanners.ts';
import type { StationSettings } from '../../src-shared/settings.ts';
import type { SyncState } from '../../src-shared/sync-status.ts';
import { LanguageSwitch } from '../app/LanguageSwitch.tsx';
import { progressShare, progressText } from '../app/sync-progress.ts';
import { useClient, useEvent } from '../app/station-context.tsx';
import { getVolume, setVolume, soundPlayer, type Sound } from '../feedback/sounds.ts';
import { codeOf } from '../i18n/error-params.ts';
import { useErrorText, useSyncErrorText } from '../i18n/error-text.ts';
import { formatDateTime, formatTime, Section } from '../ui/ui.tsx';
import { ScannerPorts } from './ScannerPorts.tsx';
import { StationSetup } from './StationSetup.tsx';
import { HardwareSection } from './hardware/HardwareSection.tsx';
import { WeightCheckSettings } from './hardware/WeightCheckSettings.tsx';

const sounds: Sound[] = [
  'ok',
  'duplicate',
  'error',
  'parent',
  'full',
  'billFull',
  'undo',
  'reopened',
  'complete',
  'weight',
];

/**
 * Admin: scanners with live state and a test read, the ports set up, station identity and rules, the scale and the
 * label printer, the weight check, sync health with "sync now", language and sounds.
 */
export function SettingsScreen() {
  const { t } = useTranslation();
  const [ports, setPorts] = useState<StationSettings['scannerPorts'] | null>(null);
  return (
    <main className="screen two-col">
      <Section title={t('settings.scanners')}>
        <Scanners />
        {ports && <ScannerPorts ports={ports} onChanged={setPorts} />}
      </Section>
      <StationSetup onLoaded={(s) => setPorts(s.scannerPorts)} />
      <HardwareSection />
      <WeightCheckSettings />
      <Sync />
      <Section title={t('settings.languageAndSound')}>
        <LanguageSwitch />
        <Sounds />
      </Section>
    </main>
  );
}

function Scanners() {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [scanners, setScanners] = useState<ScannerState[] | null>(null);
  const [test, setTest] = useState<{ id: string; text: string } | null>(null);
  useEffect(() => {
    void client.call('scanners.list', {}).then((a) => a.ok && setScanners(a.value));
  }, [client]);
  useEvent('onScannerState', (list) => setScanners(list));

  const testRead = async (scanner: ScannerState) => {
    setTest({ id: scanner.id, text: t('settings.testWaiting') });
    const answer = await client.call('scanners.testRead', { scannerId: scanner.id, timeoutMs: 15_000 });
    const read = answer.ok ? answer.value : null;
    setTest({
      id: scanner.id,
      text: read ? t('settings.testGot', { code: read.code || read.raw }) : t('settings.testNone'),
    });
  };

  return (
    <>
      <ul className="scanner-list" data-testid="scanners">
        {(scanners ?? []).map((s) => (
          <li key={s.id} className="scanner-row">
            <span className={`pill ${s.state === 'ready' ? 'pill-good' : 'pill-bad'}`}>
              {t(`scannerState.${s.state}`)}
            </span>
            <span className="scanner-name">{s.name}</span>
            <span className="mono">{s.path}</span>
            <span>{t('settings.reads', { count: s.reads, at: formatTime(s.lastReadAt) })}</span>
            {s.lastError && (
              <span className="error-line">
                {errorText({ code: codeOf(s.lastError) ?? 'internal', message: s.lastError })}
              </span>
            )}
            <button type="button" className="button" onClick={() => void testRead(s)}>
              {t('settings.testRead')}
            </button>
            {test && test.id === s.id && <span className="big">{test.text}</span>}
          </li>
        ))}
        {scanners?.length === 0 && <li>{t('live.noScanner')}</li>}
      </ul>
    </>
  );
}

function Sync() {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const syncErrorText = useSyncErrorText();
  const [sync, setSync] = useState<SyncState | null>(null);
  const [asked, setAsked] = useState<{ error: ApiError | null } | null>(null);
  const syncNow = async () => {
    const answer = await client.call('sync.now', {});
    setAsked({ error: answer.ok ? null : answer.error });
    if (answer.ok) setSync(answer.value);
  };
  useEffect(() => {
    void client.call('status.get', {}).then((a) => a.ok && setSync(a.value.sync));
  }, [client]);
  useEvent('onSyncState', (state) => setSync(state));
  return (
    <Section title={t('settings.sync')}>
      <dl className="facts">
        <dt>{t('settings.syncState')}</dt>
        <dd>{t(`sync.${sync?.state ?? 'unknown'}`)}</dd>
        <dt>{t('settings.central')}</dt>
        <dd>{sync?.central ?? '–'}</dd>
        <dt>{t('dash.outbox')}</dt>
        <dd>{sync?.outbox.depth ?? '–'}</dd>
        <dt>{t('settings.lastSuccess')}</dt>
        <dd>{formatDateTime(sync?.lastSuccessAt)}</dd>
        <dt>{t('settings.lastError')}</dt>
        <dd data-testid="sync-last-error">{sync?.lastError ? syncErrorText(sync.lastError) : '–'}</dd>
      </dl>
      {sync?.progress && (
        <div className="field" data-testid="settings-sync-progress">
          <label htmlFor="sync-progress">{progressText(sync.progress, t)}</label>
          <progress id="sync-progress" max={1} value={progressShare(sync.progress) ?? undefined} />
        </div>
      )}
      {sync && sync.state !== 'not_enrolled' && (
        <button
          type="button"
          className="button button-primary"
          data-testid="sync-now"
          onClick={() => void syncNow()}
        >
          {t('settings.syncNow')}
        </button>
      )}
      {asked && (
        <p className="notice" role="status">
          {asked.error ? errorText(asked.error) : t('settings.syncAsked')}
        </p>
      )}
    </Section>
  );
}

function Sounds() {
  const { t } = useTranslation();
  const [volume, setLevel] = useState(getVolume);
  return (
    <div className="form">
      <div className="field">
        <label htmlFor="volume">{t('settings.volume', { percent: Math.round(volume * 100) })}</label>
        <input
          id="volume"
          type="range"
          min={0}
          max={1}
          step={0.1}
          value={volume}
          onChange={(e) => {
            setLevel(Number(e.target.value));
            setVolume(Number(e.target.value));
          }}
        />
      </div>
      <div className="chips">
        {sounds.map((sound) => (
          <button key={sound} type="button" className="button" onClick={() => soundPlayer().play(sound)}>
            {t(`sounds.${sound}`)}
          </button>
        ))}
      </div>
    </div>
  );
}
